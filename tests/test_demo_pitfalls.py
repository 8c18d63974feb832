"""The demo data shows each pitfall it was written for, and the healthy engagement stays healthy."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

from xtalent.models import InterchangeDocument
from xtalent.pitfalls import Severity, evaluate

ROOT = Path(__file__).resolve().parent.parent
DEMO_DAY = date(2026, 11, 23)  # the day data/README.md says the demo is written to be read on
HEALTHY = "en-2025-cdo-hayase"

# What each engagement was written to show (data/README.md, first table), as rule codes.
WRITTEN_FOR = {
    "en-2026-ria-kuroda": {"scope-undefined", "underused", "dispatch-days-exceeded", "dispatch-report-overdue",
                           "term-ending-untransferred"},
    "en-2025-adv-okochi": {"wholesale-handover", "consultation-overload", "transfer-stalled", "item-overdue",
                           "target-fiscal-year"},
    "en-2025-kigyo-miyoshi": {"no-receiving-structure", "item-without-receiver", "armchair-advice",
                              "budget-cycle-undecided"},
    "en-2026-cdoh-ishiguro": {"single-point-of-knowledge", "receiver-rotation-risk"},
    "en-2025-sanyo-mochizuki": {"term-ending-untransferred", "due-after-term", "transfer-stalled"},
    "en-2026-adv-todo": {"term-ended-untransferred"},
}
CLOSED = "en-2024-cdoh-sakuraba"


@pytest.fixture(scope="module")
def findings() -> dict[str, list]:
    document = InterchangeDocument.model_validate(json.loads((ROOT / "data" / "demo.json").read_text("utf-8")))
    return {e.id: evaluate(e, DEMO_DAY, lang="ja") for e in document.engagements}


@pytest.mark.parametrize("engagement_id", sorted(WRITTEN_FOR))
def test_demo_engagement_shows_the_pitfalls_it_was_written_for(findings: dict, engagement_id: str) -> None:
    fired = {f.code for f in findings[engagement_id]}
    assert WRITTEN_FOR[engagement_id] <= fired


def test_the_closed_demo_engagement_is_a_record_not_an_alarm(findings: dict) -> None:
    assert findings[CLOSED] == []


def test_healthy_demo_engagement_has_nothing_critical(findings: dict) -> None:
    assert not [f for f in findings[HEALTHY] if f.severity is Severity.CRITICAL]
    assert findings[HEALTHY] == []


def test_readme_lists_exactly_the_codes_that_fire(findings: dict) -> None:
    # The README's second table documents what a user sees; keep it true.
    readme = (ROOT / "data" / "README.md").read_text("utf-8")
    section = readme.split("## Pitfall rules firing", 1)[1]
    documented = {}
    for engagement_id, cell in re.findall(r"^\| `([a-z0-9-]+)` \| ([^|]+) \|$", section, re.MULTILINE):
        documented[engagement_id] = {code.strip() for code in cell.split(",") if re.fullmatch(r"[a-z-]+", code.strip())}
    assert documented == {eid: {f.code for f in found} for eid, found in findings.items()}
