"""The store: what it writes, what it refuses, and how it recovers."""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import textwrap
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from pydantic import ValidationError
from filelock import FileLock

from test_store_support import FullDiskWriter, engagement, file_mode, open_store, tree_bytes
from xtalent import atomic, migrations
from xtalent import journal as journal_module
from xtalent.errors import InvalidData, XtalentError
from xtalent.interchange import load_document
from xtalent.models import InterchangeDocument
from xtalent.store import ConflictError, Store, StoreError

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "db"


def saved_store(db: Path, *engagement_ids: str, **kwargs) -> Store:
    store = open_store(db, **kwargs)
    for engagement_id in engagement_ids or ("en-sato",):
        store.save(engagement(engagement_id))
    return store


# ----- round trip -----------------------------------------------------------------------------


def test_save_and_load_round_trip_keeps_japanese_as_utf8_text(db: Path) -> None:
    store = open_store(db)
    original = engagement()
    saved = store.save(original)
    assert saved.revision == 1

    reopened = open_store(db)
    loaded = reopened.get("en-sato")
    assert loaded == saved
    assert loaded.model_dump(exclude={"revision"}) == original.model_dump(exclude={"revision"})

    raw = (db / "engagements" / "en-sato.json").read_bytes()
    text = raw.decode("utf-8")  # strict: the file is UTF-8
    assert "佐藤 花子" in text and "書かない窓口の導入" in text
    assert "\\u" not in text  # Japanese stored as text, not \u escapes



# ----- the file is a TinyDB database: both ways (codec.py) ------------------------------------


def test_a_file_xtalent_writes_opens_in_plain_tinydb_with_the_same_data(db: Path) -> None:
    from tinydb import TinyDB

    saved = open_store(db).save(engagement())
    data = saved.model_dump(mode="json")
    with TinyDB(db / "engagements" / "en-sato.json", access_mode="r") as plain:
        (meta,) = plain.table("meta").all()
        assert meta["revision"] == saved.revision == 1 and meta["schema_version"] == migrations.SCHEMA_VERSION
        (core,) = plain.table("engagement").all()
        assert core == {k: v for k, v in data.items() if k not in ("targets", "items", "staff", "log", "revision")}
        for name in ("targets", "items", "staff", "log"):
            assert data[name], name  # the example fills every table
            assert plain.table(name).all() == data[name]
            assert [row.doc_id for row in plain.table(name).all()] == list(range(1, len(data[name]) + 1))


@pytest.mark.parametrize("default_table", [False, True])
def test_a_file_plain_tinydb_writes_is_read_by_xtalent(db: Path, default_table: bool) -> None:
    from tinydb import TinyDB

    store = open_store(db)
    data = engagement().model_dump(mode="json")
    path = db / "engagements" / "en-sato.json"
    # TinyDB's own storage: ASCII escapes, no indent, ids left with a gap by a removed row.
    with TinyDB(path) as plain:
        plain.table("meta").insert({"schema_version": migrations.SCHEMA_VERSION, "revision": 4, "id": "en-sato"})
        plain.table("engagement").insert({k: v for k, v in data.items() if k not in ("targets", "items", "staff", "log", "revision")})
        for name in ("targets", "items", "staff", "log"):
            table = plain.table(name)
            gone = table.insert({"removed": True})
            table.insert_multiple(data[name])
            table.remove(doc_ids=[gone])
        if default_table:  # a table xtalent does not know (TinyDB's default one) is not read
            plain.insert({"something": "else"})
    assert "\\u" in path.read_text()
    loaded = store.get("en-sato")
    assert loaded.model_dump(mode="json") == {**data, "revision": 4}
    # Saved again by xtalent, it is xtalent's own layout, the same data.
    store.save(loaded.model_copy(update={"notes": "変更"}))
    assert open_store(db).get("en-sato").model_dump(mode="json") == {**data, "notes": "変更", "revision": 5}

def test_each_save_bumps_the_revision_and_a_stale_save_is_a_conflict(db: Path) -> None:
    mine = open_store(db)
    theirs = open_store(db)
    first = mine.save(engagement())
    assert first.revision == 1

    their_copy = theirs.get("en-sato")
    my_copy = mine.get("en-sato")
    theirs.save(their_copy.model_copy(update={"notes": "先に保存した編集"}))

    with pytest.raises(ConflictError) as err:
        mine.save(my_copy.model_copy(update={"notes": "後から保存しようとした編集"}))
    assert err.value.key == "store.conflict"
    assert "en-sato" in err.value.message("en")
    assert open_store(db).get("en-sato").notes == "先に保存した編集"


