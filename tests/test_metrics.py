"""Readiness, urgency and the 分身 count, each with the breakdown that explains it."""

from __future__ import annotations

from pitfalls_factory import TERM_END, TODAY, build, days, healthy

from xtalent.metrics import (
    READINESS_CAP_UNTRANSFERRED,
    READINESS_WEIGHTS,
    URGENCY_DUE,
    URGENCY_NO_RECEIVER,
    URGENCY_ROTATION,
    URGENCY_SINGLE_RECEIVER,
    URGENCY_STAGE_STEP,
    URGENCY_STALLED,
    bunshin,
    readiness,
    urgency,
)
from xtalent.settings import PitfallSettings


def test_readiness_weights_sum_to_100() -> None:
    assert sum(READINESS_WEIGHTS.values()) == 100


def test_readiness_of_the_healthy_engagement_and_its_breakdown() -> None:
    score = readiness(healthy(), TODAY, "ja")
    # Transfer results first: 1 of 3 items at 自立 (35/3), 1 of 3 staff a 分身 (15/3), that item's
    # evidence (10/3), progress 80% of 10; the paperwork is a quarter of the score.
    assert score.value == 58
    assert dict(score.why) == {
        "「自立」以上に達したノウハウ（1/3件）": 11.7,
        "変革目標の合意（2/2件）": 10.0,
        "移転の進み具合（平均80%）": 8.0,
        "分身になった受入れ職員（1/3人）": 5.0,
        "受け手が2人以上のノウハウ（3/3件）": 5.0,
        "目標の定義（2/2件）": 5.0,
        "受入れリーダーあり": 5.0,
        "受け手のいるノウハウ（3/3件）": 5.0,
        "証跡のある「自立」以上のノウハウ（1/3件）": 3.3,
    }
    assert [p for _, p in score.why] == sorted((p for _, p in score.why), reverse=True)


def _all(stage: str):
    def edit(d: dict) -> None:
        for item in d["items"]:
            for reception in item["receivers"]:
                reception["stage"] = stage
    return edit


def test_readiness_rewards_staff_who_can_carry_on_alone() -> None:
    # Everyone at 自立: the items (35), the 分身 (15), the progress (10) and the paperwork (30);
    # only one item has evidence (10/3).  Everyone one step short (自走) is held at the cap.
    supported, independent = readiness(build(_all("supported")), TODAY), readiness(build(_all("independent")), TODAY)
    assert independent.value == 93 and supported.value == READINESS_CAP_UNTRANSFERRED


def test_readiness_with_nothing_transferred_is_capped_low_and_says_why() -> None:
    # The case: tidy paperwork, 0 of 4 transferred scored 56.  Now the cap shows as a
    # line of the breakdown, so the number can still be explained.
    score = readiness(build(_all("supported")), TODAY, "ja")
    assert score.value == READINESS_CAP_UNTRANSFERRED
    assert dict(score.why)["移転済みのノウハウがないため上限20点"] < 0
    assert abs(sum(points for _, points in score.why) - score.value) < 0.6


def test_readiness_of_an_empty_engagement_is_zero_with_every_component_shown() -> None:
    def empty(d: dict) -> None:
        d.update(targets=[], items=[], staff=[], log=[])

    score = readiness(build(empty), TODAY, "en")
    assert score.value == 0 and len(score.why) == len(READINESS_WEIGHTS)
    assert all(points == 0 for _, points in score.why)


def test_readiness_counts_partial_components() -> None:
    def half(d: dict) -> None:
        d["targets"][0]["agreed_on"] = None  # 1 of 2 agreed: 5 of 10
        d["items"][2]["receivers"] = []  # 2 of 3 received, 2 of 3 backed up, progress (5+4)/15

    score = readiness(build(half), TODAY, "en")
    why = dict(score.why)
    assert why["change targets agreed (1/2)"] == 5.0
    assert why["items with a receiver (2/3)"] == 3.3
    assert why["transfer progress (average 60%)"] == 6.0
    assert why['items at "independent" or beyond (1/3)'] == 11.7
    assert score.value == round(sum(why.values()))


def test_readiness_counts_only_targets_agreed_beyond_proposed() -> None:
    proposed = build(lambda d: [tg.update(status="proposed") for tg in d["targets"]])
    assert dict(readiness(proposed, TODAY, "en").why)["change targets agreed (0/2)"] == 0


def test_urgency_of_a_transferred_item_is_zero() -> None:
    e = healthy()
    score = urgency(e.items[0], e, TODAY, lang="en")
    assert score.value == 0 and score.why == (("transferred (independent or beyond)", 0.0),)


def test_urgency_breakdown_shows_each_contribution() -> None:
    def risky(d: dict) -> None:
        item = d["items"][1]  # kh-vendor: supported, due on the term end
        item["receivers"] = [{"staff_id": "st-member", "stage": "together", "history": [{"on": "2026-08-01", "stage": "together"}]}]
        d["staff"][1]["rotation_expected"] = "2027-03-01"

    e = build(risky)
    score = urgency(e.items[1], e, TODAY, lang="en")
    why = dict(score.why)
    assert why["2 steps to \"independent\""] == 2 * URGENCY_STAGE_STEP
    assert why["only one receiver"] == URGENCY_SINGLE_RECEIVER
    assert why["a receiver rotates within the term"] == URGENCY_ROTATION
    assert why["not moved for 114 days"] == URGENCY_STALLED
    # 128 days to the due date, beyond the 90-day horizon: 0.2 * 90 / 128 of the due weight
    assert why["due in 128 days (2027-03-31)"] == round(URGENCY_DUE * 0.2 * 90 / 128, 1)
    assert score.value == round(sum(why.values()), 1)


def test_urgency_grows_as_the_due_date_nears_and_is_full_a_week_overdue() -> None:
    e = build(lambda d: d["items"][2].update(receivers=[]))
    item = e.items[2]  # no due date: the term end stands in
    far, near = urgency(item, e, TODAY), urgency(item, e, TERM_END - days(10))
    assert near.value > far.value
    overdue = urgency(item, e, TERM_END + days(7), lang="en")
    why = dict(overdue.why)
    assert why["term ended 7 days ago (2027-03-31)"] == URGENCY_DUE
    assert why["no receiver"] == URGENCY_NO_RECEIVER


def test_urgency_at_the_horizon_is_one_fifth_of_the_due_weight() -> None:
    e = build(lambda d: d["items"][2].update(due=(TODAY + days(90)).isoformat()))
    due_points = urgency(e.items[2], e, TODAY, PitfallSettings(), "en").why
    assert ("due in 90 days (2027-02-21)", round(URGENCY_DUE * 0.2, 1)) in due_points


def test_bunshin_counts_staff_at_independent_or_beyond() -> None:
    def more(d: dict) -> None:
        d["items"][1]["receivers"][0]["stage"] = "verified"  # st-lead again: still one person
        d["items"][2]["receivers"][1]["stage"] = "independent"  # st-member

    counted = bunshin(build(more))
    assert counted.per_item == {"kh-flow": 1, "kh-vendor": 1, "kh-data": 1}
    assert counted.staff_ids == frozenset({"st-lead", "st-member"}) and counted.total == 2
    assert bunshin(build(lambda d: d.update(items=[]))).total == 0
