"""Once the dashboard has shown a new day's rows, what the attention view and the staff screen keep
of each engagement is computed (views/rowcache.Beside, keep_beside: in this process and in a
helper process) and kept with their first screenfuls: what is kept is what the views compute from
scratch, for the new day, language, settings or code version alike; the views then open from kept
files without reading an engagement; a damaged file is reported word for word as without it, and
nothing is kept."""

from __future__ import annotations

import json
import shutil
import threading
from datetime import date
from pathlib import Path

import pytest

from tui_support import imported_demo
from xtalent.settingsfile import SettingsFile
from xtalent.store import Store, StoreError
from xtalent.views import firstscreen, rowcache, rowhelper
from xtalent.views.attention import DUE_SOON_DAYS, Head, Opening
from xtalent.views.staff import receptions

TODAY = date(2026, 11, 23)
NEXT_DAY = date(2026, 11, 24)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return imported_demo(tmp_path)


def finished(paths, today, lang, settings, beside=None) -> rowhelper.Helper:
    """A helper that has delivered all it will before the caller computes anything."""
    helper = rowhelper.Helper(paths, today, lang, settings, beside)
    helper.process.wait()
    helper.reader.join()
    return helper


def from_scratch(store: Store, tmp_path: Path, today: date, lang: str, settings=None):
    """The attention entries, receptions and both views' first screenfuls computed by the views' own
    paths on a copy of the database with nothing kept."""
    copy = tmp_path / "scratch"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(store.root, copy)
    shutil.rmtree(copy / "cache", ignore_errors=True)
    other = Store.open(copy)
    fingerprint, files = rowcache.attention_files(other, today, lang, settings)
    firstscreen.keep_attention(other.root, firstscreen.attention_key(today, lang, settings),
                               firstscreen.attention_whole(fingerprint, files, today)[1])
    _, facts = rowcache.receptions_files(other)
    key = firstscreen.staff_key(other.people_path, lang)
    _, _, _, whole, head = firstscreen.staff_whole(other, lang, fingerprint, facts)
    firstscreen.keep_staff(other.root, key, head, whole)
    return (entries(rowcache.attention_path(copy)), entries(rowcache.staff_path(copy)),
            firstscreen.attention(other, today, lang, settings), firstscreen.staff(other, lang))


def entries(path: Path) -> dict:
    """Each engagement's kept entry, without the file stamps (a copy's differ)."""
    return {eid: entry["rows"] for eid, entry in json.loads(path.read_text(encoding="utf-8"))["rows"].items()}


def passed(store: Store, today: date, lang: str = "ja", settings=None) -> dict[str, int]:
    """The dashboard's load: its rows, then what the views keep brought up to date (what was done)."""
    rowcache.current_rows(store, today, lang, settings)
    beside = rowcache.Beside(today, lang, settings)
    rowcache.will_keep(store.root, beside)
    return rowcache.keep_beside(store, beside)


def reads(monkeypatch, store: Store) -> list:
    """Every engagement the store reads from now on (a scan or a get)."""
    read: list = []
    scan, get = store.scan, store.get
    monkeypatch.setattr(store, "scan", lambda *a, **k: (read.append(("scan", a)), scan(*a, **k))[1])
    monkeypatch.setattr(store, "get", lambda *a, **k: (read.append(("get", a)), get(*a, **k))[1])
    return read


@pytest.mark.parametrize("helped", [False, True], ids=["in-process", "with the row helper"])
def test_what_the_pass_keeps_is_what_the_views_compute_from_scratch(store: Store, tmp_path: Path, monkeypatch,
                                                                   helped: bool) -> None:
    computed: list = []
    if helped:  # every engagement's entries from the helper: they are the ones kept
        monkeypatch.setattr(rowhelper, "HELPER_MIN", 1)
        monkeypatch.setattr(rowhelper, "start", lambda *a, **k: computed.append(finished(*a, **k)) or computed[-1])
    done = passed(store, TODAY)
    count = len(store.fingerprint())
    assert done == {"attention": count, "staff": count}  # nothing kept by the import
    if helped:
        rows_helper, entries_helper = computed  # the rows' helper, then the entries'
        assert len(rows_helper.rows) == len(entries_helper.entries) == count and entries_helper.rows == {}
    attention, staff, first_attention, first_staff = from_scratch(store, tmp_path, TODAY, "ja")
    assert entries(rowcache.attention_path(store.root)) == attention
    assert entries(rowcache.staff_path(store.root)) == staff
    assert staff == {e.id: receptions(e) for e in store.engagements()}
    read = reads(monkeypatch, store)
    assert firstscreen.attention(store, TODAY, "ja") == first_attention is not None
    assert firstscreen.staff(store, "ja") == first_staff is not None
    fingerprint, files = rowcache.attention_files(store, TODAY, "ja")
    assert len(files) == count and len(rowcache.current_receptions(store)) == count
    assert read == []  # the views opened from kept files: no engagement read


