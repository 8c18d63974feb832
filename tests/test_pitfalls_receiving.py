"""Receiving know-how rules (the must-dos): fire, do not fire, boundary."""

from __future__ import annotations

from datetime import date

from pitfalls_factory import TERM_END, TERM_START, TODAY, build, check, days, healthy

from xtalent.pitfalls import Aspect, Severity


def _stage(d: dict, item: int, stage: str, on: str | None = None) -> None:
    for reception in d["items"][item]["receivers"]:
        reception["stage"] = stage
        reception["history"] = [{"on": on, "stage": stage}] if on else []


# ----- no-receiving-structure -----------------------------------------------------------------

def _no_staff(d: dict) -> None:
    d["staff"] = []
    for tg in d["targets"]:
        tg["staff_ids"] = []
    for item in d["items"]:
        item["receivers"] = []


def test_no_receiving_structure_is_critical_with_no_staff() -> None:
    [f] = check("no-receiving-structure", build(_no_staff))
    assert f.severity is Severity.CRITICAL and f.aspect is Aspect.RECEIVING_KNOWHOW
    assert f.facts["staff"] == 0 and "あと128日" in f.message


def test_no_receiving_structure_warns_without_a_lead() -> None:
    [f] = check("no-receiving-structure", build(lambda d: d["staff"][0].update(role="member")))
    assert f.severity is Severity.WARNING and f.facts["staff"] == 3 and f.facts["leads"] == 0
    assert "受入れリーダー" in f.message
    assert check("no-receiving-structure", healthy()) == []


# ----- items-undefined ------------------------------------------------------------------------

def test_items_undefined_fires_with_no_items_only() -> None:
    [f] = check("items-undefined", build(lambda d: d.update(items=[])))
    assert f.severity is Severity.WARNING and f.facts["items"] == 0
    assert check("items-undefined", healthy()) == []


# ----- item-without-receiver ------------------------------------------------------------------

def test_item_without_receiver_states_the_count_and_the_term_end() -> None:
    e = build(lambda d: d["items"][2].update(receivers=[]))
    [f] = check("item-without-receiver", e)
    assert f.message == "3件中1件のノウハウに受け手がいません（「データ分析の手順」）。任期終了まであと128日（2027-03-31）"
    assert f.facts["item_ids"] == ["kh-data"] and f.severity is Severity.WARNING
    [en] = check("item-without-receiver", e, lang="en")
    assert en.message.startswith("1 of 3 know-how items have no receiving staff")
    assert "the term ends in 128 days (2027-03-31)" in en.message


def test_item_without_receiver_turns_critical_within_the_last_days() -> None:
    e = build(lambda d: d["items"][2].update(receivers=[]))
    assert check("item-without-receiver", e, TERM_END - days(30))[0].severity is Severity.CRITICAL
    assert check("item-without-receiver", e, TERM_END - days(31))[0].severity is Severity.WARNING
    assert check("item-without-receiver", healthy()) == []


# ----- single-point-of-knowledge --------------------------------------------------------------

def test_single_point_of_knowledge_is_info_for_a_few_items() -> None:
    e = build(lambda d: d["items"][0]["receivers"].pop())
    [f] = check("single-point-of-knowledge", e)
    assert f.severity is Severity.INFO and f.subject_id is None and f.facts["count"] == 1


def test_single_point_of_knowledge_warns_when_most_items_depend_on_one_person() -> None:
    def one_person(d: dict) -> None:
        for item in d["items"]:
            item["receivers"] = [{"staff_id": "st-lead", "stage": "together"}]

    [f] = check("single-point-of-knowledge", build(one_person))
    assert f.severity is Severity.WARNING and f.subject_id == "st-lead" and f.facts["held"] == 3
    assert "佐藤 一郎さん" in f.message


def test_single_point_of_knowledge_boundary_is_more_than_the_share() -> None:
    def two_of_four(d: dict) -> None:
        d["items"].append({"id": "kh-4", "title": "追加", "receivers": [{"staff_id": "st-lead"}, {"staff_id": "st-member"}]})
        d["items"][0]["receivers"].pop()
        d["items"][1]["receivers"].pop()

    e = build(two_of_four)  # 2 of 4 items single = 0.5: not more than half
    assert check("single-point-of-knowledge", e)[0].severity is Severity.INFO
    assert check("single-point-of-knowledge", e, single_point_share=0.4)[0].severity is Severity.WARNING
    assert check("single-point-of-knowledge", healthy()) == []


# ----- receiver-rotation-risk -----------------------------------------------------------------

