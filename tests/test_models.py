from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from xtalent.errors import from_validation_error
from xtalent.models import Engagement, KnowHowItem, Reception, Stage


def minimal(**extra):
    data = {
        "id": "en-1",
        "person": {"name": "佐藤 花子"},
        "role": "cdo",
        "organisation": "みどり野市",
        "term_start": "2025/4/1",
        "term_end": "令和9年3月31日",
    }
    data.update(extra)
    return data


def problems(data, lang="en"):
    with pytest.raises(ValidationError) as err:
        Engagement.model_validate(data)
    return from_validation_error(err.value, "input").lines(lang)


def test_dates_as_users_type_them_are_stored_as_iso() -> None:
    e = Engagement.model_validate(minimal())
    assert e.term_end == date(2027, 3, 31)
    assert e.model_dump(mode="json")["term_end"] == "2027-03-31"


def test_term_end_before_start_names_the_problem_in_both_languages() -> None:
    data = minimal(term_start="2027-04-01")
    assert problems(data, "en") == ["(root): the term ends before it starts"]
    assert problems(data, "ja") == ["(root): 任期の終了日が開始日より前です"]


def test_bad_values_name_the_field_path() -> None:
    data = minimal(items=[{"title": "議会答弁の型", "due": "R1.4.1", "receivers": [{"staff_id": "st-1", "stage": "flying"}]}])
    lines = problems(data)
    assert "items[0].receivers[0].stage: is not one of the choices ('not_started', 'documented', 'shadowing', 'together', 'supported', 'independent' or 'verified')" in lines
    assert "items[0].due: the date is outside that era" in lines


def test_a_receiver_must_be_named_staff() -> None:
    data = minimal(items=[{"id": "kh-1", "title": "RPA運用", "receivers": [{"staff_id": "st-ghost"}]}])
    assert problems(data, "ja") == ["items[0].receivers[0].staff_id: 参照先 st-ghost が存在しません"]


def test_targets_and_log_references_are_checked() -> None:
    data = minimal(log=[{"on": "2026-05-01", "target_id": "tg-x"}])
    assert problems(data) == ["log[0].target_id: refers to tg-x, which does not exist"]


def test_duplicate_ids_are_refused() -> None:
    data = minimal(staff=[{"id": "st-1", "name": "A"}, {"id": "st-1", "name": "B"}])
    assert problems(data) == ["(root): id st-1 appears twice in staff"]


@settings(max_examples=150, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["targets", "items", "staff", "log"]),
        st.lists(st.sampled_from(["x-1", "x-2", "x-3", "x-4"]), max_size=5),
        max_size=4,
    )
)
def test_the_first_duplicate_of_the_first_collection_holding_one_is_named(ids: dict[str, list[str]]) -> None:
    # The definition: collections checked in the order targets, items, staff, log; in the first
    # one holding a duplicate, the first id seen again is named.
    record = {
        "targets": lambda i: {"id": i, "title": "t"},
        "items": lambda i: {"id": i, "title": "i"},
        "staff": lambda i: {"id": i, "name": "s"},
        "log": lambda i: {"id": i, "on": "2025-05-01"},
    }
    data = minimal(**{name: [record[name](i) for i in found] for name, found in ids.items()})
    expected = []
    for name in ("targets", "items", "staff", "log"):
        seen: set[str] = set()
        for i in ids.get(name, []):
            if i in seen:
                expected = [f"(root): id {i} appears twice in {name}"]
                break
            seen.add(i)
        if expected:
            break
    if expected:
        assert problems(data) == expected
    else:
        assert Engagement.model_validate(data).model_dump()["id"] == "en-1"


STAFF = ["st-1", "st-2", "st-3"]
TARGETS = ["tg-1", "tg-2"]
ITEMS = ["kh-1", "kh-2", "kh-3"]


