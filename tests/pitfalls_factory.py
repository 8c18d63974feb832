"""A healthy engagement that no pitfall rule fires on at TODAY, to be bent one field at a time.

Each rule's tests start from `healthy()`, change the one thing the rule is about, and check the
rule fires, does not fire, and where its boundary is.  Tests pass `today` explicitly always.
"""

from __future__ import annotations

import copy
from datetime import date, timedelta
from typing import Any, Callable

from xtalent.models import Engagement
from xtalent.pitfalls import Finding, evaluate, get_rule
from xtalent.settings import PitfallSettings

TODAY = date(2026, 11, 23)
TERM_START = date(2026, 4, 1)
TERM_END = date(2027, 3, 31)  # 128 days after TODAY

_HEALTHY: dict[str, Any] = {
    "id": "en-healthy",
    "person": {"name": "山田 花子"},
    "role": "cdo_deputy",
    "contract_form": "special_part_time",
    "appointment_type": "special_part_time",
    "organisation": "みどり野市",
    "department": "情報政策課",
    "sponsor": "副市長",
    "term_start": TERM_START.isoformat(),
    "term_end": TERM_END.isoformat(),
    "days_per_month": 4,
    # Decided before the autumn budget request (budget-cycle-undecided).
    "after_term": {"decision": "support", "decided_on": "2026-09-30", "note": "佐藤係長が任期後の研修を引き継ぐ"},
    "targets": [
        {
            "id": "tg-window",
            "title": "書かない窓口",
            "scope_level": "department",
            "goal": "来庁者が申請書を書かずに手続できる",
            "indicator": {"name": "オンライン申請比率", "unit": "%", "baseline": 12, "target": 60, "current": 30},
            "agreed_on": "2026-04-10",
            "agreed_by": "副市長",
            "status": "in_progress",
            "owner": "joint",
            "field_department": "市民課",
            "staff_ids": ["st-lead", "st-member"],
        },
        {
            "id": "tg-ebpm",
            "title": "データに基づく政策立案",
            "scope_level": "organisation",
            "goal": "主要事業の評価にデータを使う",
            "indicator": {"name": "データ活用事業数", "unit": "件", "baseline": 1, "target": 8},
            "agreed_on": "2026-04-20",
            "agreed_by": "企画政策課長",
            "status": "agreed",
            "owner": "staff",
            "field_department": "企画政策課",
            "staff_ids": ["st-leader"],
        },
    ],
    "staff": [
        {"id": "st-lead", "name": "佐藤 一郎", "department": "情報政策課", "position": "係長", "role": "lead"},
        {"id": "st-member", "name": "鈴木 美咲", "department": "市民課", "position": "主事", "role": "member"},
        {"id": "st-leader", "name": "高橋 健一", "department": "企画政策課", "position": "主任", "role": "digital_leader"},
    ],
    "items": [
        {
            "id": "kh-flow",
            "title": "業務フロー図の作り方",
            "kind": "skill",
            "target_id": "tg-window",
            "due": "2027-01-31",
            "receivers": [
                {"staff_id": "st-lead", "stage": "independent", "history": [
                    {"on": "2026-06-01", "stage": "shadowing"}, {"on": "2026-11-01", "stage": "independent"}]},
                {"staff_id": "st-member", "stage": "supported", "history": [{"on": "2026-10-20", "stage": "supported"}]},
            ],
            "evidence": [{"on": "2026-11-01", "note": "市民課の転入手続のフロー図を一人で作成"}],
        },
        {
            "id": "kh-vendor",
            "title": "ベンダー調整の進め方",
            "kind": "process",
            "target_id": "tg-window",
            "due": "2027-03-31",
            "receivers": [
                {"staff_id": "st-lead", "stage": "supported", "history": [{"on": "2026-11-10", "stage": "supported"}]},
                {"staff_id": "st-leader", "stage": "together", "history": [{"on": "2026-10-01", "stage": "together"}]},
            ],
        },
        {
            "id": "kh-data",
            "title": "データ分析の手順",
            "kind": "document",
            "target_id": "tg-ebpm",
            "receivers": [
                {"staff_id": "st-leader", "stage": "together", "history": [{"on": "2026-11-05", "stage": "together"}]},
                {"staff_id": "st-member", "stage": "shadowing", "history": [{"on": "2026-09-30", "stage": "shadowing"}]},
            ],
        },
    ],
    "log": [
        {"id": "lg-1", "on": "2026-11-16", "kind": "checkin", "from_department": "情報政策課", "topic": "定例",
         "in_scope": True, "minutes": 60},
        {"id": "lg-2", "on": "2026-11-10", "kind": "consultation", "from_department": "市民課", "topic": "窓口",
         "in_scope": True, "target_id": "tg-window", "minutes": 90},
        {"id": "lg-3", "on": "2026-10-30", "kind": "consultation", "from_department": "税務課", "topic": "相談",
         "in_scope": False, "minutes": 60},
    ],
}


def healthy_data() -> dict[str, Any]:
    return copy.deepcopy(_HEALTHY)


def build(edit: Callable[[dict[str, Any]], Any] | None = None) -> Engagement:
    """The healthy engagement, after `edit` changed its JSON form."""
    data = healthy_data()
    if edit is not None:
        edit(data)
    return Engagement.model_validate(data)


def healthy() -> Engagement:
    return build()


def check(code: str, engagement: Engagement, today: date = TODAY, lang: str = "ja", **settings: Any) -> list[Finding]:
    """What one rule finds; every message and action is rendered in both languages on the way,
    so a missing catalog key or placeholder fails the rule's own test."""
    found = get_rule(code).check(engagement, today, PitfallSettings(**settings), lang)
    for finding in found:
        assert finding.code == code
        for other in ("ja", "en"):
            message, action = finding.text(other)
            assert message and action
    return found


def codes(engagement: Engagement, today: date = TODAY, **settings: Any) -> list[str]:
    return [f.code for f in evaluate(engagement, today, PitfallSettings(**settings), "ja")]


def days(n: int) -> timedelta:
    return timedelta(days=n)
