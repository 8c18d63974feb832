"""Promotion structure (推進体制) and persona (人物像) rules: fire, do not fire, boundary."""

from __future__ import annotations

from pitfalls_factory import TODAY, build, check, days, healthy

from xtalent.pitfalls import Aspect, Severity, evaluate


# ----- scope-undefined ------------------------------------------------------------------------

def test_scope_undefined_fires_with_no_target_and_names_the_term_end() -> None:
    e = build(lambda d: (d.update(targets=[]), [i.update(target_id=None) for i in d["items"]],
                         [g.update(target_id=None) for g in d["log"]]))
    [f] = check("scope-undefined", e)
    assert f.severity is Severity.CRITICAL and f.aspect is Aspect.PROMOTION_STRUCTURE
    assert f.subject_id is None
    assert "あと128日（2027-03-31）" in f.message
    assert f.facts["days_left"] == 128


def test_scope_undefined_counts_dropped_targets_as_none() -> None:
    e = build(lambda d: [tg.update(status="dropped") for tg in d["targets"]])
    [f] = check("scope-undefined", e, lang="en")
    assert "2 all dropped" in f.message and f.facts["dropped"] == 2


def test_scope_undefined_quiet_with_one_live_target() -> None:
    e = build(lambda d: d["targets"][0].update(status="dropped"))
    assert check("scope-undefined", e) == []
    assert check("scope-undefined", healthy()) == []


# ----- target-unagreed ------------------------------------------------------------------------

def test_target_unagreed_is_one_line_naming_every_target() -> None:
    e = build(lambda d: (d["targets"][0].update(agreed_on=None), d["targets"][1].update(agreed_by="")))
    [f] = check("target-unagreed", e)
    assert f.subjects == ("tg-window", "tg-ebpm") and f.facts["missing"] == {"tg-window": "date", "tg-ebpm": "counterpart"}
    assert "変革目標2件" in f.message and "「書かない窓口」" in f.message and "「データに基づく政策立案」" in f.message


def test_target_unagreed_names_both_when_both_are_missing() -> None:
    e = build(lambda d: d["targets"][0].update(agreed_on=None, agreed_by="", status="agreed"))
    [f] = check("target-unagreed", e, lang="en")
    assert f.facts["missing"] == {"tg-window": "both"} and "\"書かない窓口\"" in f.message


def test_target_unagreed_ignores_achieved_and_dropped_targets() -> None:
    e = build(lambda d: (d["targets"][0].update(agreed_on=None, status="achieved"),
                         d["targets"][1].update(agreed_by="", status="dropped")))
    assert check("target-unagreed", e) == []
    assert check("target-unagreed", healthy()) == []


# ----- goal-undefined / goal-unmeasured -------------------------------------------------------

def test_goal_undefined_fires_with_neither_goal_nor_indicator() -> None:
    e = build(lambda d: d["targets"][0].update(goal="", indicator=None))
    [f] = check("goal-undefined", e)
    assert f.subject_id == "tg-window" and f.severity is Severity.WARNING
    assert check("goal-unmeasured", e) == []  # the stronger warning only


def test_goal_undefined_quiet_with_goal_only_or_indicator_only() -> None:
    assert check("goal-undefined", build(lambda d: d["targets"][0].update(indicator=None))) == []
    assert check("goal-undefined", build(lambda d: d["targets"][0].update(goal=""))) == []


def test_goal_unmeasured_is_info_for_a_goal_in_words_only() -> None:
    [f] = check("goal-unmeasured", build(lambda d: d["targets"][0].update(indicator=None)))
    assert f.severity is Severity.INFO and f.facts["has_indicator"] is False


def test_goal_unmeasured_fires_for_an_indicator_without_numbers() -> None:
    e = build(lambda d: d["targets"][1]["indicator"].update(baseline=None))
    [f] = check("goal-unmeasured", e)
    assert f.subject_id == "tg-ebpm" and "データに基づく政策立案" in f.message and f.facts["has_indicator"]
    assert check("goal-unmeasured", healthy()) == []


# ----- wholesale-handover (丸投げ) -------------------------------------------------------------

def _external_alone(d: dict, n: int) -> None:
    for tg in d["targets"][:n]:
        tg.update(owner="external", staff_ids=[])


def test_wholesale_handover_fires_when_most_targets_are_external_alone() -> None:
    [f] = check("wholesale-handover", build(lambda d: _external_alone(d, 2)))
    assert f.facts == {"external_alone": 2, "targets": 2, "target_ids": ["tg-window", "tg-ebpm"]}
    assert f.subjects == ("tg-window", "tg-ebpm")
    assert "2件中2件" in f.message and "丸投げ" in f.message


def test_wholesale_handover_boundary_is_more_than_the_share() -> None:
    half = build(lambda d: _external_alone(d, 1))  # 1 of 2 = 0.5, not more than 0.5
    assert check("wholesale-handover", half) == []
    assert len(check("wholesale-handover", half, wholesale_share=0.49)) == 1


def test_wholesale_handover_external_owner_with_staff_is_not_alone() -> None:
    e = build(lambda d: [tg.update(owner="external") for tg in d["targets"]])
    assert check("wholesale-handover", e) == []


def test_wholesale_handover_fires_when_everything_is_wide_with_no_department() -> None:
    e = build(lambda d: [tg.update(scope_level="organisation", field_department="") for tg in d["targets"]])
    [f] = check("wholesale-handover", e)
    assert f.facts["wide_without_department"] == 2
    one_has_department = build(lambda d: d["targets"][1].update(field_department=""))
    assert check("wholesale-handover", one_has_department) == []


# ----- dispatch-days-exceeded (地域情報化アドバイザー) -----------------------------------------------

