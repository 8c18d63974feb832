"""What the command line prints fits the width it is given: `list` at 80 columns, `check` piped
at a sensible width, and the one kinsoku wrap keeps English words apart across a break."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_store_support import run_cli

from xtalent.interchange import load_document
from xtalent.paths import demo_file
from xtalent.store import Store
from xtalent.textwidth import cell_width
from xtalent.views.text import wrap


@pytest.fixture()
def demo_db(tmp_path: Path) -> str:
    Store.open(tmp_path / "db").import_document(load_document(demo_file()))
    return str(tmp_path / "db")


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("columns", [80, 100])
def test_list_fits_the_terminal_and_keeps_ids_whole(demo_db: str, lang: str, columns: int, capsys, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", str(columns))
    code, out, _ = run_cli(capsys, "--db", demo_db, "list", lang=lang)
    assert code == 0
    lines = out.splitlines()
    assert max(cell_width(line) for line in lines) <= columns
    assert "en-2025-sanyo-mochizuki" in out and "en-2026-cdoh-ishiguro" in out


def test_list_on_a_wide_terminal_is_whole(demo_db: str, capsys, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    _, out, _ = run_cli(capsys, "--db", demo_db, "list")
    assert "…" not in out and "みどり野市 総務課" in out and "(令和8年度)" in out


def test_check_piped_without_columns_uses_a_sensible_width(demo_db: str, capsys, monkeypatch) -> None:
    monkeypatch.delenv("COLUMNS", raising=False)  # pytest's capture is not a terminal, as a pipe
    _, out, _ = run_cli(capsys, "--db", demo_db, "check", lang="en")
    widest = max(cell_width(line) for line in out.splitlines())
    assert 80 <= widest <= 100


def test_english_breaks_between_words_never_inside_or_without_a_space() -> None:
    text = "No receiving staff are recorded; the term ends in 128 days (2027-03-31)."
    for width in range(14, len(text)):  # 14: the widest word fits
        lines = wrap(text, width)
        assert all(cell_width(line) <= width for line in lines)
        assert " ".join(lines).split() == text.split()  # no word cut, none run into the next


def test_japanese_breaks_between_characters_with_kinsoku() -> None:
    text = "任期終了まであと38日（2026-12-31）。受け手を決めてください。"
    for width in range(16, 40):  # 16: "（2026-12-31）。" fits a line
        lines = wrap(text, width)
        assert "".join(lines) == text
        assert all(cell_width(line) <= width for line in lines)
        assert not any(line[0] in "。、）" for line in lines)
        assert any("2026-12-31" in line for line in lines)  # a date is never split


def _check_through_a_pipe(demo_db: str, stdin: int | None, stderr: int | None) -> list[str]:
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    done = subprocess.run([sys.executable, "-m", "xtalent", "--db", demo_db, "--lang", "en", "--today", "2026-11-23",
                           "check"], stdout=subprocess.PIPE, stdin=stdin, stderr=stderr, env=env, check=False)
    return done.stdout.decode("utf-8").splitlines()


def test_check_piped_fits_the_terminal_it_was_typed_in(demo_db: str) -> None:
    """`check | less` on a 90-column terminal: stdout is a pipe, but stdin and stderr are the
    terminal; its width is used, not a fixed 100 the terminal would fold again."""
    import os
    import pty
    import struct
    import termios
    import fcntl

    leader, follower = pty.openpty()
    try:
        fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 90, 0, 0))
        lines = _check_through_a_pipe(demo_db, stdin=follower, stderr=follower)
    finally:
        os.close(follower)
        os.close(leader)
    assert 80 < max(cell_width(line) for line in lines) <= 90


def test_check_with_no_terminal_at_all_uses_100_columns(demo_db: str) -> None:
    import subprocess

    lines = _check_through_a_pipe(demo_db, stdin=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    assert 90 < max(cell_width(line) for line in lines) <= 100