def test_receiver_rotation_risk_before_the_term_end() -> None:
    e = build(lambda d: d["staff"][1].update(rotation_expected="2027-03-01"))
    [f] = check("receiver-rotation-risk", e)
    assert f.subject_id == "st-member" and f.facts["days_from_term_end"] == -30 and f.facts["items"] == 2
    assert "30日前" in f.message


def test_receiver_rotation_risk_soon_after_the_term_end_and_its_boundary() -> None:
    at_margin = build(lambda d: d["staff"][1].update(rotation_expected=(TERM_END + days(90)).isoformat()))
    [f] = check("receiver-rotation-risk", at_margin)
    assert "90日後" in f.message
    beyond = build(lambda d: d["staff"][1].update(rotation_expected=(TERM_END + days(91)).isoformat()))
    assert check("receiver-rotation-risk", beyond) == []


def test_receiver_rotation_risk_only_for_receivers_or_the_lead() -> None:
    def idle_member(d: dict) -> None:
        d["staff"].append({"id": "st-x", "name": "無関係 太郎", "role": "member", "rotation_expected": "2027-01-01"})

    assert check("receiver-rotation-risk", build(idle_member)) == []
    lead_only = build(lambda d: (d["staff"].append({"id": "st-y", "name": "課長", "role": "lead",
                                                     "rotation_expected": "2027-01-01"})))
    assert [f.subject_id for f in check("receiver-rotation-risk", lead_only)] == ["st-y"]


def test_receiver_rotation_risk_quiet_long_after_the_term() -> None:
    e = build(lambda d: d["staff"][1].update(rotation_expected="2027-03-01"))
    assert check("receiver-rotation-risk", e, TERM_END + days(91)) == []
    assert check("receiver-rotation-risk", healthy()) == []


# ----- due-after-term -------------------------------------------------------------------------

def test_due_after_term_fires_the_day_after_the_term_end() -> None:
    e = build(lambda d: d["items"][1].update(due=(TERM_END + days(1)).isoformat()))
    [f] = check("due-after-term", e)
    assert f.subject_id == "kh-vendor" and f.facts["due"] == {"kh-vendor": (TERM_END + days(1)).isoformat()}
    on_the_day = build(lambda d: d["items"][1].update(due=TERM_END.isoformat()))
    assert check("due-after-term", on_the_day) == []


def test_due_after_term_ignores_transferred_items_and_ended_terms() -> None:
    e = build(lambda d: d["items"][0].update(due="2027-06-30"))  # kh-flow is already independent
    assert check("due-after-term", e) == []
    late = build(lambda d: d["items"][1].update(due="2027-06-30"))
    assert check("due-after-term", late, TERM_END + days(1)) == []


# ----- transfer-stalled -----------------------------------------------------------------------

def test_transfer_stalled_fires_at_exactly_n_days() -> None:
    at = (TODAY - days(60)).isoformat()
    [f] = check("transfer-stalled", build(lambda d: _stage(d, 2, "together", at)))
    assert f.subject_id == "kh-data" and f.facts["idle_days"] == {"kh-data": 60}
    assert "約9週間" in f.message and "協働" in f.message
    nearly = (TODAY - days(59)).isoformat()
    assert check("transfer-stalled", build(lambda d: _stage(d, 2, "together", nearly))) == []


def test_transfer_stalled_without_history_counts_from_the_term_start() -> None:
    [f] = check("transfer-stalled", build(lambda d: _stage(d, 2, "not_started")))
    assert f.facts["idle_days"] == {"kh-data": (TODAY - TERM_START).days} and "約8か月" in f.message


def test_transfer_stalled_moves_before_the_term_do_not_count() -> None:
    e = build(lambda d: _stage(d, 2, "together", (TERM_START - days(10)).isoformat()))
    assert check("transfer-stalled", e, TERM_START + days(59)) == []
    [f] = check("transfer-stalled", e, TERM_START + days(60))
    assert f.facts["idle_days"] == {"kh-data": 60}


def test_transfer_stalled_only_in_term_and_not_for_transferred_or_unreceived_items() -> None:
    old = "2026-05-01"
    e = build(lambda d: _stage(d, 2, "together", old))
    assert check("transfer-stalled", e, TERM_END + days(1)) == []
    assert check("transfer-stalled", build(lambda d: _stage(d, 2, "independent", old))) == []
    assert check("transfer-stalled", build(lambda d: d["items"][2].update(receivers=[]))) == []
    assert check("transfer-stalled", healthy()) == []


