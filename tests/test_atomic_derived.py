"""atomic.replace_derived: a cache's write, whole or not at all, without waiting for the disk;
what a user entered still waits for it (atomic_write_bytes)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from xtalent import atomic


@pytest.fixture
def fsyncs(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    made: list[int] = []
    real = os.fsync

    def counted(fd: int) -> None:
        made.append(fd)
        real(fd)

    monkeypatch.setattr(os, "fsync", counted)
    return made


def test_a_cache_is_replaced_whole_without_an_fsync(tmp_path: Path, fsyncs: list[int]) -> None:
    target = tmp_path / "cache.json"
    target.write_bytes(b"old")
    atomic.replace_derived(target, b"new " * 1000)
    assert target.read_bytes() == b"new " * 1000
    assert fsyncs == []
    assert [p.name for p in tmp_path.iterdir()] == ["cache.json"]  # no temp file left


def test_user_data_still_waits_for_the_disk(tmp_path: Path, fsyncs: list[int]) -> None:
    atomic.atomic_write_bytes(tmp_path / "engagement.json", b"{}")
    assert len(fsyncs) == 2  # the file, then the folder that names it


def test_a_cache_takes_its_folder_s_mode(tmp_path: Path) -> None:
    atomic.replace_derived(tmp_path / "private.json", b"{}")
    assert stat.S_IMODE((tmp_path / "private.json").stat().st_mode) == atomic.file_mode_in(tmp_path)
    atomic.replace_derived(tmp_path / "given.json", b"{}", mode=0o640)
    assert stat.S_IMODE((tmp_path / "given.json").stat().st_mode) == 0o640


def test_a_failed_write_leaves_the_old_cache_and_names_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "cache.json"
    target.write_bytes(b"old")

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.os, "replace", full)
    with pytest.raises(OSError) as failed:
        atomic.replace_derived(target, b"new")
    assert failed.value.filename == str(target)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["cache.json"]
