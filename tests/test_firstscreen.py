"""The first screenful kept for the attention view and the staff screen (views/firstscreen.py):
found only for exactly the state it was computed for — the engagement files, the day, the
language, the settings, the people file, the code version — and equal to the head of what is
computed from the engagements with nothing kept."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xtalent import atomic
from xtalent.edits import step_stage
from xtalent.people import left, proposals
from xtalent.models import StaffStatus
from xtalent.settings import PitfallSettings
from xtalent.store import Store
from tui_support import imported_demo
from xtalent.views import firstscreen, rowcache
from xtalent.views.attention import WIDTH_COLUMNS, AttentionRow, Head, attention_rows, natural_widths, opening, whole
from xtalent.views import staff as staff_view

TODAY = date(2026, 11, 23)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return imported_demo(tmp_path)


def attention_key(today: date = TODAY, lang: str = "ja", settings=None) -> dict:
    return firstscreen.attention_key(today, lang, settings)


def attention_whole(store: Store, today: date = TODAY, lang: str = "ja", settings=None):
    rows = attention_rows(store.engagements(), today, settings, lang)
    return opening(rows, natural_widths(rows))


def keep_attention(store: Store, today: date = TODAY, lang: str = "ja", settings=None):
    """Keep the head as the view does once it computed every row; returns every row's Opening
    computed with nothing kept."""
    fingerprint, files = rowcache.attention_files(store, today, lang, settings)
    _, head = whole(fingerprint, files, today, firstscreen.HEAD_SCREENS * firstscreen.ROWS)
    firstscreen.keep_attention(store.root, attention_key(today, lang, settings), head)
    return attention_whole(store, today, lang, settings)


def kept_attention(store: Store, today: date = TODAY, lang: str = "ja", settings=None):
    return firstscreen.attention(store, today, lang, settings)


def test_the_kept_attention_screenful_is_the_head_of_every_row(store: Store) -> None:
    whole_ = keep_attention(store)
    kept = kept_attention(store)
    assert kept is not None
    assert kept == whole_.head(firstscreen.ROWS)
    assert kept.rows == whole_.rows[: firstscreen.ROWS] and kept.total == len(whole_.rows) > 0
    assert firstscreen.path(store.root, "attention").stat().st_size < 100_000  # a head, not the list


@pytest.mark.parametrize("change", [
    {"today": TODAY + timedelta(days=1)},
    {"lang": "en"},
    {"settings": PitfallSettings(term_ending_days=400, stalled_days=10)},
])
def test_another_day_language_or_settings_finds_no_attention_screenful(store: Store, change: dict) -> None:
    keep_attention(store)
    assert kept_attention(store, **change) is None


def test_another_code_version_finds_no_screenful(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    keep_attention(store)
    monkeypatch.setattr(firstscreen, "code_version", lambda: "0.1.0+an-upgrade")
    assert kept_attention(store) is None
    whole_ = keep_attention(store)  # kept again for the new code
    assert kept_attention(store) == whole_.head(firstscreen.ROWS)


@pytest.fixture(params=[40, 3], ids=["every row kept", "a head of 6 rows kept"])
def screenful(request, monkeypatch: pytest.MonkeyPatch) -> int:
    """The demo's ~30 rows: all of them in the head, or a head of 2 × 3 rows (a screenful of 3)."""
    monkeypatch.setattr(firstscreen, "ROWS", request.param)
    monkeypatch.setattr(firstscreen, "HEAD_SCREENS", 2)
    return request.param


def test_after_a_saved_stage_move_the_screenful_is_that_of_every_row_computed_again(store: Store, screenful: int) -> None:
    keep_attention(store)
    first = attention_whole(store).rows[0].engagement_id
    engagement = store.get(first)
    item = next(i for i in engagement.items if i.receivers)
    store.save(step_stage(engagement, item.id, item.receivers[0].staff_id, 1, TODAY))
    kept = kept_attention(store)
    assert kept is not None and kept == attention_whole(store).head(screenful)


