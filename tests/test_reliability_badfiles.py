"""Bad files: each refused with a message naming the file and what to do, the file untouched,
and `xtalent restore` brings the data back.

We run as root here, so chmod cannot make a file unreadable to us: those cases are simulated by
making the read or write raise exactly what the OS raises; the real-permission variants run
wherever the tests do not run as root.
"""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import tempfile
from pathlib import Path

import pytest

from test_store_support import FullDiskWriter, engagement, open_store, run_cli, tree_bytes
from xtalent import atomic
from xtalent.interchange import load_document
from xtalent.store import StoreError

def _permissions_enforced() -> bool:
    # Root (or CAP_DAC_OVERRIDE) reads a mode-000 file anyway; probe rather than trust the uid.
    with tempfile.TemporaryDirectory() as folder:
        probe = Path(folder) / "probe"
        probe.write_text("x")
        probe.chmod(0)
        try:
            probe.read_text()
        except PermissionError:
            return True
        finally:
            probe.chmod(0o600)
        return False


ENFORCED = _permissions_enforced()


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    return run_cli(capsys, *argv, lang="en")


@pytest.fixture
def db(tmp_path: Path) -> Path:
    root = tmp_path / "db"
    store = open_store(root)
    store.save(engagement("en-sato"))
    store.save(engagement("en-suzuki", person={"name": "鈴木 健太"}))
    store.backup_now()
    return root