# ----- transfer-pace-behind -------------------------------------------------------------------

def test_transfer_pace_behind_projects_the_date() -> None:
    # 236 days in, 3 steps climbed and 12 to go: 12 * 236 / 3 = 944 more days.
    def slow(d: dict) -> None:
        _stage(d, 0, "together", "2026-11-01")
        _stage(d, 1, "not_started")
        _stage(d, 2, "not_started")

    [f] = check("transfer-pace-behind", build(slow))
    assert f.facts["steps_climbed"] == 3 and f.facts["steps_remaining"] == 12
    assert f.facts["projected"] == (TODAY + days(944)).isoformat()
    # 2029-06-24, about 2 years 3 months after the end: in months and years, as HR would say it
    assert "2029年6月頃" in f.message and "2027-03-31" in f.message and "約2年3か月後" in f.message
    assert "段階" not in f.message  # no ladder arithmetic in the message


def test_transfer_pace_behind_boundary_projection_on_the_term_end_is_on_time() -> None:
    # As many steps climbed as remain (5 and 5): the projection doubles the elapsed time, and
    # the 364-day term is exactly doubled 182 days in.
    def halfway(d: dict) -> None:
        _stage(d, 0, "supported", "2026-06-01")
        _stage(d, 1, "documented", "2026-06-01")
        d["items"].pop()

    e = build(halfway)
    assert check("transfer-pace-behind", e, TERM_START + days(182)) == []
    [f] = check("transfer-pace-behind", e, TERM_START + days(183))
    assert f.facts["projected"] == (TERM_END + days(2)).isoformat()
    assert check("transfer-pace-behind", healthy()) == []


def test_transfer_pace_behind_with_no_step_climbed() -> None:
    [f] = check("transfer-pace-behind", build(lambda d: [_stage(d, n, "not_started") for n in range(3)]))
    assert f.facts["projected"] is None and f.facts["steps_remaining"] == 15


def test_transfer_pace_behind_waits_for_the_minimum_elapsed_days() -> None:
    e = build(lambda d: [_stage(d, n, "not_started") for n in range(3)])
    assert check("transfer-pace-behind", e, TERM_START + days(59)) == []
    assert len(check("transfer-pace-behind", e, TERM_START + days(60))) == 1


# ----- term-ending-untransferred / term-ended-untransferred -----------------------------------

def test_term_ending_untransferred_boundaries() -> None:
    e = build(lambda d: d.update(days_per_month=None))  # two of three items are below independent
    assert check("term-ending-untransferred", e, TERM_END - days(91)) == []
    [warn] = check("term-ending-untransferred", e, TERM_END - days(90))
    assert warn.severity is Severity.WARNING and warn.facts["count"] == 2
    assert warn.message.startswith("任期終了まであと90日（2027-03-31）。3件中2件")
    assert check("term-ending-untransferred", e, TERM_END - days(31))[0].severity is Severity.WARNING
    assert check("term-ending-untransferred", e, TERM_END - days(30))[0].severity is Severity.CRITICAL
    assert check("term-ending-untransferred", e, TERM_END)[0].severity is Severity.CRITICAL
    assert check("term-ending-untransferred", e, TERM_END + days(1)) == []


def test_term_ending_untransferred_quiet_when_everything_is_transferred() -> None:
    e = build(lambda d: [_stage(d, n, "verified", "2026-11-01") for n in range(3)])
    assert check("term-ending-untransferred", e, TERM_END - days(10)) == []


def test_term_ended_untransferred_fires_the_day_after() -> None:
    e = healthy()
    assert check("term-ended-untransferred", e, TERM_END) == []
    [f] = check("term-ended-untransferred", e, TERM_END + days(1))
    assert f.severity is Severity.CRITICAL and f.facts["days_left"] == -1
    assert "1日前（2027-03-31）に終了" in f.message and "連絡" in f.action
    done = build(lambda d: [_stage(d, n, "independent", "2026-11-01") for n in range(3)])
    assert check("term-ended-untransferred", done, date(2028, 1, 1)) == []


# ----- transfer-unevidenced -------------------------------------------------------------------

def test_transfer_unevidenced_fires_for_independent_items_without_evidence() -> None:
    [f] = check("transfer-unevidenced", build(lambda d: d["items"][0].update(evidence=[])))
    assert f.severity is Severity.INFO and f.facts["item_ids"] == ["kh-flow"]
    assert check("transfer-unevidenced", build(lambda d: _stage(d, 1, "supported", "2026-11-01"))) == []
    assert check("transfer-unevidenced", healthy()) == []
