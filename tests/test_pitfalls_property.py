"""Arbitrary valid engagements never crash the engine, the metrics or the rendering of findings."""

from __future__ import annotations

import json
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xtalent.metrics import bunshin, readiness, urgency
from xtalent.models import (
    ContractForm,
    Engagement,
    ItemKind,
    LogKind,
    Owner,
    Role,
    ScopeLevel,
    Stage,
    StructureRole,
    TargetStatus,
)
from xtalent.pitfalls import Severity, evaluate, rule_codes
from xtalent.settings import PitfallSettings

DAYS = st.dates(date(2018, 1, 1), date(2032, 12, 31))
TEXT = st.sampled_from(["", "市民課", "情報政策課", "Ω", "a" * 200])
NAME = st.sampled_from(["佐藤 一郎", "Jane Doe", "x", "高橋　健一"])


def enum(e):  # the JSON value of any member
    return st.sampled_from([m.value for m in e])


@st.composite
def engagement_data(draw) -> dict:
    start = draw(DAYS)
    end = start + timedelta(days=draw(st.integers(0, 1500)))
    staff_ids = [f"st-{k}" for k in range(draw(st.integers(0, 5)))]
    staff = [
        {"id": sid, "name": draw(NAME), "department": draw(TEXT), "role": draw(enum(StructureRole)),
         "rotation_expected": draw(st.none() | DAYS.map(date.isoformat))}
        for sid in staff_ids
    ]
    target_ids = [f"tg-{k}" for k in range(draw(st.integers(0, 4)))]
    number = st.none() | st.floats(-1e6, 1e6, allow_nan=False)
    targets = [
        {
            "id": tid, "title": draw(NAME), "scope_level": draw(enum(ScopeLevel)), "goal": draw(TEXT),
            "indicator": draw(st.none() | st.fixed_dictionaries(
                {"name": NAME, "baseline": number, "target": number, "current": number})),
            "agreed_on": draw(st.none() | DAYS.map(date.isoformat)), "agreed_by": draw(TEXT),
            "status": draw(enum(TargetStatus)), "owner": draw(enum(Owner)), "field_department": draw(TEXT),
            "staff_ids": draw(st.lists(st.sampled_from(staff_ids), max_size=3)) if staff_ids else [],
        }
        for tid in target_ids
    ]
    items = []
    for k in range(draw(st.integers(0, 7))):
        receivers = [
            {"staff_id": sid, "stage": draw(enum(Stage)),
             "history": draw(st.lists(st.fixed_dictionaries({"on": DAYS.map(date.isoformat), "stage": enum(Stage)}),
                                      max_size=3))}
            for sid in (draw(st.lists(st.sampled_from(staff_ids), unique=True, max_size=3)) if staff_ids else [])
        ]
        items.append({
            "id": f"kh-{k}", "title": draw(NAME), "kind": draw(enum(ItemKind)),
            "target_id": draw(st.none() | st.sampled_from(target_ids)) if target_ids else None,
            "receivers": receivers, "due": draw(st.none() | DAYS.map(date.isoformat)),
            "evidence": draw(st.lists(st.fixed_dictionaries({"on": DAYS.map(date.isoformat), "note": NAME}),
                                      max_size=2)),
        })
    log = [
        {"id": f"lg-{k}", "on": draw(DAYS).isoformat(), "kind": draw(enum(LogKind)), "from_department": draw(TEXT),
         "in_scope": draw(st.booleans()), "minutes": draw(st.integers(0, 24 * 60)),
         "target_id": draw(st.none() | st.sampled_from(target_ids)) if target_ids else None}
        for k in range(draw(st.integers(0, 10)))
    ]
    return {
        "id": "en-prop", "person": {"name": draw(NAME)}, "role": draw(enum(Role)),
        "contract_form": draw(enum(ContractForm)), "organisation": draw(NAME),
        "term_start": start.isoformat(), "term_end": end.isoformat(),
        "days_per_month": draw(st.none() | st.floats(0, 31)), "hours_per_month": draw(st.none() | st.floats(0, 744)),
        "targets": targets, "items": items, "staff": staff, "log": log,
    }


thresholds = st.builds(
    lambda ending, critical, stalled, share: PitfallSettings(
        term_ending_days=max(ending, critical), term_ending_critical_days=critical, stalled_days=stalled,
        overload_share=share, wholesale_share=share, single_point_share=share,
    ),
    st.integers(1, 400), st.integers(1, 400), st.integers(1, 400), st.floats(0.01, 1.0),
)


# Derandomized: the same 200 examples every run, so a failure is reproducible and CI is stable.
@settings(
    max_examples=200, deadline=None, derandomize=True, database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=engagement_data(), today=DAYS, pitfall_settings=st.none() | thresholds)
def test_any_valid_engagement_is_checked_without_crashing(data: dict, today: date, pitfall_settings) -> None:
    engagement = Engagement.model_validate(data)
    found = evaluate(engagement, today, pitfall_settings, "en")
    codes = set(rule_codes())
    assert [f.severity.rank for f in found] == sorted((f.severity.rank for f in found), reverse=True)
    for finding in found:
        assert finding.code in codes and isinstance(finding.severity, Severity)
        assert finding.engagement_id == "en-prop"
        assert finding.subject_id is None or engagement.find(finding.subject_id) is not None
        for lang in ("ja", "en"):
            message, action = finding.text(lang)
            assert message and action and "{" not in message
        json.dumps(finding.to_dict(), ensure_ascii=False)  # facts must be JSON-safe

    score = readiness(engagement, today, "ja")
    assert 0 <= score.value <= 100
    assert abs(sum(points for _, points in score.why) - score.value) <= 0.6
    for item in engagement.items:
        item_score = urgency(item, engagement, today, pitfall_settings or PitfallSettings(), "en")
        assert item_score.value >= 0 and item_score.why
    counted = bunshin(engagement)
    assert counted.total <= len(engagement.staff)
    assert set(counted.per_item) == {item.id for item in engagement.items}