def test_a_new_day_keeps_the_rows_of_the_new_day(store: Store, tmp_path: Path, monkeypatch) -> None:
    passed(store, TODAY)
    today_rows = entries(rowcache.attention_path(store.root))
    # A year on, items due then are overdue and terms have ended: the rows say so.
    later = date(2027, 11, 24)
    assert passed(store, later) == {"attention": len(store.fingerprint())}  # the staff screen's has no day
    kept = entries(rowcache.attention_path(store.root))
    assert kept != today_rows
    attention, _, first, _ = from_scratch(store, tmp_path, later, "ja")
    assert kept == attention
    read = reads(monkeypatch, store)
    assert firstscreen.attention(store, later, "ja") == first is not None
    assert read == []
    # The next day's first launch: the same again, for that day.
    assert passed(store, NEXT_DAY) == {"attention": len(store.fingerprint())}
    assert entries(rowcache.attention_path(store.root)) == from_scratch(store, tmp_path, NEXT_DAY, "ja")[0]


@pytest.mark.parametrize("change", ["lang", "settings", "code"])
def test_another_language_settings_or_code_version_keeps_their_rows(store: Store, tmp_path: Path, monkeypatch,
                                                                   change: str) -> None:
    passed(store, TODAY)
    assert passed(store, TODAY) == {}  # all kept: nothing to do
    lang, settings = "ja", None
    if change == "lang":
        lang = "en"
    elif change == "settings":
        path = tmp_path / "settings.toml"
        path.write_text("[pitfalls]\nstalled_days = 5\nterm_ending_days = 400\n", encoding="utf-8")
        settings = SettingsFile.read(path)
    else:
        monkeypatch.setattr(rowcache, "code_version", lambda: "0.0.0+another")
        monkeypatch.setattr(firstscreen, "code_version", lambda: "0.0.0+another")
    before = entries(rowcache.attention_path(store.root))
    count = len(store.fingerprint())
    done = passed(store, TODAY, lang, settings)
    # The staff screen's receptions have no language or settings; its head has the language.
    assert done == {"lang": {"attention": count, "staff": 0}, "settings": {"attention": count},
                    "code": {"attention": count, "staff": count}}[change]
    kept = entries(rowcache.attention_path(store.root))
    if change != "code":
        assert kept != before  # the texts, the thresholds
    attention, staff, first, first_staff = from_scratch(store, tmp_path, TODAY, lang, settings)
    assert kept == attention
    assert entries(rowcache.staff_path(store.root)) == staff
    read = reads(monkeypatch, store)
    assert firstscreen.attention(store, TODAY, lang, settings) == first is not None
    assert firstscreen.staff(store, lang) == first_staff is not None
    assert read == []


def test_an_edited_engagement_is_computed_again_and_the_others_stay_kept(store: Store, tmp_path: Path, monkeypatch) -> None:
    passed(store, TODAY)
    engagement = next(iter(store.engagements()))
    store.save(engagement.model_copy(update={"notes": "changed since"}))
    # Its receptions are not computed: the staff screen brings its head up to date from it.
    assert passed(store, NEXT_DAY) == {"attention": len(store.fingerprint())}
    attention, staff, _, first_staff = from_scratch(store, tmp_path, NEXT_DAY, "ja")
    assert entries(rowcache.attention_path(store.root)) == attention
    assert firstscreen.staff(store, "ja") == first_staff is not None
    assert rowcache.current_receptions(store) == list(staff.values())


@pytest.mark.parametrize("helped", [False, True], ids=["in-process", "with the row helper"])
@pytest.mark.parametrize("which", [0, -1])
def test_a_damaged_file_is_reported_word_for_word_as_without_the_pass(store: Store, monkeypatch, helped: bool,
                                                                     which: int) -> None:
    path = store.folder.files()[which]
    path.write_bytes(path.read_bytes()[:200])
    with pytest.raises(StoreError) as without:
        rowcache.current_rows(store, TODAY, "ja")
    if helped:
        monkeypatch.setattr(rowhelper, "HELPER_MIN", 1)
        monkeypatch.setattr(rowhelper, "start", finished)
    beside = rowcache.Beside(TODAY, "ja")
    assert rowcache.keep_beside(store, beside) == {}  # derived data: it stops at the file, keeping nothing
    assert beside.kept.is_set()
    assert not rowcache.attention_path(store.root).exists() and not rowcache.staff_path(store.root).exists()
    assert not firstscreen.path(store.root, firstscreen.ATTENTION).exists()
    # The views report it as they did without it: the same words.
    for view in (lambda: rowcache.attention_files(store, TODAY, "ja"), lambda: rowcache.receptions_files(store)):
        with pytest.raises(StoreError) as viewed:
            view()
        assert str(viewed.value) == str(without.value) and path.name in str(viewed.value)


def test_the_helper_computes_the_entries_asked_for_as_here(store: Store) -> None:
    paths = store.folder.files()
    for wants in ({"attention": True, "receptions": True}, {"attention": False, "receptions": True}):
        helper = finished(paths, NEXT_DAY, "en", None, wants)
        here = rowcache.Beside(NEXT_DAY, "en", **wants)
        assert helper.rows == {} and helper.entries == {e.id: here.entries(e) for e in store.engagements()}
        assert all(entries.keys() == {name for name, wanted in wants.items() if wanted} for entries in helper.entries.values())