def test_a_new_engagement_whose_id_already_exists_is_a_conflict(db: Path) -> None:
    store = saved_store(db)
    with pytest.raises(ConflictError):
        store.save(engagement())  # revision 0 means "new", but the id is taken


def test_delete_checks_the_revision_and_ids_cannot_escape_the_folder(db: Path, tmp_path: Path) -> None:
    store = saved_store(db)
    with pytest.raises(ConflictError):
        store.delete("en-sato", 0)
    outside = tmp_path / "outside.json"
    outside.write_text("{}")
    for bad in ("../../outside", "../outside", "/etc/passwd", ""):
        with pytest.raises(StoreError):
            store.get(bad)
        with pytest.raises(StoreError):
            store.delete(bad, 0)
    assert outside.read_text() == "{}"
    store.delete("en-sato", 1)
    assert store.engagements() == []


# ----- atomic writes --------------------------------------------------------------------------


def test_a_failing_rename_leaves_the_old_file_intact(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = saved_store(db)
    before = tree_bytes(db)

    def broken_replace(src, dst):
        raise OSError(errno.EIO, "simulated I/O error")

    monkeypatch.setattr(atomic.os, "replace", broken_replace)
    edited = store.get("en-sato").model_copy(update={"notes": "書き込み途中で失敗する編集"})
    with pytest.raises(StoreError) as err:
        store.save(edited)
    assert str(db / "engagements" / "en-sato.json") in err.value.message("en")
    monkeypatch.undo()

    assert tree_bytes(db) == before  # no half file, no stray temp file
    assert open_store(db).get("en-sato").notes == engagement().notes


def test_a_write_that_fails_midway_leaves_the_old_file_intact(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = saved_store(db)
    before = tree_bytes(db)
    real_fdopen = os.fdopen
    monkeypatch.setattr(atomic.os, "fdopen", lambda fd, mode: FullDiskWriter(real_fdopen(fd, mode)))
    with pytest.raises(StoreError) as err:
        store.save(store.get("en-sato").model_copy(update={"notes": "途中で止まる"}))
    monkeypatch.undo()
    assert err.value.key == "store.disk_full"
    assert tree_bytes(db) == before


# The child writes through the real code and is killed at a chosen point inside atomic_write_bytes:
# "write" = after half of the new bytes reached the temp file, "fsync" = all bytes written, not renamed.
KILL_CHILD = textwrap.dedent(
    """
    import os, sys, time
    sys.path.insert(0, {tests!r})
    from test_store_support import open_store, engagement
    from xtalent import atomic
    point = sys.argv[1]
    store = open_store({db!r})
    current = store.get("en-sato")

    def stall():
        print("stalled", flush=True)
        time.sleep(60)

    if point == "fsync":
        atomic.os.fsync = lambda fd: stall()
    else:
        real_fdopen = os.fdopen
        class Stalling:
            def __init__(self, handle): self.h = handle
            def write(self, data):
                self.h.write(data[: len(data) // 2]); self.h.flush(); stall()
            def __getattr__(self, name): return getattr(self.h, name)
            def __enter__(self): return self
            def __exit__(self, *exc): self.h.close()
        atomic.os.fdopen = lambda fd, mode: Stalling(real_fdopen(fd, mode))
    store.save(current.model_copy(update={{"notes": "殺される直前の編集" * 50}}))
    print("saved", flush=True)
    """
)


@pytest.mark.parametrize("point", ["write", "fsync"])
def test_a_process_killed_mid_write_leaves_the_old_file_intact(db: Path, point: str) -> None:
    saved_store(db)
    # The first save of a session makes a backup; make it now so the child's only write is the edit.
    open_store(db).backup_now()
    before = tree_bytes(db)
    code = KILL_CHILD.format(tests=str(ROOT / "tests"), db=str(db))
    child = subprocess.Popen([sys.executable, "-c", code, point], stdout=subprocess.PIPE, text=True)
    try:
        line = child.stdout.readline()
        assert line.strip() == "stalled"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        child.stdout.close()

    after = tree_bytes(db)
    stray = [name for name in after if name not in before]
    # (killed at fsync, the snapshot may still be in its hidden staging folder)
    snapshot = [name for name in stray if name.startswith("backups/") and ("-auto/" in name or "-auto.tmp/" in name)]
    # The child's session snapshot (links to the files as they were) and the killed temp file.
    assert all(after[name] == before["engagements/" + Path(name).name] for name in snapshot)
    assert all(Path(name).name.startswith(".") and name.endswith(".tmp") for name in stray if name not in snapshot)
    assert {k: v for k, v in after.items() if k in before} == {k: v for k, v in before.items() if k in after}
    assert set(before) <= set(after)

    store = open_store(db)
    assert store.get("en-sato").notes == engagement().notes
    # The next write of a session sweeps temp files a killed writer left behind.
    store.save(store.get("en-sato").model_copy(update={"notes": "再開後の編集"}))
    assert not [p for p in db.rglob("*.tmp")]


# ----- the lock -------------------------------------------------------------------------------


def test_a_lock_held_elsewhere_gives_a_clear_locked_error(db: Path) -> None:
    store = saved_store(db, lock_timeout=0.2)
    before = tree_bytes(db)
    # A second FileLock object has its own descriptor, so flock treats it as another process.
    holder = FileLock(str(db / ".lock"))
    with holder:
        with pytest.raises(StoreError) as err:
            store.save(store.get("en-sato").model_copy(update={"notes": "ロック中の編集"}))
    assert err.value.key == "store.locked"
    assert str(db) in err.value.message("en") and "try again" in err.value.message("en")
    assert tree_bytes(db) == before


def test_a_lock_held_by_another_process_blocks_writes_until_released(db: Path) -> None:
    store = saved_store(db, lock_timeout=0.2)
    code = (
        "import sys, time\nfrom filelock import FileLock\n"
        f"lock = FileLock({str(db / '.lock')!r})\nlock.acquire()\nprint('held', flush=True)\nsys.stdin.readline()\n"
    )
    child = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "held"
        with pytest.raises(StoreError) as err:
            store.save(store.get("en-sato").model_copy(update={"notes": "待たされる編集"}))
        assert err.value.key == "store.locked"
    finally:
        child.stdin.close()
        child.wait(timeout=30)
        child.stdout.close()
    assert store.save(store.get("en-sato").model_copy(update={"notes": "解放後の編集"})).revision == 2


# ----- corrupt files --------------------------------------------------------------------------

def _corruptions(valid: bytes) -> dict[str, bytes]:
    wrong_content = json.loads(valid)
    wrong_content["engagement"]["1"]["term_end"] = "2020-01-01"  # before the start
    return {
        "empty": b"",
        "whitespace": b"  \n",
        "truncated": valid[: len(valid) // 2],
        "garbage": bytes(range(256)) * 4,
        "not_utf8": valid.decode("utf-8").encode("shift_jis"),
        "json_list": b"[]",
        "json_string": b'"engagement"',
        "tables_not_objects": b'{"meta": [], "engagement": []}',
        "no_engagement_table": b'{"meta": {"1": {"schema_version": 1, "revision": 1}}}',
        "non_numeric_row_id": b'{"meta": {"x": {"schema_version": 1}}, "engagement": {"x": {}}}',
        "row_not_object": b'{"meta": {"1": 5}, "engagement": {"1": 5}}',
        "invalid_content": json.dumps(wrong_content, ensure_ascii=False).encode("utf-8"),
        "nan": valid.replace(b'"days_per_month": 4.5', b'"days_per_month": NaN'),
        "deeply_nested": b"[" * 100_000 + b"]" * 100_000,
    }


CORRUPTIONS = [
    "empty", "whitespace", "truncated", "garbage", "not_utf8", "json_list", "json_string", "tables_not_objects",
    "no_engagement_table", "non_numeric_row_id", "row_not_object", "invalid_content", "nan", "deeply_nested",
]


@pytest.mark.parametrize("kind", CORRUPTIONS)
def test_a_corrupt_engagement_file_is_refused_named_and_left_untouched(db: Path, kind: str) -> None:
    store = saved_store(db, "en-sato", "en-other")
    backup = store.backup_now()
    path = db / "engagements" / "en-sato.json"
    damaged = _corruptions(path.read_bytes())[kind]
    path.write_bytes(damaged)
    before = tree_bytes(db)

    fresh = open_store(db)  # opening works: only the damaged engagement is refused
    for action in (fresh.engagements, lambda: fresh.get("en-sato"), lambda: fresh.find("佐藤 花子")):
        with pytest.raises(StoreError) as err:
            action()
        message = err.value.message("en")
        assert err.value.key == "store.corrupt_file", message
        assert str(path) in message and str(backup) in message and "xtalent restore" in message
        assert "佐藤" not in message  # the damaged content is not echoed

    # A save of the damaged engagement does not sneak past, and changes nothing.
    with pytest.raises(StoreError):
        fresh.save(engagement("en-sato", revision=1))
    assert tree_bytes(db) == before
    # Other engagements can still be worked on; the damaged file stays exactly as it was, and
    # the session's snapshot keeps its bytes too (evidence for whoever repairs it).
    fresh.save(engagement("en-new"))
    assert path.read_bytes() == damaged
    snapshot = next(b.path for b in fresh.list_backups() if b.name.endswith("-auto"))
    assert (snapshot / "en-sato.json").read_bytes() == damaged


@pytest.mark.parametrize(
    "content",
    [b"", b"{", b"\xff\xfe\x00", b"[]", b'{"format": "xtalent-db"}', b'{"format": "xtalent-db", "schema_version": "1"}'],
    ids=["empty", "truncated", "garbage", "list", "no_version", "version_text"],
)
def test_a_corrupt_manifest_is_refused_named_and_left_untouched(db: Path, content: bytes) -> None:
    store = saved_store(db)
    backup = store.backup_now()
    (db / "xtalent.json").write_bytes(content)
    before = tree_bytes(db)
    with pytest.raises(StoreError) as err:
        open_store(db)
    message = err.value.message("en")
    assert err.value.key == "store.corrupt_file", message
    assert str(db / "xtalent.json") in message and str(backup) in message
    assert tree_bytes(db) == before


def test_a_file_that_is_not_a_database_folder_is_refused(tmp_path: Path) -> None:
    somefile = tmp_path / "export.json"
    somefile.write_text("{}")
    with pytest.raises(StoreError) as err:
        open_store(somefile)
    assert err.value.key == "store.not_a_folder"
    busy = tmp_path / "documents"
    busy.mkdir()
    (busy / "memo.txt").write_text("私のメモ")
    with pytest.raises(StoreError) as err:
        open_store(busy)
    assert err.value.key == "store.not_a_database"
    assert sorted(p.name for p in busy.iterdir()) == ["memo.txt"]  # nothing created in a stranger's folder


def test_a_database_whose_creation_was_interrupted_opens(db: Path) -> None:
    # A kill between creating the folders and writing the manifest must not brick the database.
    db.mkdir()
    (db / ".lock").touch()
    (db / "engagements").mkdir()
    (db / "backups").mkdir()
    (db / ".xtalent.json.abc.tmp").write_bytes(b'{"form')
    store = open_store(db)
    assert store.save(engagement()).revision == 1


# ----- backups and restore --------------------------------------------------------------------


def test_backups_rotate_keeping_the_newest(db: Path) -> None:
    store = saved_store(db, backups_kept=3)
    made = [store.backup_now() for _ in range(6)]
    names = [b.name for b in store.list_backups()]
    assert len(names) == 3
    assert names == [p.name for p in reversed(made[-3:])]  # newest first


def test_backup_names_never_collide_or_go_backwards(db: Path) -> None:
    # A stuck clock must not overwrite a backup; a clock set back must not make new backups "oldest".
    stuck = datetime(2026, 6, 1, 9, 0, tzinfo=timezone.utc)
    store = saved_store(db, clock=lambda: stuck, backups_kept=3)
    first = store.backup_now()
    second = store.backup_now()
    assert first != second and first.exists() and second.exists()
    store.clock = lambda: stuck - timedelta(days=30)
    third = store.backup_now()
    fourth = store.backup_now()
    assert [b.path for b in store.list_backups()] == [fourth, third, second]


def test_the_first_change_of_a_session_is_preceded_by_a_backup(db: Path) -> None:
    saved_store(db)
    store = open_store(db)
    before = {b.name for b in store.list_backups()}
    store.save(store.get("en-sato").model_copy(update={"notes": "変更"}))
    store.save(store.get("en-sato").model_copy(update={"notes": "もう一度"}))
    new = [b for b in store.list_backups() if b.name not in before]
    assert len(new) == 1  # once per session, not per save
    assert store.read_backup(new[0].path).engagements[0].notes == engagement().notes


def test_the_session_snapshot_costs_links_not_a_copy_and_restores(db: Path) -> None:
    store = saved_store(db, "en-sato", "en-keep")
    store = open_store(db)
    store.save(store.get("en-sato").model_copy(update={"notes": "変更"}))
    snapshot = next(b for b in store.list_backups() if b.name.endswith("-auto"))
    assert snapshot.path.is_dir() and sorted(p.name for p in snapshot.path.iterdir()) == ["en-keep.json", "en-sato.json"]
    # The engagement saved since is a new file: the snapshot still holds the old one.
    assert os.stat(snapshot.path / "en-keep.json").st_ino == os.stat(db / "engagements" / "en-keep.json").st_ino
    assert os.stat(snapshot.path / "en-sato.json").st_ino != os.stat(db / "engagements" / "en-sato.json").st_ino
    assert file_mode(snapshot.path) == 0o700 and file_mode(snapshot.path / "en-sato.json") == 0o600
    store.restore_backup(snapshot.name)
    assert open_store(db).get("en-sato").notes == engagement().notes


def test_a_failed_first_change_leaves_no_snapshot_behind(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    saved_store(db)
    store = open_store(db)
    before = tree_bytes(db)

    def fail(*args, **kwargs):
        raise OSError(errno.EIO, "I/O error")

    monkeypatch.setattr(store.folder, "write", fail)
    with pytest.raises((OSError, StoreError)):
        store.save(store.get("en-sato").model_copy(update={"notes": "変更"}))
    assert tree_bytes(db) == before


def test_restore_replaces_the_database_and_keeps_the_current_state_aside(db: Path) -> None:
    store = saved_store(db, "en-sato", "en-keep")
    backup = store.backup_now()
    stale = store.get("en-sato")
    edited = store.save(stale.model_copy(update={"notes": "バックアップ後の編集"}))
    store.save(engagement("en-after"))

    kept = store.restore_backup(backup.name)
    assert kept is not None
    assert sorted(e.id for e in store.engagements()) == ["en-keep", "en-sato"]
    assert store.get("en-sato").notes == engagement().notes
    kept_doc = load_document(kept)
    assert {e.id: e.notes for e in kept_doc.engagements}["en-sato"] == "バックアップ後の編集"
    assert "en-after" in {e.id for e in kept_doc.engagements}

    # An editor still holding a copy from before the restore cannot silently overwrite it.
    for old in (stale, edited):
        with pytest.raises(ConflictError):
            store.save(old.model_copy(update={"notes": "古い画面からの保存"}))


def test_restore_twice_in_the_same_second_keeps_both_states(db: Path) -> None:
    stuck = datetime(2026, 6, 1, 9, 0, tzinfo=timezone.utc)
    store = saved_store(db, clock=lambda: stuck)
    backup = store.backup_now()
    store.save(store.get("en-sato").model_copy(update={"notes": "一回目"}))
    first_kept = store.restore_backup(backup.name)
    store.save(store.get("en-sato").model_copy(update={"notes": "二回目"}))
    second_kept = store.restore_backup(backup.name)
    assert first_kept != second_kept
    assert load_document(first_kept).engagements[0].notes == "一回目"
    assert load_document(second_kept).engagements[0].notes == "二回目"


def test_restore_of_an_unknown_backup_is_refused(db: Path) -> None:
    store = saved_store(db)
    before = tree_bytes(db)
    with pytest.raises(StoreError) as err:
        store.restore_backup("xtalent-1999")
    assert err.value.key == "store.no_such_backup"
    assert tree_bytes(db) == before


# ----- schema versions ------------------------------------------------------------------------


def test_a_database_from_a_newer_version_is_refused_untouched(db: Path) -> None:
    saved_store(db)
    manifest = db / "xtalent.json"
    manifest.write_bytes(json.dumps({"format": "xtalent-db", "schema_version": 99}).encode())
    before = tree_bytes(db)
    with pytest.raises(StoreError) as err:
        open_store(db)
    assert err.value.key == "store.newer_schema"
    message = err.value.message("en")
    assert str(manifest) in message and "99" in message and "upgrade xtalent" in message
    assert tree_bytes(db) == before


def test_an_engagement_file_from_a_newer_version_is_refused_untouched(db: Path) -> None:
    store = saved_store(db)
    path = db / "engagements" / "en-sato.json"
    data = json.loads(path.read_bytes())
    data["meta"]["1"]["schema_version"] = 7
    path.write_bytes(json.dumps(data, ensure_ascii=False).encode())
    before = tree_bytes(db)
    with pytest.raises(StoreError) as err:
        open_store(db).get("en-sato")
    assert err.value.key == "store.newer_schema" and str(path) in err.value.message("en")
    with pytest.raises(StoreError):
        store.save(engagement("en-sato", revision=1))
    assert tree_bytes(db) == before


def test_an_old_database_is_backed_up_then_migrated(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    saved_store(db)
    # Pretend the file on disk is version 2 of a schema whose version 3 renamed `organisation`.
    path = db / "engagements" / "en-sato.json"
    v1 = json.loads(path.read_bytes())
    v1["engagement"]["1"]["organization"] = v1["engagement"]["1"].pop("organisation")
    path.write_bytes(json.dumps(v1, ensure_ascii=False).encode())
    v1_bytes = path.read_bytes()

    def v2_to_v3(data: dict) -> dict:
        data = dict(data)
        data["organisation"] = data.pop("organization")
        return data

    current = migrations.SCHEMA_VERSION
    monkeypatch.setitem(migrations.MIGRATIONS, current, v2_to_v3)
    monkeypatch.setattr(migrations, "SCHEMA_VERSION", current + 1)

    store = open_store(db)
    assert store.get("en-sato").organisation == "みどり野市"
    assert json.loads((db / "xtalent.json").read_bytes())["schema_version"] == current + 1
    on_disk = json.loads(path.read_bytes())
    assert on_disk["meta"]["1"]["schema_version"] == current + 1 and "organisation" in on_disk["engagement"]["1"]

    # The backup was taken first and holds the old data exactly as it was, at version 2.
    pre = [b for b in store.list_backups() if "pre-migration" in b.name]
    assert len(pre) == 1
    backup = json.loads(pre[0].path.read_bytes())
    assert backup["schema_version"] == current
    assert backup["engagements"][0]["organization"] == "みどり野市"
    assert json.loads(v1_bytes)["engagement"]["1"]["organization"] == backup["engagements"][0]["organization"]

    # Opening again does not migrate (or back up) a second time.
    open_store(db)
    assert len([b for b in store.list_backups() if "pre-migration" in b.name]) == 1


def test_a_failing_migration_leaves_the_old_database_untouched(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    saved_store(db)
    before = tree_bytes(db)

    def broken(data: dict) -> dict:
        raise KeyError("organization")

    current = migrations.SCHEMA_VERSION
    monkeypatch.setitem(migrations.MIGRATIONS, current, broken)
    monkeypatch.setattr(migrations, "SCHEMA_VERSION", current + 1)
    with pytest.raises(StoreError) as err:
        open_store(db)
    assert err.value.key == "store.migration_failed"
    assert str(db / "engagements" / "en-sato.json") in err.value.message("en")
    assert tree_bytes(db) == before  # not even a backup: nothing was about to change


def test_a_version_1_database_is_migrated_to_the_engagements_whole_life(db: Path) -> None:
    # Schema 1 → 2: the appointment type comes from role and contract form; the rest starts empty.
    saved_store(db)
    path = db / "engagements" / "en-sato.json"
    v1 = json.loads(path.read_bytes())
    v1["meta"]["1"]["schema_version"] = 1
    record = v1["engagement"]["1"]
    for field in ("appointment_type", "term_history", "after_term", "closure"):
        record.pop(field, None)
    record.update(role="regional_entrepreneur", contract_form="side_job")
    path.write_bytes(json.dumps(v1, ensure_ascii=False).encode())
    manifest = db / "xtalent.json"
    manifest.write_bytes(json.dumps({**json.loads(manifest.read_bytes()), "schema_version": 1}).encode())
    store = open_store(db)
    migrated = store.get("en-sato")
    assert migrated.appointment_type == "kigyo_side_job" and migrated.closure is None and migrated.term_history == []
    assert json.loads(manifest.read_bytes())["schema_version"] == migrations.SCHEMA_VERSION
    assert [b for b in store.list_backups() if "pre-migration" in b.name]


# ----- the journal for multi-file changes ----------------------------------------------------


class Crash(BaseException):
    """Stands for the process dying: not an Exception, so nothing on the way catches it."""


def _is_staged(src) -> bool:
    # Moving a staged file into place (not the temp-file rename that writes one into the journal).
    return Path(src).parent.name == "journal" and not Path(src).name.startswith(".")


def _import_two() -> InterchangeDocument:
    return InterchangeDocument(
        engagements=[
            engagement("en-sato", notes="取り込みで置き換えた内容", revision=0),
            engagement("en-new", notes="取り込みで追加した内容"),
        ]
    )


def test_a_crash_after_the_commit_point_rolls_forward(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = saved_store(db)
    store.backup_now()
    real_replace = os.replace
    moved = []

    def crash_after_first_move(src, dst):
        if _is_staged(src):
            if moved:
                raise Crash()
            moved.append(dst)
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", crash_after_first_move)
    with pytest.raises(Crash):
        store.import_document(_import_two(), replace=True)
    monkeypatch.undo()
    assert (db / "journal" / "commit.json").exists()

    recovered = open_store(db)
    assert not (db / "journal").exists()
    notes = {e.id: e.notes for e in recovered.engagements()}
    assert notes == {"en-sato": "取り込みで置き換えた内容", "en-new": "取り込みで追加した内容"}


def test_a_crash_before_the_commit_point_rolls_back(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = saved_store(db)
    store.backup_now()
    before = tree_bytes(db)
    real_write = journal_module.atomic_write_bytes

    def crash_at_commit(path, data):
        if Path(path).name == "commit.json":
            raise Crash()
        return real_write(path, data)

    monkeypatch.setattr(journal_module, "atomic_write_bytes", crash_at_commit)
    with pytest.raises(Crash):
        store.import_document(_import_two(), replace=True)
    monkeypatch.undo()
    assert (db / "journal").exists() and not (db / "journal" / "commit.json").exists()

    recovered = open_store(db)
    assert not (db / "journal").exists()
    assert tree_bytes(db) == before


def test_a_store_already_open_finishes_a_crashed_change_before_writing(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A long-running process (the TUI) must not write under a committed-but-unapplied change:
    # rolling it forward later would silently replace its acknowledged edit.
    ui = saved_store(db)
    loaded = ui.get("en-sato")
    importer = open_store(db)
    real_replace = os.replace

    def crash_before_moving(src, dst):
        if _is_staged(src):
            raise Crash()
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", crash_before_moving)
    with pytest.raises(Crash):
        importer.import_document(_import_two(), replace=True)
    monkeypatch.undo()

    # The reader sees the committed change, not a mix.
    assert {e.id: e.notes for e in ui.engagements()}["en-new"] == "取り込みで追加した内容"
    with pytest.raises(ConflictError):
        ui.save(loaded.model_copy(update={"notes": "画面での編集"}))
    assert open_store(db).get("en-sato").notes == "取り込みで置き換えた内容"


# ----- values JSON cannot hold ----------------------------------------------------------------


@pytest.mark.parametrize(
    "update",
    [
        {"days_per_month": float("nan")},
        {"notes": "壊れた文字\ud800"},
    ],
    ids=["nan", "lone_surrogate"],
)
def test_values_that_cannot_be_stored_are_refused_before_writing(db: Path, update: dict) -> None:
    store = saved_store(db)
    before = tree_bytes(db)
    current = store.get("en-sato")
    broken = current.model_copy(update=update)
    with pytest.raises(XtalentError):
        store.save(broken)
    assert tree_bytes(db) == before


def test_an_indicator_value_that_is_not_finite_is_refused(db: Path) -> None:
    store = saved_store(db)
    before = tree_bytes(db)
    current = store.get("en-sato")
    # The model refuses it on assignment; data built around the model is refused at save.
    with pytest.raises(ValidationError):
        current.targets[0].indicator.baseline = float("inf")
    # model_copy(update=...) skips validation, as code that builds records around the model might.
    indicator = current.targets[0].indicator.model_copy(update={"baseline": float("inf")})
    target = current.targets[0].model_copy(update={"indicator": indicator})
    bad = current.model_copy(update={"targets": [target, *current.targets[1:]]})
    with pytest.raises(InvalidData) as err:
        store.save(bad)
    assert "targets[0].indicator.baseline" in err.value.message("en")
    assert tree_bytes(db) == before


def test_a_model_mutated_in_place_into_an_invalid_state_is_refused_cleanly(db: Path) -> None:
    store = saved_store(db)
    before = tree_bytes(db)
    current = store.get("en-sato")
    current.items[0].receivers[0].staff_id = "st-ghost"  # list contents are not validated on assignment
    with pytest.raises(InvalidData) as err:
        store.save(current)
    assert "items[0].receivers[0].staff_id" in err.value.message("en")
    assert tree_bytes(db) == before


# ----- modes ----------------------------------------------------------------------------------


def test_files_and_folders_are_private(db: Path) -> None:
    old = os.umask(0)  # even a permissive umask must not widen what we create
    try:
        store = saved_store(db, "en-sato", "en-other")
        store.backup_now()
        store.import_document(InterchangeDocument(engagements=[engagement("en-third")]))
    finally:
        os.umask(old)
    assert file_mode(db) == 0o700
    for path in db.rglob("*"):
        expected = 0o700 if path.is_dir() else 0o600
        assert file_mode(path) == expected, path
    assert file_mode(db / ".lock") == 0o600
    assert (db / "backups").is_dir() and any((db / "backups").iterdir())


# ----- the session's snapshot, prepared ahead of the first change ----------------------------


def hidden_entries(db: Path) -> list[str]:
    return sorted(p.name for p in (db / "backups").iterdir() if p.name.startswith("."))


def test_a_prepared_snapshot_becomes_the_sessions_backup(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    saved_store(db, "en-sato", "en-keep")
    store = open_store(db)
    monkeypatch.setattr(store.backups, "QUIET_SECONDS", 0.0)
    before = {b.name for b in store.list_backups()}
    assert store.prepare_backup()
    assert {b.name for b in store.list_backups()} == before  # not a backup until a change is made
    store.save(store.get("en-sato").model_copy(update={"notes": "変更"}))
    new = [b for b in store.list_backups() if b.name not in before]
    assert len(new) == 1 and new[0].name.endswith("-auto")
    assert store.read_backup(new[0].path).engagements[1].notes == engagement().notes
    assert os.stat(new[0].path / "en-keep.json").st_ino == os.stat(db / "engagements" / "en-keep.json").st_ino
    assert file_mode(new[0].path) == 0o700
    assert hidden_entries(db) == []


def test_a_change_made_elsewhere_after_preparing_is_in_the_backup(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    saved_store(db, "en-sato", "en-keep")
    store = open_store(db)
    monkeypatch.setattr(store.backups, "QUIET_SECONDS", 0.0)
    assert store.prepare_backup()
    other = open_store(db)
    other.backups.backed_up = True  # another process's later save, without its own snapshot
    other.save(other.get("en-keep").model_copy(update={"notes": "同僚の変更"}))
    before = {b.name for b in store.list_backups()}
    store.save(store.get("en-sato").model_copy(update={"notes": "変更"}))
    (new,) = [b for b in store.list_backups() if b.name not in before]
    # The state right before our change: the colleague's note is in it, the stale links are gone.
    assert {e.id: e.notes for e in store.read_backup(new.path).engagements}["en-keep"] == "同僚の変更"
    assert hidden_entries(db) == []


def test_a_session_without_changes_leaves_no_backup_and_nothing_hidden(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    saved_store(db)
    store = open_store(db)
    monkeypatch.setattr(store.backups, "QUIET_SECONDS", 0.0)
    before = sorted(p.name for p in (db / "backups").iterdir())
    assert store.prepare_backup()
    store.end_session()
    assert sorted(p.name for p in (db / "backups").iterdir()) == before


def test_a_folder_changed_just_now_is_not_prepared_from(db: Path) -> None:
    # A coarse clock could give a change made right after the same mtime: not trusted.
    store = saved_store(db)
    fresh = open_store(db)
    assert not fresh.prepare_backup()
    assert hidden_entries(db) == []
    fresh.save(fresh.get("en-sato").model_copy(update={"notes": "変更"}))  # makes its own, as before
    assert any(b.name.endswith("-auto") for b in store.list_backups())


def test_rotation_at_a_prepared_first_change_keeps_the_newest(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    saved_store(db, backups_kept=2)
    for n in range(3):
        store = open_store(db, backups_kept=2)
        monkeypatch.setattr(store.backups, "QUIET_SECONDS", 0.0)
        assert store.prepare_backup()
        store.save(store.get("en-sato").model_copy(update={"notes": f"変更{n}"}))
        store.end_session()
        assert len([b for b in store.list_backups() if b.name.endswith("-auto")]) <= 2
        assert hidden_entries(db) == []
    newest = store.list_backups()[0]
    assert store.read_backup(newest.path).engagements[0].notes == "変更1"


def test_the_engagement_files_are_listed_in_the_order_paths_sort_in(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "db")
    folder = store.folder.engagements_dir
    names = ["en-b", "en-a", "en-10", "en-9", "en-a-2", "en-a_1", "EN-Z", "en-aa", "en-z"]
    for name in names:
        (folder / f"{name}.json").write_bytes(b"{}")
    (folder / ".en-hidden.json").write_bytes(b"{}")
    (folder / "en-c.json.tmp").write_bytes(b"{}")
    listed = store.folder.files()
    assert listed == sorted(folder / f"{name}.json" for name in names)
