import json
import os
from dataclasses import fields, replace
from datetime import date, timedelta
from pathlib import Path

import pytest

from xtalent import atomic
from xtalent.paths import demo_file
from xtalent.settings import PitfallSettings
from xtalent.settingsfile import SettingsFile
from xtalent.store import Store
from xtalent.views import rowcache

from tui_support import demo_store
from xtalent.views.attention import AttentionRow, attention_rows
from xtalent.views.staff import rows_from, staff_rows
from xtalent.views.dashboard import build_rows

TODAY = date(2026, 11, 23)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return demo_store(tmp_path)  # the demo as imported, copied (imported once per process)


def fill(store: Store, today: date = TODAY, lang: str = "ja", settings=None):
    fp = store.fingerprint()
    rows = build_rows(store.engagements(), today, lang)
    rowcache.save(store.root, fp, rows, today, lang, settings)
    return rows


def test_a_fresh_cache_gives_back_the_same_rows(store: Store) -> None:
    rows = fill(store)
    cached = rowcache.load(store.root, store.fingerprint(), TODAY, "ja")
    assert cached is not None
    assert sorted(cached, key=lambda r: r.id) == sorted(rows, key=lambda r: r.id)


def test_the_cache_file_is_private(store: Store) -> None:
    fill(store)
    assert os.stat(rowcache.cache_path(store.root)).st_mode & 0o777 == 0o600


@pytest.mark.parametrize(
    "change",
    [
        {"today": date(2026, 11, 24)},
        {"lang": "en"},
        {"settings": PitfallSettings(stalled_days=30)},
    ],
)
def test_another_day_language_or_settings_is_a_miss(store: Store, change: dict) -> None:
    fill(store)
    args = {"today": TODAY, "lang": "ja", "settings": None} | change
    assert rowcache.load(store.root, store.fingerprint(), args["today"], args["lang"], args["settings"]) is None


def test_an_edited_or_added_engagement_is_a_miss_a_removed_one_just_goes(store: Store) -> None:
    fill(store)
    engagement = store.engagements()[0]
    store.save(engagement.model_copy(update={"notes": "更新"}))
    assert rowcache.load(store.root, store.fingerprint(), TODAY, "ja") is None
    fill(store)
    store.delete(engagement.id, store.get(engagement.id).revision)
    rows = rowcache.load(store.root, store.fingerprint(), TODAY, "ja")
    assert rows is not None and len(rows) == 7 and engagement.id not in {r.id for r in rows}
    store.save(engagement.model_copy(update={"revision": 0}))
    assert rowcache.load(store.root, store.fingerprint(), TODAY, "ja") is None


@pytest.mark.parametrize("content", [b"", b"{", b"[]", b'{"format": 1, "rows": 3}', b"\xff\xfe"])
def test_a_damaged_cache_is_ignored(store: Store, content: bytes) -> None:
    fill(store)
    rowcache.cache_path(store.root).write_bytes(content)
    assert rowcache.load(store.root, store.fingerprint(), TODAY, "ja") is None


def test_an_unwritable_cache_does_not_fail_the_caller(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic, "replace_derived", refuse)
    fill(store)  # no exception


def test_stale_rows_are_offered_for_another_day_with_their_day(store: Store) -> None:
    rows = fill(store)
    stale = rowcache.load_stale(store.root, store.fingerprint(), "ja")
    assert stale is not None and stale[1] == TODAY
    assert sorted(r.id for r in stale[0]) == sorted(r.id for r in rows)
    # Another language or other settings: nothing (the text would be wrong, not just old).
    assert rowcache.load_stale(store.root, store.fingerprint(), "en") is None
    assert rowcache.load_stale(store.root, store.fingerprint(), "ja", PitfallSettings(stalled_days=30)) is None


def test_stale_rows_leave_out_engagements_no_longer_on_disk(store: Store) -> None:
    fill(store)
    gone = store.engagements()[0]
    store.delete(gone.id, gone.revision)
    stale = rowcache.load_stale(store.root, store.fingerprint(), "ja")
    assert stale is not None and gone.id not in {r.id for r in stale[0]}