@settings(max_examples=200, deadline=None)
@given(
    staff=st.lists(st.sampled_from(STAFF), unique=True, max_size=3),
    targets=st.lists(st.tuples(st.sampled_from(TARGETS), st.lists(st.sampled_from([*STAFF, "st-9"]), max_size=2)),
                     unique_by=lambda t: t[0], max_size=2),
    items=st.lists(st.tuples(st.sampled_from(ITEMS), st.sampled_from([*TARGETS, "tg-9", None]),
                             st.lists(st.sampled_from([*STAFF, "st-9"]), unique=True, max_size=3)),
                   unique_by=lambda i: i[0], max_size=3),
    log=st.lists(st.sampled_from([*TARGETS, "tg-9", None]), max_size=3),
    support=st.none() | st.lists(st.sampled_from([*ITEMS, "kh-9"]), max_size=2),
)
def test_the_first_reference_pointing_nowhere_is_named(staff, targets, items, log, support) -> None:
    # The definition: targets' staff, then each item's target and receivers, then the log's
    # targets, then the closing's support plans; the first reference to no record is named.
    staff_ids, target_ids, item_ids = set(staff), {t for t, _ in targets}, {i for i, _, _ in items}
    refs = [((f"targets[{n}].staff_ids"), s) for n, (_, ss) in enumerate(targets) for s in ss if s not in staff_ids]
    for n, (_, target, receivers) in enumerate(items):
        refs += [(f"items[{n}].target_id", target)] if target is not None and target not in target_ids else []
        refs += [(f"items[{n}].receivers[{m}].staff_id", s) for m, s in enumerate(receivers) if s not in staff_ids]
    refs += [(f"log[{n}].target_id", t) for n, t in enumerate(log) if t is not None and t not in target_ids]
    refs += [(f"closure.support[{n}].item_id", i) for n, i in enumerate(support or []) if i not in item_ids]
    data = minimal(
        staff=[{"id": s, "name": s} for s in staff],
        targets=[{"id": t, "title": t, "staff_ids": ss} for t, ss in targets],
        items=[{"id": i, "title": i, "target_id": t, "receivers": [{"staff_id": s} for s in rs]} for i, t, rs in items],
        log=[{"id": f"lg-{n}", "on": "2025-05-01", "target_id": t} for n, t in enumerate(log)],
    )
    if support is not None:
        data["closure"] = {"on": "2026-03-31", "by": "A", "outcome": "completed",
                           "support": [{"item_id": i, "who": "B", "how": "C", "until": "2026-06-30"} for i in support]}
    if refs:
        where, ref = refs[0]
        assert problems(data) == [f"{where}: refers to {ref}, which does not exist"]
    else:
        assert Engagement.model_validate(data).id == "en-1"


def test_unknown_fields_and_missing_required_ones() -> None:
    data = minimal(colour="red")
    del data["person"]
    lines = problems(data)
    assert "person: is required" in lines
    assert "colour: is not a known field" in lines


def test_errors_do_not_echo_personal_data() -> None:
    data = minimal(person={"name": "佐藤 花子", "email": ["sato@example.jp"]})
    text = "\n".join(problems(data) + problems(data, "ja"))
    assert "sato@example.jp" not in text


def test_item_stage_is_the_furthest_receiver_and_the_ladder_is_ordered() -> None:
    item = KnowHowItem(
        title="x",
        receivers=[Reception(staff_id="st-a", stage=Stage.SHADOWING), Reception(staff_id="st-b", stage=Stage.INDEPENDENT)],
    )
    assert item.stage is Stage.INDEPENDENT and item.transferred
    assert Stage.NOT_STARTED.step(-1) is Stage.NOT_STARTED
    assert Stage.INDEPENDENT.step(1) is Stage.VERIFIED
    assert Stage.VERIFIED.step(1) is Stage.VERIFIED
    assert [s.rank for s in Stage] == list(range(7))


def test_ids_are_stable_and_generated_when_missing() -> None:
    e = Engagement.model_validate(minimal(id=None) | {"id": "en-keep"})
    assert e.id == "en-keep"
    fresh = Engagement.model_validate({k: v for k, v in minimal().items() if k != "id"})
    assert fresh.id.startswith("en-")
