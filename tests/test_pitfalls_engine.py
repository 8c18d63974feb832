"""The engine as the UI and exporters call it: registry, ordering, languages, settings, catalog."""

from __future__ import annotations

import re
import threading

import pytest
from pitfalls_factory import TERM_END, TODAY, build, codes, days, healthy

from xtalent.errors import XtalentError
from xtalent.i18n import LANGUAGES, catalog, set_language
from xtalent.pitfalls import (
    Aspect,
    Severity,
    count_by_severity,
    evaluate,
    evaluate_all,
    get_rule,
    rule_codes,
    rules,
    worst,
)
from xtalent.settings import PitfallSettings, Settings

ISSUE_CODES = {
    "scope-undefined", "target-unagreed", "goal-undefined", "wholesale-handover", "armchair-advice",
    "no-receiving-structure", "item-without-receiver", "single-point-of-knowledge", "receiver-rotation-risk",
    "due-after-term", "transfer-stalled", "transfer-pace-behind", "term-ending-untransferred",
    "term-ended-untransferred", "consultation-overload", "underused",
}


def test_every_rule_of_the_issue_is_registered_plus_the_domain_ones() -> None:
    assert ISSUE_CODES <= set(rule_codes())
    assert "dispatch-days-exceeded" in rule_codes()
    assert len(rule_codes()) == len(set(rule_codes()))
    for code in rule_codes():
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", code), code


def test_every_rule_has_a_reason_message_and_action_in_both_languages() -> None:
    messages = catalog()
    for unit in rules():
        assert isinstance(unit.aspect, Aspect) and unit.severities
        assert unit.reason == f"pitfall.{unit.key}.reason"
        own = [k for k in messages if k.startswith(f"pitfall.{unit.key}.")]
        assert unit.reason in own
        assert any(k.split(".")[-1].startswith("message") for k in own), unit.code
        assert any(k.split(".")[-1].startswith("action") for k in own), unit.code
        for lang in LANGUAGES:
            assert unit.reason_text(lang)


def test_unknown_rule_is_a_user_error() -> None:
    with pytest.raises(XtalentError) as exc:
        get_rule("no-such-rule")
    assert "no-such-rule" in exc.value.message("en")


def test_severity_is_ordered_by_rank_not_alphabetically() -> None:
    assert Severity.INFO < Severity.WARNING < Severity.CRITICAL
    assert sorted([Severity.CRITICAL, Severity.INFO, Severity.WARNING]) == [Severity.INFO, Severity.WARNING, Severity.CRITICAL]
    assert max(Severity) is Severity.CRITICAL and Severity.CRITICAL >= Severity.WARNING
    assert Severity.WARNING.label("ja") == "警告" and Severity.WARNING.label("en") == "warning"
    # The guidebook's 人物像 / "persona" meant nothing to users: named by what it checks (the JSON code stays).
    assert Aspect.PERSONA.label("ja") == "現場に合う助言" and Aspect.PERSONA.label("en") == "Field-grounded advice"
    assert Aspect.PERSONA.value == "persona"


def test_healthy_engagement_has_no_findings() -> None:
    assert evaluate(healthy(), TODAY) == []


def test_findings_come_critical_first_then_in_rule_order() -> None:
    def troubled(d: dict) -> None:
        d["staff"][0]["role"] = "member"  # no lead: warning
        d["items"][0]["evidence"] = []  # info
        d["items"][2]["receivers"] = []  # item without receiver

    found = evaluate(build(troubled), TERM_END - days(10), lang="en")
    severities = [f.severity for f in found]
    assert severities == sorted(severities, reverse=True)
    assert found[0].severity is Severity.CRITICAL
    assert worst(found) is Severity.CRITICAL and worst([]) is None
    counts = count_by_severity(found)
    assert list(counts) == [Severity.CRITICAL, Severity.WARNING, Severity.INFO]
    assert sum(counts.values()) == len(found)


def test_finding_text_in_the_checks_language_and_in_any_other() -> None:
    f = _orphan_finding("en")
    assert f.message.startswith("1 of 3 know-how items")
    message, action = f.text("ja")
    assert message.startswith("3件中1件") and action
    data = f.to_dict()
    assert set(data) == {
        "code", "severity", "aspect", "engagement_id", "subject_id", "subject_ids", "message", "action", "reason", "facts"}
    assert data["subject_ids"] == ["kh-data"]
    assert f.reason.startswith("Must-do 3") and f.reason_text("ja").startswith("必ずやること(3)")
    assert data["severity"] == "warning" and data["engagement_id"] == "en-healthy"


def _orphan_finding(lang: str | None = None):
    found = evaluate(build(lambda d: d["items"][2].update(receivers=[])), TODAY, lang=lang)
    return next(f for f in found if f.code == "item-without-receiver")


def test_findings_without_a_language_follow_the_ui_language() -> None:
    f = _orphan_finding()
    assert "受け手" in f.message
    set_language("en")
    assert "receiving staff" in f.message


def test_findings_are_frozen_and_hashable() -> None:
    f = _orphan_finding()
    with pytest.raises(AttributeError):
        f.code = "other"  # type: ignore[misc]
    assert _orphan_finding() == f and len({f, _orphan_finding()}) == 1


def test_settings_change_thresholds_and_can_disable_rules() -> None:
    e = healthy()
    assert "term-ending-untransferred" in codes(e, TERM_END - days(90))
    # (4 days a month: about 12 contracted days are left 90 days before the end, which also warns)
    assert "term-ending-untransferred" not in codes(
        e, TERM_END - days(90), term_ending_days=60, term_ending_contracted_days=10, term_ending_critical_contracted_days=5)
    assert "term-ending-untransferred" not in codes(e, TERM_END - days(10), disabled=["term-ending-untransferred"])
    settings = Settings(pitfalls=PitfallSettings(term_ending_days=120))
    assert "term-ending-untransferred" in [f.code for f in evaluate(e, TERM_END - days(100), settings)]


def test_evaluate_all_keeps_the_given_order_and_leaves_the_collector_alone() -> None:
    import gc

    a = healthy()
    b = build(lambda d: d.update(id="en-b", items=[]))
    out = evaluate_all([b, a], TODAY)
    assert list(out) == ["en-b", "en-healthy"]
    assert [f.code for f in out["en-b"]] == ["items-undefined"] and out["en-healthy"] == []
    assert gc.isenabled()


def test_rules_called_alone_and_in_threads_see_their_own_engagement() -> None:
    # The engine shares one snapshot per engagement between rules; it must never leak across
    # engagements or threads (the TUI evaluates in a worker).
    a = build(lambda d: d.update(items=[]))
    b = healthy()
    results: dict[str, list[str]] = {}

    def run(name: str, engagement) -> None:
        for _ in range(50):
            results[name] = [f.code for f in evaluate(engagement, TODAY)]

    threads = [threading.Thread(target=run, args=("a", a)), threading.Thread(target=run, args=("b", b))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == {"a": ["items-undefined"], "b": []}
    assert get_rule("items-undefined").check(a, TODAY, PitfallSettings(), "ja")
    assert get_rule("items-undefined").check(b, TODAY, PitfallSettings(), "ja") == []