def test_after_one_edit_only_that_row_is_recomputed(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    fill(store)
    edited = store.engagements()[0]
    store.save(edited.model_copy(update={"notes": "更新"}))
    matching = rowcache.load_matching(store.root, store.fingerprint(), TODAY, "ja")
    assert set(matching) == {e.id for e in store.engagements()} - {edited.id}


def test_scan_yields_the_asked_engagements_without_keeping_them(store: Store) -> None:
    fresh = Store.open(store.root)
    ids = [e.id for e in fresh.scan(["en-2025-cdo-hayase", "en-2026-adv-todo"])]
    assert ids == ["en-2025-cdo-hayase", "en-2026-adv-todo"]
    assert len(list(fresh.scan())) == 8


def test_no_settings_file_and_the_default_settings_share_one_key() -> None:
    # A session started without a settings file (None) and one given the defaults explicitly
    # (or a file that sets every default) must reuse each other's rows.
    from xtalent.settings import DEFAULTS, Settings

    assert rowcache.settings_key(None) == rowcache.settings_key(DEFAULTS)
    assert rowcache.settings_key(Settings(pitfalls=PitfallSettings(stalled_days=60))) == rowcache.settings_key(None)
    assert rowcache.settings_key(PitfallSettings()) == rowcache.settings_key(None)
    assert rowcache.settings_key(PitfallSettings(stalled_days=30)) != rowcache.settings_key(None)


def test_rows_saved_with_the_default_settings_are_found_without_a_settings_file(store: Store) -> None:
    from xtalent.settings import DEFAULTS

    fill(store, settings=DEFAULTS)
    assert rowcache.load(store.root, store.fingerprint(), TODAY, "ja", None) is not None


# ----- the key, end to end: rows right for the new state --------------------------------------


def direct(store: Store, today: date, lang: str, settings=None) -> list:
    """The rows computed from the engagements, no cache involved."""
    return sorted(build_rows(store.scan(), today, lang, settings), key=lambda r: r.id)


def tampered(store: Store, today: date, lang: str, settings=None) -> None:
    """A cache for this state whose rows say something the engagements do not: reusing it
    anywhere it does not belong would show."""
    rows = [replace(r, warnings={"critical": 99}, readiness=-1) for r in build_rows(store.scan(), today, lang, settings)]
    rowcache.save(store.root, store.fingerprint(), rows, today, lang, settings)


def current(store: Store, today: date = TODAY, lang: str = "ja", settings=None) -> list:
    return sorted(rowcache.current_rows(store, today, lang, settings), key=lambda r: r.id)


def test_the_same_state_reuses_the_cached_rows(store: Store) -> None:
    tampered(store, TODAY, "ja")
    assert {r.readiness for r in current(store)} == {-1}  # proof that the cache is read at all


def test_another_code_version_gives_rows_of_the_new_code(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    tampered(store, TODAY, "ja")  # rows as an older release computed them
    monkeypatch.setattr(rowcache, "code_version", lambda: "0.1.0+an-upgrade")
    assert current(store) == direct(store, TODAY, "ja")
    assert rowcache.read(store.root)["code"] == "0.1.0+an-upgrade"


def test_another_day_gives_that_days_rows(store: Store) -> None:
    tampered(store, TODAY - timedelta(days=1), "ja")
    tomorrow = TODAY + timedelta(days=200)  # terms end, warnings change
    assert current(store, tomorrow) == direct(store, tomorrow, "ja")
    assert current(store, tomorrow) != direct(store, TODAY, "ja")


def test_another_language_gives_rows_in_that_language(store: Store) -> None:
    tampered(store, TODAY, "ja")
    rows = current(store, lang="en")
    assert rows == direct(store, TODAY, "en")
    assert {r.role for r in rows} != {r.role for r in direct(store, TODAY, "ja")}  # the labels are English


@pytest.mark.parametrize("kind", ["thresholds", "file"])
def test_other_settings_give_rows_for_those_settings(store: Store, tmp_path: Path, kind: str) -> None:
    tampered(store, TODAY, "ja")
    if kind == "thresholds":
        settings = PitfallSettings(term_ending_days=400, stalled_days=10)
    else:
        path = tmp_path / "s.toml"
        path.write_text("[pitfalls]\nterm_ending_days = 400\nstalled_days = 10\n", encoding="utf-8")
        settings = SettingsFile.read(path)
    rows = current(store, settings=settings)
    assert rows == direct(store, TODAY, "ja", settings)
    assert [r.warnings for r in rows] != [r.warnings for r in direct(store, TODAY, "ja")]  # they matter
    # And back to no settings file: the defaults' rows, not the ones just cached.
    assert current(store) == direct(store, TODAY, "ja")


def test_an_import_leaves_rows_for_the_first_launch(tmp_path: Path) -> None:
    from xtalent.cli import main

    db = tmp_path / "imported"
    assert main(["--db", str(db), "--today", "2026-11-23", "--lang", "ja", "import", str(demo_file())]) == 0
    imported = Store.open(db)
    assert rowcache.load(db, imported.fingerprint(), TODAY, "ja", None) is not None
    assert current(imported) == direct(imported, TODAY, "ja")
    assert rowcache.attention_path(db).exists()  # and the attention view's
    assert rowcache.current_attention(imported, TODAY, "ja") == attention_rows(imported.scan(), TODAY, None, "ja")


# ----- `xtalent list` is served from the same rows ----------------------------------------------


def listed(store: Store, capsys: pytest.CaptureFixture[str], *args: str, today: date = TODAY, lang: str = "ja") -> str:
    from xtalent.cli import main

    assert main(["--db", str(store.root), "--lang", lang, *args, "list"], today=today) == 0
    return capsys.readouterr().out


def listed_from_engagements(store: Store, capsys: pytest.CaptureFixture[str], **kwargs) -> str:
    rowcache.cache_path(store.root).unlink(missing_ok=True)
    out = listed(store, capsys, **kwargs)
    rowcache.cache_path(store.root).unlink(missing_ok=True)
    return out


def tampered_for_list(store: Store, today: date, lang: str) -> None:
    """A cache for this state whose rows list what the engagements do not say."""
    rows = [replace(r, person="仮名", items_transferred=99) for r in build_rows(store.scan(), today, lang)]
    rowcache.save(store.root, store.fingerprint(), rows, today, lang)


def test_list_reads_no_engagement_when_the_cache_holds_todays_rows(store: Store, capsys, monkeypatch) -> None:
    expected = listed_from_engagements(store, capsys)
    current(store)  # today's rows, as the dashboard or an import leaves them
    with monkeypatch.context() as patched:
        patched.setattr(Store, "scan", lambda *a, **k: pytest.fail("an engagement was read"))
        assert listed(store, capsys) == expected
    tampered_for_list(store, TODAY, "ja")
    assert "仮名" in listed(store, capsys)  # proof that the rows come from the cache


@pytest.mark.parametrize("state", ["day", "lang", "code"])
def test_list_from_a_cache_of_another_state_shows_the_new_states_rows(store: Store, capsys, monkeypatch, state) -> None:
    args = {"day": {"today": TODAY + timedelta(days=200)}, "lang": {"lang": "en"}, "code": {}}[state]
    expected = listed_from_engagements(store, capsys, **args)
    tampered_for_list(store, TODAY, "ja")
    if state == "code":
        monkeypatch.setattr(rowcache, "code_version", lambda: "0.1.0+an-upgrade")
    assert listed(store, capsys, **args) == expected
    assert "仮名" not in expected
    if state == "lang":
        assert expected != listed_from_engagements(store, capsys)


def test_list_with_a_stale_row_makes_that_row_from_its_file(store: Store, capsys, monkeypatch) -> None:
    tampered_for_list(store, TODAY, "ja")
    saved = store.get("en-2025-cdo-hayase")
    store.save(saved.model_copy(update={"person": saved.person.model_copy(update={"name": "改名"})}))
    read = []
    real_scan = Store.scan
    monkeypatch.setattr(Store, "scan", lambda self, ids=None, **k: read.append(ids) or real_scan(self, ids, **k))
    out = listed(store, capsys)
    assert "改名" in out and out.count("仮名") == len(store.fingerprint()) - 1  # the others from the cache
    assert read == [["en-2025-cdo-hayase"]]  # only the edited file is read


def test_list_does_not_compute_the_dashboards_rows(store: Store, capsys, monkeypatch) -> None:
    import xtalent.views.dashboard as dashboard

    monkeypatch.setattr(dashboard, "build_rows", lambda *a, **k: pytest.fail("the rules ran for a list"))
    assert listed(store, capsys).count("\n") == len(store.fingerprint()) + 2
    assert not rowcache.cache_path(store.root).exists()  # and writes no cache


def test_list_with_an_unusable_settings_file_lists_from_the_engagements(store: Store, capsys, tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[pitfalls]\nstalled_days = 'never'\n", encoding="utf-8")
    expected = listed_from_engagements(store, capsys)
    current(store)
    assert listed(store, capsys, "--config", str(bad)) == expected


# ----- the attention view's rows, kept by the same key ---------------------------------------------



def attention_direct(store: Store, today: date = TODAY, lang: str = "ja", settings=None, due_within: int | None = None) -> list:
    kwargs = {} if due_within is None else {"due_within": due_within}
    return attention_rows(store.scan(), today, settings, lang, **kwargs)


def attention_tampered(store: Store, today: date = TODAY, lang: str = "ja", settings=None) -> None:
    """An attention cache for this state whose rows say what the engagements do not."""
    rowcache.current_attention(store, today, lang, settings)
    path = rowcache.attention_path(store.root)
    data = json.loads(path.read_text(encoding="utf-8"))
    message = [f.name for f in fields(AttentionRow)].index("message")
    for entry in data["rows"].values():
        for row in entry["rows"]["rows"]:  # each file's rows and their widths
            row[message] = "キャッシュの行"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def test_attention_rows_from_the_cache_are_the_rows_computed(store: Store, monkeypatch) -> None:
    first = rowcache.current_attention(store, TODAY, "ja")
    assert first == attention_direct(store) and len(first) > 10
    monkeypatch.setattr(Store, "scan", lambda *a, **k: pytest.fail("an engagement was read"))
    assert rowcache.current_attention(store, TODAY, "ja") == first


def test_the_same_state_reuses_the_attention_rows(store: Store) -> None:
    attention_tampered(store)
    assert {r.message for r in rowcache.current_attention(store, TODAY, "ja")} == {"キャッシュの行"}


@pytest.mark.parametrize("state", ["day", "lang", "settings", "file", "code", "due_within"])
def test_attention_rows_of_another_state_are_the_new_states(store: Store, monkeypatch, tmp_path: Path, state: str) -> None:
    attention_tampered(store)
    args: dict = {"today": TODAY, "lang": "ja", "settings": None}
    due_within = None
    if state == "day":
        args["today"] = TODAY + timedelta(days=200)
    elif state == "lang":
        args["lang"] = "en"
    elif state == "settings":
        args["settings"] = PitfallSettings(term_ending_days=400, stalled_days=10)
    elif state == "file":
        path = tmp_path / "s.toml"
        path.write_text("[pitfalls]\nterm_ending_days = 400\nstalled_days = 10\n", encoding="utf-8")
        args["settings"] = SettingsFile.read(path)
    elif state == "code":
        monkeypatch.setattr(rowcache, "code_version", lambda: "0.1.0+an-upgrade")
    else:
        due_within = 400
    got = rowcache.current_attention(store, args["today"], args["lang"], args["settings"], due_within=due_within)
    assert got == attention_direct(store, args["today"], args["lang"], args["settings"], due_within)
    assert "キャッシュの行" not in {r.message for r in got}


def test_an_edited_engagement_has_its_attention_rows_computed_again_the_others_are_kept(store: Store) -> None:
    eid = attention_direct(store)[0].engagement_id
    attention_tampered(store)
    saved = store.get(eid)
    store.save(saved.model_copy(update={"person": saved.person.model_copy(update={"name": "改名"})}))
    got = rowcache.current_attention(store, TODAY, "ja")
    edited = [r for r in got if r.engagement_id == eid]
    assert edited and all(r.person == "改名" and r.message != "キャッシュの行" for r in edited)
    assert all(r.message == "キャッシュの行" for r in got if r.engagement_id != eid)


def test_a_deleted_engagement_leaves_the_attention_rows(store: Store) -> None:
    rowcache.current_attention(store, TODAY, "ja")
    gone = store.get(attention_direct(store)[0].engagement_id)
    store.delete(gone.id, gone.revision)
    assert gone.id not in {r.engagement_id for r in rowcache.current_attention(store, TODAY, "ja")}


@pytest.mark.parametrize("content", [b"", b"{", b"[]", b'{"format": 3}', "\xff".encode("latin-1")])
def test_a_damaged_attention_cache_is_ignored(store: Store, content: bytes) -> None:
    path = rowcache.attention_path(store.root)
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(content)
    assert rowcache.current_attention(store, TODAY, "ja") == attention_direct(store)


# ----- the staff screen's receptions, kept by file -------------------------------------------------


def staff_direct(store: Store, lang: str = "ja") -> list:
    return staff_rows(store.people(), store.scan(), lang)


def staff_cached(store: Store, lang: str = "ja") -> list:
    return rows_from(store.people(), rowcache.current_receptions(store), lang)


def receptions_tampered(store: Store) -> None:
    """A receptions cache for this state that names items the engagements do not."""
    rowcache.current_receptions(store)
    path = rowcache.staff_path(store.root)
    data = json.loads(path.read_text(encoding="utf-8"))
    for entry in data["rows"].values():
        entry["rows"]["items"] = {item: "キャッシュの項目" for item in entry["rows"]["items"]}
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def items_of(rows: list) -> set[str]:
    return {r.item for row in rows for r in row.received}


def test_staff_rows_from_the_kept_receptions_are_the_rows_computed(store: Store, monkeypatch) -> None:
    first = staff_cached(store)
    assert first == staff_direct(store) and sum(len(r.received) for r in first) > 10
    monkeypatch.setattr(Store, "scan", lambda *a, **k: pytest.fail("an engagement was read"))
    assert staff_cached(store) == first


def test_the_same_files_reuse_the_receptions_and_the_language_is_applied_after(store: Store) -> None:
    receptions_tampered(store)
    assert items_of(staff_cached(store)) == {"キャッシュの項目"}
    # Labels are not kept: the same receptions give the stages in the language asked for.
    english = staff_cached(store, "en")
    assert {r.stage for row in english for r in row.received} == {r.stage for row in staff_direct(store, "en") for r in row.received}


def test_receptions_of_another_code_version_are_computed_again(store: Store, monkeypatch) -> None:
    receptions_tampered(store)
    monkeypatch.setattr(rowcache, "code_version", lambda: "0.1.0+an-upgrade")
    assert staff_cached(store) == staff_direct(store)


def test_a_stage_move_saved_shows_in_the_staff_rows_the_others_are_kept(store: Store) -> None:
    from xtalent.edits import step_stage

    receptions_tampered(store)
    engagement = next(e for e in store.scan() if any(i.receivers for i in e.items))
    item = next(i for i in engagement.items if i.receivers)
    reception = item.receivers[0]
    store.save(step_stage(engagement, item.id, reception.staff_id, 1 if reception.stage != "verified" else -1, TODAY))
    got = staff_cached(store)
    moved = store.get(engagement.id)
    stage = next(r for r in next(i for i in moved.items if i.id == item.id).receivers if r.staff_id == reception.staff_id).stage
    from xtalent.labels import label

    shown = [r for row in got for r in row.received if r.engagement_id == engagement.id and r.item_id == item.id]
    assert shown and all(r.item == item.title for r in shown)  # this engagement read again
    member = next(s for s in moved.staff if s.id == reception.staff_id)
    mine = [r for row in got if row.id == member.employee_id for r in row.received
            if r.engagement_id == engagement.id and r.item_id == item.id]
    assert [r.stage for r in mine] == [label(stage, "ja")] and stage != reception.stage
    assert {r.item for row in got for r in row.received if r.engagement_id != engagement.id} == {"キャッシュの項目"}


@pytest.mark.parametrize("content", [b"", b"{", b"[]", b'{"format": 3}', "\xff".encode("latin-1")])
def test_a_damaged_receptions_cache_is_ignored(store: Store, content: bytes) -> None:
    path = rowcache.staff_path(store.root)
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(content)
    assert staff_cached(store) == staff_direct(store)


def test_with_nothing_kept_the_first_rows_are_offered_once_then_every_row(store: Store, monkeypatch) -> None:
    monkeypatch.setattr(rowcache, "FIRST_ROWS", 3)
    offered = []
    rows = rowcache.current_rows(store, TODAY, "ja", first=lambda rows, total: offered.append((rows, total)))
    assert sorted(rows, key=lambda r: r.id) == direct(store, TODAY, "ja")
    assert len(offered) == 1 and len(offered[0][0]) == 3 and offered[0][1] == 8
    assert all(row in rows for row in offered[0][0])  # today's rows, as they will stay
    # Kept: nothing to offer; another day's kept: those are shown instead, not the first rows.
    rowcache.current_rows(store, TODAY, "ja", first=lambda *a: pytest.fail("offered with every row kept"))
    rowcache.current_rows(store, TODAY + timedelta(days=1), "ja", stale=lambda *a: None,
                          first=lambda *a: pytest.fail("offered over another day's rows"))


def test_rows_computed_with_keep_are_written_only_when_the_caller_runs_the_write(store: Store) -> None:
    rowcache.cache_path(store.root).unlink(missing_ok=True)
    writes: list = []
    rows = rowcache.current_rows(store, TODAY, "ja", keep=writes.append)
    assert len(writes) == 1 and not rowcache.cache_path(store.root).exists()
    writes[0]()
    assert rowcache.load(store.root, store.fingerprint(), TODAY, "ja") == rows
    writes.clear()
    assert rowcache.current_rows(store, TODAY, "ja", keep=writes.append) == rows and writes == []  # all kept