def _advisor(d: dict) -> None:
    d.update(role="regional_info_advisor", contract_form="ministry_dispatch", appointment_type="regional_info_advisor",
             days_per_month=None)


def _log_days(d: dict, n: int, target: str | None = "tg-window", online: bool = False, minutes: int = 60) -> None:
    d["log"] = [
        {"id": f"lg-{k}", "on": f"2026-10-{k + 1:02d}", "kind": "consultation", "target_id": target,
         "minutes": minutes, "online": online, "report_on": f"2026-10-{k + 2:02d}"}
        for k in range(n)
    ]


def test_dispatch_days_exceeded_a_2_days_a_month_advisor_over_12_months() -> None:
    # The case: 月2日 for a whole 年度 is 24 days against 3 per project (two projects: 6).
    e = build(lambda d: (_advisor(d), d.update(days_per_month=2)))
    [f] = check("dispatch-days-exceeded", e)
    assert f.facts["planned_days"] == 24.0 and f.facts["allowed_days"] == 6 and f.facts["fiscal_year"] == 2026
    assert "月2日" in f.message and "約24日" in f.message and "令和8年度" in f.message


def test_dispatch_days_exceeded_boundary_on_the_plan() -> None:
    # Half a day a month for 12 months is the 6 days two projects allow.
    assert check("dispatch-days-exceeded", build(lambda d: (_advisor(d), d.update(days_per_month=0.5)))) == []


def test_dispatch_days_exceeded_counts_distinct_logged_days_per_project() -> None:
    e = build(lambda d: (_advisor(d), _log_days(d, 4)))
    [f] = check("dispatch-days-exceeded", e)
    assert f.subject_id == "tg-window" and f.facts["projects"] == ["書かない窓口"] and f.facts["fiscal_year"] == 2026
    assert "令和8年度" in f.message and "「書かない窓口」" in f.message
    assert check("dispatch-days-exceeded", build(lambda d: (_advisor(d), _log_days(d, 3)))) == []


def test_dispatch_days_exceeded_online_only_counts_hours() -> None:
    # Online only: 10 hours per project, however many days.
    six_short = build(lambda d: (_advisor(d), _log_days(d, 6, online=True, minutes=100)))  # 10 h exactly
    assert check("dispatch-days-exceeded", six_short) == []
    over = build(lambda d: (_advisor(d), _log_days(d, 3, online=True, minutes=240)))  # 12 h in 3 days
    [f] = check("dispatch-days-exceeded", over, lang="en")
    assert "10 hours if online only" in f.message


def test_dispatch_days_exceeded_entries_without_target_are_one_project() -> None:
    e = build(lambda d: (_advisor(d), _log_days(d, 5, target=None)))
    [f] = check("dispatch-days-exceeded", e, lang="en")
    assert f.subject_id is None and "みどり野市" in f.message and "FY2026" in f.message


def test_dispatch_days_exceeded_only_for_a_dispatch_type() -> None:
    assert check("dispatch-days-exceeded", build(lambda d: _log_days(d, 10))) == []


# ----- dispatch-report-overdue ------------------------------------------------------------------

def test_dispatch_report_overdue_a_week_after_the_dispatch() -> None:
    def unreported(d: dict) -> None:
        _advisor(d)
        _log_days(d, 2)
        d["log"][1]["report_on"] = None
        d["log"][1]["on"] = "2026-11-15"

    assert check("dispatch-report-overdue", build(unreported), TODAY - days(1)) == []  # 7 days: still in time
    [f] = check("dispatch-report-overdue", build(unreported))  # 8 days
    assert f.subject_id == "lg-1" and f.facts["oldest"] == "2026-11-15" and "実施報告書" in f.message
    assert check("dispatch-report-overdue", build(lambda d: (_advisor(d), _log_days(d, 2)))) == []


# ----- armchair-advice (机上の空論) -------------------------------------------------------------

def test_armchair_advice_fires_for_a_target_nobody_in_the_field_owns() -> None:
    e = build(lambda d: (d["targets"][0].update(field_department=""), d["targets"][1].update(staff_ids=[])))
    found = check("armchair-advice", e)
    assert [(f.subject_id, f.facts["missing"]) for f in found] == [("tg-window", "department"), ("tg-ebpm", "staff")]
    assert all(f.aspect is Aspect.PERSONA and f.severity is Severity.WARNING for f in found)


def test_armchair_advice_says_nothing_about_targets_the_wholesale_handover_names() -> None:
    # 丸投げ plus a 机上の空論 line for each of the same targets was one cause said four times.
    def dumped(d: dict) -> None:
        for tg in d["targets"]:
            tg.update(owner="external", staff_ids=[], field_department="")

    e = build(dumped)
    assert [f.code for f in evaluate(e, TODAY) if f.code in ("wholesale-handover", "armchair-advice")] == [
        "wholesale-handover"]


def test_armchair_advice_one_line_per_cause() -> None:
    e = build(lambda d: [tg.update(field_department="", staff_ids=[]) for tg in d["targets"]])
    [f] = check("armchair-advice", e)
    assert f.subjects == ("tg-window", "tg-ebpm") and "変革目標2件" in f.message


def test_armchair_advice_both_missing_and_quiet_once_achieved() -> None:
    e = build(lambda d: d["targets"][0].update(field_department="", staff_ids=[]))
    [f] = check("armchair-advice", e)
    assert f.facts["missing"] == "both"
    done = build(lambda d: d["targets"][0].update(field_department="", staff_ids=[], status="achieved"))
    assert check("armchair-advice", done) == []
    assert check("armchair-advice", healthy(), TODAY) == []