def test_after_an_edit_the_screenful_shows_the_edited_rows(store: Store, screenful: int) -> None:
    keep_attention(store)
    first = attention_whole(store).rows[0].engagement_id
    saved = store.get(first)
    store.save(saved.model_copy(update={"person": saved.person.model_copy(update={"name": "改名 太郎"})}))
    kept = kept_attention(store)
    assert kept is not None and kept == attention_whole(store).head(screenful)
    assert "改名 太郎" in {row.person for row in kept.rows}
    assert kept.widths["person"] >= 9


def test_a_deleted_and_a_new_engagement_are_in_the_screenful(store: Store) -> None:
    keep_attention(store)
    gone = store.get(attention_whole(store).rows[0].engagement_id)
    store.delete(gone.id, gone.revision)
    other = store.engagements()[0]
    store.save(other.model_copy(update={"id": "en-zz-new", "revision": 0}))
    kept = kept_attention(store)
    assert kept is not None and kept == attention_whole(store).head(firstscreen.ROWS)
    assert gone.id not in {row.engagement_id for row in kept.rows}


def test_too_many_changed_engagements_find_no_screenful(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    keep_attention(store)
    monkeypatch.setattr(firstscreen, "CHANGED_AT_MOST", 1)
    for eid, _, _ in store.fingerprint()[:2]:
        saved = store.get(eid)
        store.save(saved.model_copy(update={"sponsor": "副市長（代理）"}))
    assert kept_attention(store) is None


def test_a_head_emptied_by_the_changes_finds_no_screenful(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(firstscreen, "ROWS", 2)
    monkeypatch.setattr(firstscreen, "HEAD_SCREENS", 1)  # a head of one screenful: any row leaving it leaves too few
    keep_attention(store)
    saved = store.get(attention_whole(store).rows[0].engagement_id)
    store.save(saved.model_copy(update={"sponsor": "副市長（代理）"}))
    assert kept_attention(store) is None


@pytest.mark.parametrize("content", [b"", b"{", b"[]", b'{"key": 1}', b'{"key": {}, "first": 1}'])
def test_a_damaged_screenful_is_ignored(store: Store, content: bytes) -> None:
    keep_attention(store)
    firstscreen.path(store.root, "attention").write_bytes(content)
    assert kept_attention(store) is None


def test_an_unwritable_screenful_does_not_fail_the_caller(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args, **kwargs):
        raise PermissionError("read-only")

    monkeypatch.setattr(atomic, "replace_derived", refuse)
    keep_attention(store)
    assert kept_attention(store) is None


# The head brought up to date equals the head of every row computed again, for any rows and any
# change (rows alike in order_key included: a small alphabet makes many).
_ENGAGEMENTS = [f"en-{n}" for n in range(6)] + ["en-1-b", "en-1.b"]  # file order is not id order


def _row(eid: str, severity: str, day: int | None, person: str, code: str, message: str) -> AttentionRow:
    return AttentionRow(severity, None if day is None else TODAY + timedelta(days=day), eid, person, "市", "課",
                        "令和8年度", "CDO", code, code, "", None, "overview", message, "")


_ROWS = st.lists(st.tuples(st.sampled_from(["critical", "warning", "info"]), st.one_of(st.none(), st.integers(-2, 2)),
                           st.sampled_from(["安藤", "井上", "上田 一"]), st.sampled_from(["a", "b"]),
                           st.sampled_from(["m", "長いメッセージ", "x" * 12])), max_size=6)


def _files(rows: dict[str, list]) -> dict[str, tuple[list[AttentionRow], tuple[int, ...]]]:
    out = {}
    for eid, specs in rows.items():
        made = [_row(eid, *spec) for spec in specs]
        widths = natural_widths(made)
        out[eid] = (made, tuple(widths[c] for c in WIDTH_COLUMNS))
    return out


@given(before=st.dictionaries(st.sampled_from(_ENGAGEMENTS), _ROWS, max_size=8),
       after=st.dictionaries(st.sampled_from(_ENGAGEMENTS), st.one_of(st.none(), _ROWS), max_size=8),
       size=st.integers(0, 12), screenful=st.integers(1, 6))
def test_the_head_brought_up_to_date_is_the_head_of_every_row_computed_again(before, after, size, screenful) -> None:
    """`after`: each engagement changed (new rows), deleted (None) or added."""
    def fingerprint(files: dict, stamp: dict) -> list[tuple[str, int, int]]:
        return sorted((eid, stamp.get(eid, 1), 0) for eid in files)  # by the file name's order, as the store lists

    now = {eid: rows for eid, rows in before.items()}
    stamps = {eid: 1 for eid in before}
    for eid, rows in after.items():
        if rows is None:
            now.pop(eid, None)
        else:
            now[eid] = rows
            stamps[eid] = 2
    by_name = lambda entries: sorted(entries, key=lambda e: e[0] + ".json")  # noqa: E731
    old_print = by_name(fingerprint(before, {}))
    new_print = by_name(fingerprint(now, stamps))
    _, kept = whole(old_print, _files(before), TODAY, size)
    kept = Head.from_json(json.loads(json.dumps(kept.to_json())))  # as read back from the file
    new_files = _files(now)
    fresh = {eid: new_files[eid][0] for eid in kept.changed(new_print)}
    assert set(fresh) == {eid for eid in now if eid in after or eid not in before}
    brought = kept.updated(new_print, fresh, TODAY)
    every, again = whole(new_print, new_files, TODAY, size)
    if kept.whole:  # every row was kept: every row is known
        assert brought.whole and brought.rows == every
    else:  # as many as stayed in the head are certain
        assert not brought.whole
        assert len(brought.rows) == len([r for r in kept.rows if r.engagement_id not in after])
        assert brought.rows == again.rows[: len(brought.rows)]
    if brought.whole or len(brought.rows) >= screenful:
        assert brought.opening(screenful) == opening(every, natural_widths(every)).head(screenful)


def test_the_fingerprint_is_every_engagement_file_in_file_order(store: Store) -> None:
    (store.folder.engagements_dir / ".hidden.json").write_text("{}")
    (store.folder.engagements_dir / "notes.txt").write_text("")
    files = store.folder.files()
    assert [eid for eid, _, _ in store.fingerprint()] == [p.stem for p in files]
    assert [(m, s) for _, m, s in store.fingerprint()] == [(p.stat().st_mtime_ns, p.stat().st_size) for p in files]


# ----- the staff screen --------------------------------------------------------------------------
def staff_key(store: Store, lang: str = "ja") -> dict:
    return firstscreen.staff_key(store.people_path, lang)


def staff_whole(store: Store, lang: str = "ja") -> staff_view.Opening:
    registry = store.people()
    rows = staff_view.staff_rows(registry, store.engagements(), lang)
    return staff_view.opening(rows, rows, len(proposals(registry)), lang)


def keep_staff(store: Store, lang: str = "ja") -> staff_view.Opening:
    """Keep the head as the screen does once it computed every row; returns every row's Opening
    computed with nothing kept."""
    key = staff_key(store, lang)
    fingerprint, facts = rowcache.receptions_files(store)
    registry = store.people()
    rows = staff_view.rows_from(registry, facts, lang)
    whole_ = staff_view.opening(rows, rows, len(proposals(registry)), lang, firstscreen.ROWS)
    firstscreen.keep_staff(store.root, key, staff_view.head(fingerprint, facts, rows, whole_, firstscreen.ROWS), whole_)
    return staff_whole(store, lang)


def kept_staff(store: Store, lang: str = "ja"):
    return firstscreen.staff(store, lang)


def test_the_kept_staff_screenful_is_the_head_of_every_row(store: Store) -> None:
    whole_ = keep_staff(store)
    kept = kept_staff(store)
    assert kept is not None and kept == whole_.head(firstscreen.ROWS)
    assert kept.first is not None and kept.first.received  # the first employee's detail
    assert kept.lines and kept.summary == whole_.summary


def test_another_language_finds_no_staff_screenful(store: Store) -> None:
    keep_staff(store)
    assert kept_staff(store, "en") is None


@pytest.mark.parametrize("rows", [40, 2], ids=["every employee kept", "two employees kept"])
def test_after_a_saved_stage_move_the_staff_screenful_is_that_of_every_row_computed_again(
        store: Store, monkeypatch: pytest.MonkeyPatch, rows: int) -> None:
    monkeypatch.setattr(firstscreen, "ROWS", rows)
    keep_staff(store)
    before = kept_staff(store)
    first = before.lines[0].id
    engagement = next(e for e in store.engagements() if any(s.employee_id == first for s in e.staff))
    member = next(s.id for s in engagement.staff if s.employee_id == first)
    item = next(i for i in engagement.items if any(r.staff_id == member for r in i.receivers))
    store.save(step_stage(engagement, item.id, member, 1, TODAY))
    kept = kept_staff(store)
    assert kept is not None and kept == staff_whole(store).head(rows)
    assert kept.first != before.first  # the moved stage, in the first employee's detail


def test_a_deleted_engagement_leaves_the_staff_screenful(store: Store) -> None:
    keep_staff(store)
    first = kept_staff(store).lines[0].id
    gone = next(e for e in store.engagements() if any(s.employee_id == first for s in e.staff))
    store.delete(gone.id, gone.revision)
    kept = kept_staff(store)
    assert kept is not None and kept == staff_whole(store).head(firstscreen.ROWS)
    assert gone.person.name not in {line.person for line in kept.first.received}


def test_too_many_changed_engagements_find_no_staff_screenful(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    keep_staff(store)
    monkeypatch.setattr(firstscreen, "CHANGED_AT_MOST", 1)
    for eid, _, _ in store.fingerprint()[:2]:
        saved = store.get(eid)
        store.save(saved.model_copy(update={"sponsor": "副市長（代理）"}))
    assert kept_staff(store) is None


def test_an_employee_record_saved_finds_no_staff_screenful(store: Store) -> None:
    keep_staff(store)
    employee = store.people().employees[0]
    store.save_employee(left(employee, StaffStatus.TRANSFERRED, TODAY), base=employee)
    assert kept_staff(store) is None


@pytest.mark.parametrize("content", [b"", b"{", b'{"key": {}, "first": 1}'])
def test_a_damaged_staff_head_is_ignored(store: Store, content: bytes) -> None:
    keep_staff(store)
    path = firstscreen.path(store.root, "staff")
    data = json.loads(path.read_text(encoding="utf-8"))
    head = json.loads(data["first"]["head"])
    head["employees"][0]["status"] = "no such status"
    data["first"]["head"] = json.dumps(head)
    path.write_text(json.dumps(data), encoding="utf-8")
    assert kept_staff(store) is not None  # the files unchanged: the screenful kept, the head not read
    saved = store.get(store.fingerprint()[0][0])
    store.save(saved.model_copy(update={"sponsor": "副市長（代理）"}))
    assert kept_staff(store) is None  # a file changed: the head read, and refused
    path.write_bytes(content)
    assert kept_staff(store) is None


@pytest.mark.parametrize("view", ["attention", "staff"])
def test_a_damaged_engagement_file_finds_no_screenful_and_the_view_reports_it(store: Store, view: str) -> None:
    keep_attention(store) if view == "attention" else keep_staff(store)
    eid = store.fingerprint()[0][0]
    store.folder.path_for(eid).write_text("{", encoding="utf-8")
    assert (kept_attention(store) if view == "attention" else kept_staff(store)) is None


def test_the_files_key_changes_with_any_file(store: Store) -> None:
    before = store.fingerprint()
    eid, mtime, size = before[0]
    assert firstscreen.files_key(before) != firstscreen.files_key(((eid, mtime + 1, size), *before[1:]))
    assert firstscreen.files_key(before) != firstscreen.files_key(((eid, mtime, size + 1), *before[1:]))
    assert firstscreen.files_key(before) != firstscreen.files_key(before[1:])  # a file gone


def test_unchanged_files_read_the_kept_screenful_not_the_head(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    whole_ = keep_attention(store)
    monkeypatch.setattr(Head, "from_json", classmethod(lambda cls, data: pytest.fail("the head was read")))
    assert kept_attention(store) == whole_.head(firstscreen.ROWS)
