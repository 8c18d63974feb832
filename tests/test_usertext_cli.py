"""Hostile text through every CLI command: nothing from the data reaches the terminal raw.

A name holding a window-title escape, a clipboard write, a C1 control or a bidi override is
printed with visible placeholders by list, check, export (to a terminal), the "ambiguous name"
error and restore; JSON output stays the same JSON (escaped); files get the text as typed.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from hostile import engagement, leaks
from test_store_support import TODAY, run_cli

ALL_FORMATS = ("md", "csv", "html", "json", "ics")


@pytest.fixture
def db(tmp_path: Path, capsys: Any) -> Path:
    document = {"format": "xtalent", "schema_version": 1,
                "engagements": [engagement("en-hostile-a", 0).model_dump(mode="json"),
                                engagement("en-hostile-b", 5, long=True).model_dump(mode="json")]}
    source = tmp_path / "hostile.json"
    source.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    code, out, err = run_cli(capsys, "--db", str(tmp_path / "db"), "import", str(source))
    assert code == 0, err
    return tmp_path / "db"


class Tty:
    """Standard output as a terminal, capturing the bytes written."""

    def __init__(self) -> None:
        import io

        self.buffer = io.BytesIO()

    def isatty(self) -> bool:
        return True

    def write(self, text: str) -> int:
        self.buffer.write(text.encode("utf-8"))
        return len(text)

    def flush(self) -> None:
        pass


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("argv", [["list"], ["list", "--format", "json"], ["check"], ["check", "--format", "json"],
                                  ["check", "en-hostile-a"], ["backup"], ["restore"]])
def test_commands_print_no_escape_from_data(db: Path, capsys: Any, argv: list[str], lang: str) -> None:
    code, out, err = run_cli(capsys, "--db", str(db), *argv, lang=lang)
    assert code in (0, 1), err
    assert leaks(out + err) == []
    assert "␛" in out or argv[0] in ("backup", "restore") or "json" in argv  # the data is shown, not dropped


def test_json_output_is_the_same_data(db: Path, capsys: Any) -> None:
    code, out, _ = run_cli(capsys, "--db", str(db), "list", "--format", "json")
    names = {row["id"]: row["person"] for row in json.loads(out)}
    assert names["en-hostile-a"] == engagement("en-hostile-a", 0).person.name  # exactly as typed


def test_the_ambiguous_name_error_is_safe(db: Path, capsys: Any) -> None:
    code, out, err = run_cli(capsys, "--db", str(db), "check", "名")
    assert code == 2
    assert leaks(err) == []
    assert "␛" in err  # the candidates are named, their escapes made visible


@pytest.mark.parametrize("fmt", ALL_FORMATS)
def test_an_export_to_a_terminal_is_safe_and_to_a_file_as_typed(db: Path, capsys: Any, monkeypatch: Any,
                                                                  tmp_path: Path, fmt: str) -> None:
    tty = Tty()
    monkeypatch.setattr(sys, "stdout", tty)
    from xtalent.cli import main

    assert main(["--db", str(db), "export", "en-hostile-a", "--format", fmt], today=TODAY) == 0
    shown = tty.buffer.getvalue().decode("utf-8")
    assert leaks(shown) == []
    monkeypatch.undo()
    target = tmp_path / f"out.{fmt}"
    code, _, err = run_cli(capsys, "--db", str(db), "export", "en-hostile-a", "--format", fmt, "-o", str(target))
    assert code == 0, err
    assert leaks(err) == []
    if fmt == "json":
        document = json.loads(target.read_text(encoding="utf-8"))
        assert document["engagements"][0]["person"]["name"] == engagement("en-hostile-a", 0).person.name


def test_xlsx_export_keeps_the_text(db: Path, capsys: Any, tmp_path: Path) -> None:
    target = tmp_path / "out.xlsx"
    code, _, err = run_cli(capsys, "--db", str(db), "export", "en-hostile-a", "--format", "xlsx", "-o", str(target))
    assert code == 0, err
    assert leaks(err) == []
    from openpyxl import load_workbook

    cells = [str(c.value) for ws in load_workbook(target) for row in ws.iter_rows() for c in row if c.value]
    assert any("[@click=app.quit]中村[/]" in c for c in cells)  # markup-looking text stays text


def test_the_tui_in_a_real_terminal_writes_no_escape_from_data(db: Path) -> None:
    """The real `xtalent` in a pseudo-terminal, on hostile data: every byte it writes is read
    until the dashboard shows the rows; the planted sequences never appear, their pictures do."""
    import fcntl
    import os
    import select
    import signal
    import struct
    import subprocess
    import termios
    import time

    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 140, 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "TMUX")}
    env.update(TERM="xterm-256color", XTALENT_LANG="ja")
    argv = [sys.executable, "-c", "from xtalent.cli import main; raise SystemExit(main())",
            "--db", str(db), "--today", "2026-11-23"]
    proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True)
    os.close(slave)
    seen = b""
    try:
        start = time.monotonic()
        while time.monotonic() - start < 30 and "␛".encode() not in seen:
            if select.select([master], [], [], 0.1)[0]:
                try:
                    seen += os.read(master, 1 << 16)
                except OSError:
                    break
        time.sleep(0.5)
        while select.select([master], [], [], 0.2)[0]:
            try:
                seen += os.read(master, 1 << 16)
            except OSError:
                break
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        os.close(master)
    text = seen.decode("utf-8", errors="replace")
    assert "␛" in text, text[-500:]  # the rows were drawn, with the escape as its picture
    assert leaks(text) == []