def test_a_launchs_helper_is_never_taken_for_the_entries(store: Store, monkeypatch) -> None:
    monkeypatch.setattr(rowhelper, "HELPER_MIN", 1)
    rowhelper.prestart(store, NEXT_DAY, "ja", None)  # a helper computing rows
    (waiting,) = rowhelper._waiting.values()
    taken = rowhelper.start(store.folder.files(), NEXT_DAY, "ja", None, {"attention": True, "receptions": False})
    assert taken is not None and taken is not waiting and waiting.process.poll() is not None
    taken.stop()


def test_a_view_opened_before_the_entries_are_kept_waits_for_them(store: Store, monkeypatch) -> None:
    rowcache.current_rows(store, TODAY, "ja")
    beside = rowcache.Beside(TODAY, "ja")
    rowcache.will_keep(store.root, beside)
    opened: list = []
    viewer = threading.Thread(target=lambda: opened.append(firstscreen.attention(store, TODAY, "ja")))
    viewer.start()
    viewer.join(0.2)
    assert viewer.is_alive() and opened == []  # waiting for the pass's entries, not computing them
    rowcache.keep_beside(store, beside)
    viewer.join(10)
    assert opened and isinstance(opened[0], Opening)


def test_more_files_changed_than_a_head_takes_are_computed_and_both_heads_kept_again(store: Store, tmp_path: Path,
                                                                                   monkeypatch) -> None:
    passed(store, TODAY)
    monkeypatch.setattr(firstscreen, "CHANGED_AT_MOST", 1)
    changed = list(store.engagements())[:2]
    for engagement in changed:  # saved elsewhere since the last launch
        store.save(engagement.model_copy(update={"notes": "changed elsewhere"}))
    assert firstscreen.attention(store, TODAY, "ja") is None and firstscreen.staff(store, "ja") is None
    assert passed(store, TODAY) == {"attention": 2, "staff": 2}  # theirs alone computed
    attention, staff, first, first_staff = from_scratch(store, tmp_path, TODAY, "ja")
    assert entries(rowcache.attention_path(store.root)) == attention and entries(rowcache.staff_path(store.root)) == staff
    read = reads(monkeypatch, store)
    assert firstscreen.attention(store, TODAY, "ja") == first is not None
    assert firstscreen.staff(store, "ja") == first_staff is not None
    assert read == []


def test_the_kept_head_is_the_views_for_the_default_due_soon_days(store: Store) -> None:
    passed(store, TODAY)
    key = firstscreen.attention_key(TODAY, "ja")
    assert key["due_within"] == DUE_SOON_DAYS
    first, head = firstscreen.kept(store.root, firstscreen.ATTENTION, key, store.fingerprint(), Opening, Head)
    assert first is not None and head is None


def test_damaged_employee_records_leave_the_attention_view_kept_and_the_staff_screen_to_say_so(store: Store) -> None:
    store.people_path.write_text("{not json", encoding="utf-8")
    count = len(store.fingerprint())
    assert passed(store, TODAY) == {"attention": count, "staff": count}  # no error: nothing the user asked for
    assert firstscreen.attention(store, TODAY, "ja") is not None
    assert not firstscreen.path(store.root, firstscreen.STAFF).exists()
    with pytest.raises(StoreError):
        store.people()


from hypothesis import given, strategies as st  # noqa: E402

from xtalent.views.attention import AttentionRow  # noqa: E402


@given(st.builds(AttentionRow, severity=st.sampled_from(["critical", "warning", "info"]),
                 when=st.none() | st.dates(), subject_id=st.none() | st.text()))
def test_a_kept_attention_row_is_its_fields_in_order_and_reads_back_as_itself(row: AttentionRow) -> None:
    from dataclasses import astuple

    values = list(astuple(row))
    values[1] = row.when.isoformat() if row.when else None
    assert row.to_list() == values
    assert AttentionRow.from_list(json.loads(json.dumps(row.to_list()))) == row


def test_an_import_leaves_both_views_first_screenfuls_for_the_first_launch(tmp_path: Path, monkeypatch) -> None:
    from xtalent.cli import main
    from xtalent.paths import demo_file

    db = tmp_path / "imported"
    monkeypatch.setenv("XTALENT_CONFIG", str(tmp_path / "none.toml"))
    assert main(["--db", str(db), "--today", "2026-11-23", "--lang", "ja", "import", str(demo_file())]) == 0
    imported = Store.open(db)
    attention, staff, first_attention, first_staff = from_scratch(imported, tmp_path, TODAY, "ja")
    assert entries(rowcache.attention_path(db)) == attention and entries(rowcache.staff_path(db)) == staff
    read = reads(monkeypatch, imported)
    assert firstscreen.attention(imported, TODAY, "ja") == first_attention is not None
    assert firstscreen.staff(imported, "ja") == first_staff is not None
    assert read == []
