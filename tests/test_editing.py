"""The edit session and the pure edits: validation, revision checks, undo/redo, history."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from xtalent import edits
from xtalent.editing import HISTORY_LIMIT, EditConflict, EditSession, UndoConflict
from xtalent.errors import InvalidData
from xtalent.models import (
    ChangeTarget,
    Engagement,
    KnowHowItem,
    LogEntry,
    Person,
    Reception,
    ReceivingStaff,
    Role,
    Stage,
)
from xtalent.store import ConflictError, Store

DAY = date(2026, 11, 23)


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 23, 9, 0)

    def __call__(self) -> datetime:
        self.now += timedelta(minutes=1)
        return self.now


def engagement(**changes) -> Engagement:
    base = Engagement(
        id="en-test",
        person=Person(name="山田 太郎"),
        role=Role.CDO,
        organisation="みどり野市",
        term_start=date(2026, 4, 1),
        term_end=date(2027, 3, 31),
        staff=[ReceivingStaff(id="st-a", name="佐藤"), ReceivingStaff(id="st-b", name="鈴木")],
        targets=[ChangeTarget(id="tg-1", title="申請のオンライン化", staff_ids=["st-a"])],
        items=[
            KnowHowItem(
                id="kh-1",
                title="業務フロー図の描き方",
                target_id="tg-1",
                receivers=[Reception(staff_id="st-a", stage=Stage.SHADOWING), Reception(staff_id="st-b")],
            )
        ],
        log=[LogEntry(id="lg-1", on=date(2026, 5, 1), target_id="tg-1", topic="キックオフ")],
    )
    return base.model_copy(update=changes)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store.open(tmp_path / "db")


@pytest.fixture
def session(store: Store) -> EditSession:
    return EditSession(store, clock=Clock())


def reopen(store: Store) -> Store:
    return Store.open(store.root)


# ----- pure edits -------------------------------------------------------------------------
def test_set_stage_appends_an_event() -> None:
    e = edits.set_stage(engagement(), "kh-1", "st-b", Stage.TOGETHER, DAY)
    reception = e.items[0].receivers[1]
    assert reception.stage == Stage.TOGETHER
    assert [(ev.on, ev.stage) for ev in reception.history] == [(DAY, Stage.TOGETHER)]


def test_step_stage_without_staff_advances_the_weakest_and_regresses_the_furthest() -> None:
    up = edits.step_stage(engagement(), "kh-1", None, +1, DAY)
    assert [r.stage for r in up.items[0].receivers] == [Stage.SHADOWING, Stage.DOCUMENTED]
    down = edits.step_stage(engagement(), "kh-1", None, -1, DAY)
    assert [r.stage for r in down.items[0].receivers] == [Stage.DOCUMENTED, Stage.NOT_STARTED]


def test_step_stage_refuses_beyond_the_ladder_and_without_receivers() -> None:
    with pytest.raises(edits.EditRefused) as info:
        edits.step_stage(engagement(), "kh-1", "st-b", -1, DAY)
    assert info.value.key == "edit.stage_at_bottom"
    bare = engagement(items=[KnowHowItem(id="kh-2", title="x")])
    with pytest.raises(edits.EditRefused) as info:
        edits.step_stage(bare, "kh-2", None, 1, DAY)
    assert info.value.key == "edit.no_receivers"
    with pytest.raises(edits.EditRefused):
        edits.step_stage(engagement(), "kh-1", "st-zz", 1, DAY)


def test_add_evidence_and_log() -> None:
    e = edits.add_evidence(engagement(), "kh-1", "手順書 v1", DAY)
    assert e.items[0].evidence[0].note == "手順書 v1"
    e = edits.add_log(e, LogEntry(id="lg-2", on=DAY, topic="相談"))
    assert [x.id for x in e.log] == ["lg-1", "lg-2"]


def test_upsert_replaces_or_appends() -> None:
    e = edits.upsert(engagement(), "staff", ReceivingStaff(id="st-a", name="佐藤 花子"))
    assert [s.name for s in e.staff] == ["佐藤 花子", "鈴木"]
    e = edits.upsert(e, "staff", ReceivingStaff(id="st-c", name="高橋"))
    assert [s.id for s in e.staff] == ["st-a", "st-b", "st-c"]


def test_removing_a_referenced_target_is_refused_naming_what_refers_to_it() -> None:
    with pytest.raises(edits.EditRefused) as info:
        edits.remove(engagement(), "targets", "tg-1")
    assert info.value.key == "edit.target_referenced"
    assert "業務フロー図の描き方" in info.value.message("ja")


def test_removing_a_referenced_staff_member_needs_cascade() -> None:
    with pytest.raises(edits.EditRefused) as info:
        edits.remove(engagement(), "staff", "st-a")
    assert "業務フロー図の描き方" in info.value.message("en")
    e = edits.remove(engagement(), "staff", "st-a", cascade=True)
    assert [s.id for s in e.staff] == ["st-b"]
    assert [r.staff_id for r in e.items[0].receivers] == ["st-b"]
    assert e.targets[0].staff_ids == []
    Engagement.model_validate(e.model_dump())


def test_unreferenced_records_are_removed() -> None:
    e = edits.remove(engagement(), "log", "lg-1")
    assert e.log == []


# ----- the session ------------------------------------------------------------------------
def test_apply_saves_validates_and_records(session: EditSession, store: Store) -> None:
    created = session.create(engagement())
    assert created.revision == 1
    saved = session.apply("en-test", lambda e: edits.step_stage(e, "kh-1", "st-b", 1, DAY), "edit.stage_up",
                          item="x", staff="鈴木", stage="文書化")
    assert saved.revision == 2
    assert reopen(store).get("en-test").items[0].receivers[1].stage == Stage.DOCUMENTED
    [newest, first] = session.history()
    assert newest.description("en") == "Stage advanced: x / 鈴木 → 文書化"
    assert first.description("ja") == "契約を登録: 山田 太郎"
    assert newest.when > first.when and newest.subject == "山田 太郎"


def test_a_change_that_breaks_a_reference_is_invalid_data_with_a_field_path(session: EditSession, store: Store) -> None:
    session.create(engagement())
    bad_item = KnowHowItem(id="kh-9", title="y", target_id="tg-nope")
    with pytest.raises(InvalidData) as info:
        session.apply("en-test", lambda e: edits.upsert(e, "items", bad_item), "edit.item_add", name="y")
    assert info.value.problems[0][0] == "items[1].target_id"
    assert reopen(store).get("en-test").revision == 1  # nothing written
    assert len(session.history()) == 1


def test_term_end_before_start_is_invalid(session: EditSession) -> None:
    session.create(engagement())
    edited = session.current("en-test").model_copy(update={"term_end": date(2026, 1, 1)})
    with pytest.raises(InvalidData) as info:
        session.apply("en-test", edited, "edit.engagement_update", name="x")
    assert info.value.problems[0][1] == "model.term_end_before_start"


def test_no_change_records_nothing(session: EditSession) -> None:
    session.create(engagement())
    session.apply("en-test", lambda e: e, "edit.engagement_update", name="x")
    assert len(session.history()) == 1


def test_undo_and_redo_several_steps(session: EditSession, store: Store) -> None:
    session.create(engagement())
    for n in range(3):
        session.apply("en-test", lambda e: edits.step_stage(e, "kh-1", "st-b", 1, DAY), "edit.stage_up",
                      item="x", staff="y", stage=str(n))
    assert reopen(store).get("en-test").items[0].receivers[1].stage == Stage.TOGETHER
    session.undo()
    session.undo()
    assert reopen(store).get("en-test").items[0].receivers[1].stage == Stage.DOCUMENTED
    assert session.can_redo()
    session.redo()
    assert reopen(store).get("en-test").items[0].receivers[1].stage == Stage.SHADOWING
    assert [h.action for h in session.history()[:3]] == ["redo", "undo", "undo"]
    assert session.history()[0].description("ja").startswith("やり直し: ")
    # a new edit clears what could be redone
    session.apply("en-test", lambda e: edits.add_evidence(e, "kh-1", "memo", DAY), "edit.evidence_add", item="x")
    assert not session.can_redo()


def test_undo_of_create_deletes_and_redo_recreates(session: EditSession, store: Store) -> None:
    session.create(engagement())
    assert session.undo() is None
    assert reopen(store).engagements() == []
    session.redo()
    assert [e.id for e in reopen(store).engagements()] == ["en-test"]


def test_undo_of_delete_recreates(session: EditSession, store: Store) -> None:
    session.create(engagement())
    session.delete_engagement("en-test")
    assert reopen(store).engagements() == []
    restored = session.undo()
    assert restored is not None and restored.items[0].title == "業務フロー図の描き方"
    assert reopen(store).get("en-test").person.name == "山田 太郎"


def test_an_edit_over_someone_elses_change_to_another_field_keeps_both(session: EditSession, store: Store) -> None:
    session.create(engagement())
    other = reopen(store)
    other.save(other.get("en-test").model_copy(update={"notes": "別の人の変更"}))
    saved = session.apply("en-test", lambda e: e.model_copy(update={"sponsor": "市長"}), "edit.engagement_update", name="x")
    assert (saved.notes, saved.sponsor) == ("別の人の変更", "市長")
    stored = reopen(store).get("en-test")
    assert (stored.notes, stored.sponsor) == ("別の人の変更", "市長")
    session.undo()  # undoes ours only: the colleague's change stays
    stored = reopen(store).get("en-test")
    assert (stored.notes, stored.sponsor) == ("別の人の変更", "")


def test_an_edit_of_the_same_field_is_a_conflict_until_the_user_chooses(session: EditSession, store: Store) -> None:
    seen = session.create(engagement())
    other = reopen(store)
    other.save(other.get("en-test").model_copy(update={"sponsor": "副市長", "notes": "相手"}))
    with pytest.raises(EditConflict) as info:
        session.apply("en-test", lambda e: e.model_copy(update={"sponsor": "市長", "department": "DX"}),
                      "edit.engagement_update", base=seen, name="x")
    assert [(c.path, c.mine, c.theirs) for c in info.value.conflicts] == [("sponsor", "市長", "副市長")]
    assert reopen(store).get("en-test").sponsor == "副市長"  # nothing saved before the choice
    kept = session.resolve(info.value, "theirs")
    assert kept is not None and (kept.sponsor, kept.department, kept.notes) == ("副市長", "DX", "相手")
    session.undo()
    with pytest.raises(EditConflict) as again:  # the same clash from the same base: asked again
        session.apply("en-test", lambda e: e.model_copy(update={"sponsor": "市長", "department": "DX"}),
                      "edit.engagement_update", base=seen, name="x")
    mine = session.resolve(again.value, "mine")
    assert mine is not None and (mine.sponsor, mine.notes, mine.department) == ("市長", "相手", "DX")


def test_a_choice_only_covers_the_values_the_user_was_shown(session: EditSession, store: Store) -> None:
    seen = session.create(engagement())
    other = reopen(store)
    other.save(other.get("en-test").model_copy(update={"sponsor": "副市長"}))
    with pytest.raises(EditConflict) as info:
        session.apply("en-test", lambda e: e.model_copy(update={"sponsor": "市長"}), "edit.engagement_update",
                      base=seen, name="x")
    other.save(other.get("en-test").model_copy(update={"sponsor": "総務部長"}))  # changed again meanwhile
    with pytest.raises(EditConflict) as newer:
        session.resolve(info.value, "mine")
    assert newer.value.conflicts[0].theirs == "総務部長"
    assert reopen(store).get("en-test").sponsor == "総務部長"


def test_a_delete_over_a_colleagues_change_asks_first(session: EditSession, store: Store) -> None:
    seen = session.create(engagement())
    other = reopen(store)
    other.save(other.get("en-test").model_copy(update={"notes": "まだ使う"}))
    with pytest.raises(EditConflict) as info:
        session.delete_engagement("en-test", base=seen)
    assert [c.path for c in info.value.conflicts] == ["notes"]
    assert reopen(store).get("en-test").notes == "まだ使う"
    session.resolve(info.value, "mine")
    assert reopen(store).engagements() == []


def test_a_stage_step_from_a_stale_screen_merges_with_a_colleagues_other_step(session: EditSession, store: Store) -> None:
    seen = session.create(engagement())
    other = reopen(store)
    other.save(edits.step_stage(other.get("en-test"), "kh-1", "st-a", 1, DAY))  # A advances 佐藤
    saved = session.apply("en-test", lambda e: edits.step_stage(e, "kh-1", "st-b", 1, DAY), "edit.stage_up",
                          base=seen, item="x", staff="y", stage="z")  # B advances 鈴木 on the old screen
    stages = {r.staff_id: r.stage for r in saved.items[0].receivers}
    assert stages == {"st-a": Stage.TOGETHER, "st-b": Stage.DOCUMENTED}


def test_the_same_stage_step_twice_is_a_conflict_not_a_double_step(session: EditSession, store: Store) -> None:
    seen = session.create(engagement())
    other = reopen(store)
    other.save(edits.step_stage(other.get("en-test"), "kh-1", "st-a", 1, DAY))
    with pytest.raises(EditConflict):
        session.apply("en-test", lambda e: edits.step_stage(e, "kh-1", "st-a", -1, DAY), "edit.stage_down",
                      base=seen, item="x", staff="y", stage="z")
    assert reopen(store).get("en-test").items[0].receivers[0].stage == Stage.TOGETHER


def test_undo_never_overwrites_a_later_change(session: EditSession, store: Store) -> None:
    session.create(engagement())
    session.apply("en-test", lambda e: e.model_copy(update={"sponsor": "市長"}), "edit.engagement_update", name="x")
    other = reopen(store)
    other.save(other.get("en-test").model_copy(update={"notes": "後からの変更"}))
    with pytest.raises(UndoConflict) as info:
        session.undo()
    assert isinstance(info.value, ConflictError)
    assert "元に戻せません" in info.value.message("ja")
    assert reopen(store).get("en-test").notes == "後からの変更"
    assert session.can_undo()  # the older step (the create) is still there
    assert not session.can_redo()


def test_changed_elsewhere_notices_other_processes_only(session: EditSession, store: Store) -> None:
    session.create(engagement())
    assert not session.changed_elsewhere()
    other = reopen(store)
    other.save(other.get("en-test").model_copy(update={"notes": "x"}))
    assert session.changed_elsewhere()
    assert not session.changed_elsewhere()


def test_history_is_capped(session: EditSession) -> None:
    session.create(engagement())
    for n in range(HISTORY_LIMIT + 5):
        session.apply("en-test", lambda e, n=n: e.model_copy(update={"notes": str(n)}), "edit.engagement_update", name=str(n))
    history = session.history()
    assert len(history) == HISTORY_LIMIT
    assert history[0].params["name"] == str(HISTORY_LIMIT + 4)


def test_undo_stops_at_someone_elses_change_between_two_of_ours(session: EditSession, store: Store) -> None:
    session.create(engagement())
    session.apply("en-test", lambda e: e.model_copy(update={"sponsor": "市長"}), "edit.engagement_update", name="1")
    other = reopen(store)
    other.save(other.get("en-test").model_copy(update={"notes": "他の人"}))
    assert session.changed_elsewhere()
    session.apply("en-test", lambda e: e.model_copy(update={"department": "DX推進課"}), "edit.engagement_update", name="2")
    session.undo()  # ours, newest: fine
    assert reopen(store).get("en-test").notes == "他の人"
    with pytest.raises(UndoConflict):
        session.undo()  # would overwrite the other person's notes
    assert reopen(store).get("en-test").notes == "他の人"


def test_delete_undo_redo_chain_keeps_revisions_straight(session: EditSession, store: Store) -> None:
    session.create(engagement())
    session.apply("en-test", lambda e: e.model_copy(update={"sponsor": "市長"}), "edit.engagement_update", name="1")
    session.delete_engagement("en-test")
    session.undo()
    session.undo()
    assert reopen(store).get("en-test").sponsor == ""
    session.redo()
    session.redo()
    assert reopen(store).engagements() == []
    session.undo()
    assert reopen(store).get("en-test").sponsor == "市長"


def test_our_save_does_not_restat_the_database_nor_hide_a_change_elsewhere(
    session: EditSession, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    session.create(engagement())
    other = reopen(store)
    other.save(engagement(id="en-other"))  # another process, between two polls
    calls: list[int] = []
    fingerprint = store.fingerprint
    monkeypatch.setattr(store, "fingerprint", lambda: calls.append(1) or fingerprint())
    session.apply("en-test", lambda e: e.model_copy(update={"notes": "ours"}), "edit.engagement_update", name="x")
    assert calls == []  # a saved edit stats its own file, not every file
    assert session.changed_elsewhere()  # the other process's engagement still shows


def test_the_first_screen_s_load_is_what_changes_are_measured_against(session: EditSession, store: Store) -> None:
    session.note_loaded(store.fingerprint())
    other = reopen(store)
    other.save(engagement())
    assert session.changed_elsewhere()
    assert not session.changed_elsewhere()


def test_a_conflict_is_described_in_the_forms_words(session: EditSession, store: Store) -> None:
    from xtalent.views.conflict import conflict_rows

    seen = session.create(engagement())
    other = reopen(store)
    other.save(edits.step_stage(other.get("en-test"), "kh-1", "st-a", 1, DAY))
    with pytest.raises(EditConflict) as info:
        session.apply("en-test", lambda e: edits.step_stage(e, "kh-1", "st-a", -1, DAY), "edit.stage_down",
                      base=seen, item="x", staff="y", stage="z")
    [row] = [r for r in conflict_rows(info.value, "ja") if r.field.endswith("段階")]
    assert row.field == "ノウハウ項目 / 「業務フロー図の描き方」 / 受け手 / 「佐藤」 / 段階"
    assert (row.mine, row.theirs) == ("文書化", "協働")