def _bad_contents(good: bytes) -> dict[str, bytes]:
    newer = json.loads(good)
    newer["meta"]["1"]["schema_version"] = 99
    overflow = json.loads(good)
    overflow["engagement"]["1"]["days_per_month"] = "@number@"
    return {
        "overflow_number": json.dumps(overflow, ensure_ascii=False).replace('"@number@"', "1e400").encode(),
        "empty": b"",
        "truncated": good[: len(good) // 3],
        "garbage": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20,
        "wrong_shape": json.dumps({"engagements": [{"id": "en-sato"}]}).encode(),
        "newer_schema": json.dumps(newer, ensure_ascii=False).encode(),
    }


@pytest.mark.parametrize("kind", ["empty", "truncated", "garbage", "wrong_shape", "newer_schema", "overflow_number"])
def test_a_bad_engagement_file_is_named_with_what_to_do_and_left_untouched(
    db: Path, kind: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = db / "engagements" / "en-sato.json"
    path.write_bytes(_bad_contents(path.read_bytes())[kind])
    before = tree_bytes(db)
    advice = "upgrade xtalent" if kind == "newer_schema" else "restore with xtalent restore"

    for argv in (["list"], ["export", "--format", "json"], ["backup"]):
        code, out, err = cli(capsys, "--db", str(db), *argv)
        assert code == 2, argv
        assert str(path) in err and advice in err, err
        assert "Traceback" not in err and out == ""
    assert tree_bytes(db) == before
    # Importing another engagement may go on; the damaged file is never rewritten, and the
    # session's snapshot holds its bytes as they were.
    damaged = path.read_bytes()
    source = db.parent / "new.json"
    source.write_text(json.dumps({"engagements": [engagement("en-new").model_dump(mode="json")]}), encoding="utf-8")
    code, _, err = cli(capsys, "--db", str(db), "import", str(source))
    assert code == 0, err
    assert path.read_bytes() == damaged
    assert any((b / "en-sato.json").read_bytes() == damaged for b in (db / "backups").iterdir() if b.is_dir())
    code, _, err = cli(capsys, "--db", str(db), "list")
    assert code == 2 and str(path) in err


@pytest.mark.parametrize("kind", ["empty", "truncated", "garbage", "wrong_shape", "deleted"])
def test_a_bad_manifest_is_named_and_restore_still_repairs_the_database(
    db: Path, kind: str, capsys: pytest.CaptureFixture[str]
) -> None:
    manifest = db / "xtalent.json"
    damaged = {"empty": b"", "truncated": b'{"format": "xtal', "garbage": b"\x00\xff" * 10, "wrong_shape": b"[1, 2]"}.get(kind)
    if damaged is None:
        manifest.unlink()
    else:
        manifest.write_bytes(damaged)
    before = tree_bytes(db)
    code, _, err = cli(capsys, "--db", str(db), "list")
    assert code == 2 and str(manifest) in err and "xtalent restore" in err
    assert tree_bytes(db) == before

    code, out, _ = cli(capsys, "--db", str(db), "restore")
    assert code == 0
    name = re.findall(r"xtalent-\d{8}T\d{12}Z-[a-z-]+\.json", out)[0]  # the newest, listed first
    code, out, err = cli(capsys, "--db", str(db), "restore", name)
    assert code == 0, err
    aside = [p for p in (db / "backups").iterdir() if p.name.startswith("damaged-")]
    assert len(aside) == 1 and str(aside[0]) in out
    if damaged is not None:
        assert (aside[0] / "xtalent.json").read_bytes() == damaged  # the damaged file, kept as it was
    code, out, _ = cli(capsys, "--db", str(db), "list")
    assert code == 0 and "佐藤 花子" in out


def test_restore_lists_backups_restores_one_and_keeps_the_current_state(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = open_store(db)
    store.save(store.get("en-sato").model_copy(update={"notes": "バックアップ後の変更"}))
    store.save(engagement("en-late"))

    code, out, _ = cli(capsys, "--db", str(db), "restore")
    assert code == 0
    listed = [b.name for b in store.list_backups()]
    assert listed and all(name in out for name in listed)
    assert "xtalent restore NAME" in out

    manual = [name for name in listed if name.endswith("-manual.json")][0]
    code, out, err = cli(capsys, "--db", str(db), "restore", manual)
    assert code == 0, err
    kept = Path(out.strip().rsplit(" ", 1)[-1])
    assert kept.exists() and kept.parent == db / "backups"
    kept_doc = load_document(kept)
    assert {e.id for e in kept_doc.engagements} == {"en-sato", "en-suzuki", "en-late"}
    code, out, _ = cli(capsys, "--db", str(db), "list")
    assert "en-late" not in out and "佐藤 花子" in out
    assert open_store(db).get("en-sato").notes == engagement().notes

    code, _, err = cli(capsys, "--db", str(db), "restore", "no-such-backup")
    assert code == 2 and "no backup no-such-backup" in err


def test_restore_repairs_a_damaged_engagement_file_and_keeps_it_aside(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = db / "engagements" / "en-sato.json"
    damaged = path.read_bytes()[:50]
    path.write_bytes(damaged)
    backup = open_store(db).list_backups()[0].name
    code, out, err = cli(capsys, "--db", str(db), "restore", backup)
    assert code == 0, err
    aside = next(p for p in (db / "backups").iterdir() if p.name.startswith("damaged-"))
    assert (aside / "en-sato.json").read_bytes() == damaged
    assert open_store(db).get("en-sato").person.name == "佐藤 花子"


class Crash(BaseException):
    """Stands for the process dying: not an Exception, so nothing on the way catches it."""


def test_the_damaged_files_kept_aside_appear_whole_or_not_at_all(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = db / "engagements" / "en-sato.json"
    damaged = path.read_bytes()[:50]
    path.write_bytes(damaged)
    files = sorted([*(p.name for p in (db / "engagements").iterdir()), "xtalent.json"])
    backup = open_store(db).list_backups()[0].name
    real_copy = shutil.copy2

    def die_at_the_manifest(src, dst, **kwargs):
        if Path(src).name == "xtalent.json":  # the engagement file is already copied
            raise Crash()
        return real_copy(src, dst, **kwargs)

    monkeypatch.setattr(shutil, "copy2", die_at_the_manifest)
    with pytest.raises(Crash):
        open_store(db).restore_backup(backup)
    monkeypatch.undo()
    names = [p.name for p in (db / "backups").iterdir()]
    assert not [n for n in names if n.startswith("damaged-")]  # never half a copy under its name
    assert path.read_bytes() == damaged
    # The next writer sweeps the unfinished copy; the restore then keeps the files aside whole.
    open_store(db).restore_backup(backup)
    (aside,) = [p for p in (db / "backups").iterdir() if p.name.startswith("damaged-")]
    assert sorted(p.name for p in aside.iterdir()) == files
    assert (aside / "en-sato.json").read_bytes() == damaged
    assert not [p for p in (db / "backups").iterdir() if p.name.startswith(".")]


# ----- permissions, read-only folders, full disks ----------------------------------------------


def test_an_unreadable_file_is_named_with_what_to_do(db: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    path = db / "engagements" / "en-sato.json"
    before = tree_bytes(db)
    real = Path.read_bytes

    def denied(self: Path) -> bytes:
        if self == path:
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", denied)
    code, _, err = cli(capsys, "--db", str(db), "list")
    assert code == 2
    assert str(path) in err and "check the file's permissions" in err
    code, _, err = cli(capsys, "--db", str(db), "backup")
    assert code == 2 and str(path) in err
    monkeypatch.undo()
    assert tree_bytes(db) == before


@pytest.mark.skipif(not ENFORCED, reason="root reads any file; the simulated variant above covers this")
def test_an_unreadable_file_for_real(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = db / "engagements" / "en-sato.json"
    path.chmod(0)
    try:
        code, _, err = cli(capsys, "--db", str(db), "list")
        assert code == 2 and str(path) in err and "permissions" in err
    finally:
        path.chmod(0o600)


@pytest.mark.parametrize("err_no", [errno.EACCES, errno.EROFS])
def test_a_read_only_folder_refuses_writes_with_what_to_do(
    db: Path, err_no: int, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    before = tree_bytes(db)

    def read_only(*args, **kwargs):
        raise OSError(err_no, os.strerror(err_no))

    monkeypatch.setattr(tempfile, "mkstemp", read_only)  # what atomic_write_bytes calls
    store = open_store(db)
    with pytest.raises(StoreError) as err:
        store.save(store.get("en-sato").model_copy(update={"notes": "保存できない編集"}))
    assert err.value.key == "store.read_only"
    message = err.value.message("en")
    assert str(db / "backups") in message or str(db / "engagements") in message
    assert "check the folder's permissions" in message
    assert "フォルダの権限を確認" in err.value.message("ja")
    code, _, cli_err = cli(capsys, "--db", str(db), "backup")
    assert code == 2 and "read-only" in cli_err
    monkeypatch.undo()
    assert tree_bytes(db) == before
    assert open_store(db).get("en-sato").notes == engagement().notes


def test_a_lock_file_that_cannot_be_created_is_a_read_only_error(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (db / ".lock").unlink()
    real_open = os.open

    def no_new_files(path, flags, *args):
        if str(path).endswith(".lock") and flags & os.O_CREAT:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, flags, *args)

    store = open_store(db)
    monkeypatch.setattr(os, "open", no_new_files)
    with pytest.raises(StoreError) as err:
        store.save(store.get("en-sato").model_copy(update={"notes": "x"}))
    monkeypatch.undo()
    assert err.value.key == "store.read_only" and str(db / ".lock") in err.value.message("en")


@pytest.mark.skipif(not ENFORCED, reason="root writes anywhere; the simulated variants above cover this")
def test_a_read_only_folder_for_real(db: Path) -> None:
    store = open_store(db)
    current = store.get("en-sato")
    for folder in (db / "engagements", db / "backups", db):
        folder.chmod(0o500)
    try:
        with pytest.raises(StoreError) as err:
            store.save(current.model_copy(update={"notes": "x"}))
        assert err.value.key == "store.read_only"
    finally:
        for folder in (db, db / "engagements", db / "backups"):
            folder.chmod(0o700)


@pytest.mark.parametrize("first_write", [True, False], ids=["at_the_session_backup", "at_the_save"])
def test_a_full_disk_is_named_with_what_to_do_and_changes_nothing(
    db: Path, first_write: bool, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    store = open_store(db)
    if not first_write:
        store.backup_now()  # the session's backup is done; the disk fills at the engagement write
        store.backups.backed_up = True
    before = tree_bytes(db)
    real_fdopen = os.fdopen
    monkeypatch.setattr(atomic.os, "fdopen", lambda fd, mode: FullDiskWriter(real_fdopen(fd, mode), keep=100))
    with pytest.raises(StoreError) as err:
        store.save(store.get("en-sato").model_copy(update={"notes": "満杯のディスク"}))
    monkeypatch.undo()
    assert err.value.key == "store.disk_full"
    message = err.value.message("en")
    assert str(db) in message and "free some space" in message and "Nothing was changed" in message
    assert tree_bytes(db) == before
    assert not list(db.rglob("*.tmp"))


def test_a_full_disk_at_export_is_a_clear_error(db: Path, monkeypatch, capsys, tmp_path: Path) -> None:
    real_fdopen = os.fdopen
    monkeypatch.setattr(atomic.os, "fdopen", lambda fd, mode: FullDiskWriter(real_fdopen(fd, mode), keep=10))
    out = tmp_path / "export.json"
    out.write_text("前回のエクスポート", encoding="utf-8")
    code, _, err = cli(capsys, "--db", str(db), "export", "--format", "json", "--force", "-o", str(out))
    monkeypatch.undo()
    assert code == 2 and str(out) in err and "No space left" in err
    assert out.read_text(encoding="utf-8") == "前回のエクスポート"  # the previous export is intact


def test_temp_files_of_other_folders_are_not_swept(tmp_path: Path) -> None:
    # The sweep of killed writers' temp files is confined to the database's own folders.
    outside = Path(tempfile.mkdtemp(dir=tmp_path))
    stray = outside / ".someone-elses.tmp"
    stray.write_text("x")
    store = open_store(tmp_path / "db")
    store.save(engagement())
    assert stray.exists()
