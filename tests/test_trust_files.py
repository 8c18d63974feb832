"""Files that are not what they seem: a planted lock symlink, an output path that is a device,
a pipe or a link.  Nothing outside the database is ever truncated or replaced."""

from __future__ import annotations

import os
import re
import stat
import tomllib
from importlib.metadata import version
from pathlib import Path

import pytest

from test_store_support import engagement, open_store, run_cli, tree_bytes
from xtalent.store import StoreError

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def db(tmp_path: Path) -> Path:
    root = tmp_path / "db"
    open_store(root).save(engagement("en-sato"))
    return root


def _floor(requirement: str) -> tuple[int, ...]:
    m = re.search(r">=\s*([\d.]+)", requirement)
    assert m, requirement
    return tuple(int(p) for p in m.group(1).split("."))


def test_the_filelock_floor_is_one_that_refuses_a_planted_symlink() -> None:
    # filelock < 3.20.1 opened the lock path with O_TRUNC, following a symlink planted there
    # (CVE-2025-68146); < 3.20.3 had the same race in SoftFileLock (CVE-2026-22701).
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirement = next(r for r in project["dependencies"] if r.startswith("filelock"))
    assert _floor(requirement) >= (3, 20, 3)
    assert tuple(int(p) for p in version("filelock").split(".")[:3]) >= _floor(requirement)


def test_a_planted_lock_symlink_does_not_truncate_its_target(db: Path, tmp_path: Path, capsys) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("大切なファイル\n", encoding="utf-8")
    (db / ".lock").unlink(missing_ok=True)
    (db / ".lock").symlink_to(victim)
    before = tree_bytes(db)
    code, _, err = run_cli(capsys, "--db", str(db), "backup", lang="en")
    with pytest.raises(StoreError) as err_save:
        open_store(db, lock_timeout=1.0).save(engagement("en-new"))
    assert ".lock" in err_save.value.message("en")
    assert victim.read_text(encoding="utf-8") == "大切なファイル\n"
    assert (db / ".lock").is_symlink()  # left for the owner to look at, not followed
    assert code == 2 and ".lock" in err
    assert tree_bytes(db) == before


# ----- -o: only a regular file is ever replaced -------------------------------------------------


def _export(capsys, db: Path, target: Path, *extra: str) -> tuple[int, str]:
    code, _, err = run_cli(capsys, "--db", str(db), "export", "en-sato", "--format", "md", "-o", str(target), *extra, lang="en")
    return code, err


@pytest.mark.parametrize("force", [False, True])
def test_a_device_is_never_replaced_even_with_force(db: Path, capsys, force: bool) -> None:
    before = os.stat("/dev/null")
    code, err = _export(capsys, db, Path("/dev/null"), *(["--force"] if force else []))
    assert code == 2 and "/dev/null" in err and "not a regular file" in err
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev


def test_a_fifo_is_never_replaced(db: Path, tmp_path: Path, capsys) -> None:
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    code, err = _export(capsys, db, fifo, "--force")
    assert code == 2 and "not a regular file" in err
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_a_symlink_is_never_replaced(db: Path, tmp_path: Path, capsys) -> None:
    for name, target in (("to-device.md", Path("/dev/null")), ("to-file.md", tmp_path / "real.md")):
        link = tmp_path / name
        if target.parent == tmp_path:
            target.write_text("keep", encoding="utf-8")
        link.symlink_to(target)
        code, err = _export(capsys, db, link, "--force")
        assert code == 2 and "not a regular file" in err
        assert link.is_symlink()
    assert (tmp_path / "real.md").read_text(encoding="utf-8") == "keep"


def test_a_regular_file_is_still_replaced_with_force(db: Path, tmp_path: Path, capsys) -> None:
    target = tmp_path / "out.md"
    target.write_text("old", encoding="utf-8")
    assert _export(capsys, db, target)[0] == 2  # exists: needs --force
    assert _export(capsys, db, target, "--force")[0] == 0
    assert target.read_text(encoding="utf-8") != "old"
