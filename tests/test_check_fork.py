"""`check --format json` with nothing kept shares the files with a fork (views/rowhelper.Forked,
`entry`): the output, the exit code and the findings kept are byte for byte those of a check in
one process, a damaged file is reported as without the fork, and the child never outlives the
command.  Each forked check is a fresh interpreter (pytest's workers run threads: no fork there);
the demo is smaller than rowhelper.HELPER_MIN, so the scripts lower it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from test_store_support import run_cli
from tui_support import imported_demo
from xtalent.store import Store
from xtalent.views import rowcache, rowhelper

pytestmark = pytest.mark.skipif(not rowhelper.FORKS, reason="no fork on this system")

ROOT = Path(__file__).resolve().parent.parent
TODAY = "2026-11-23"

# sys.argv: DB, "wait" (the parent waits for the fork to deliver all it will before computing:
# it then computes the first engagement alone) or "share", then check's own arguments.
CHECK = r"""
import contextlib, io, json, subprocess, sys
from xtalent.cli import main
from xtalent.views import rowhelper
rowhelper.HELPER_MIN = 2
helpers = []
_start = rowhelper.start
def start(*a, **k):
    helper = _start(*a, **k)
    if helper is not None:
        helpers.append(helper)
        if sys.argv[2] == "wait":
            helper.finish()
    return helper
rowhelper.start = start
# stdout as the real one: check writes its JSON to the bytes beneath (as export does).
out, err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", newline=""), io.StringIO()
with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
    code = main(["--db", sys.argv[1], "--today", "2026-11-23", "--lang", "ja", "check", "--format", "json",
                 *sys.argv[3:]])
after = [subprocess.run(["ps", "-o", "stat=", "-p", str(h.process.pid)], capture_output=True, text=True).stdout.strip()
         for h in helpers]
out.flush()
print(json.dumps({"code": code, "out": out.buffer.getvalue().decode("utf-8"), "err": err.getvalue(), "forks": len(helpers),
                  "forked": [type(h.process).__name__ for h in helpers], "delivered": [len(h.entries) for h in helpers],
                  "after": after}))
"""


def forked_check(db: Path, how: str, *args: str) -> dict:
    out = subprocess.run([sys.executable, "-c", CHECK, str(db), how, *args], capture_output=True, text=True, cwd=ROOT,
                         env={**os.environ, "XTALENT_CONFIG": str(db.parent / "no-config.toml")}, timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def one_process(db: Path, capsys, monkeypatch, *args: str) -> tuple[int, str, str]:
    monkeypatch.setattr(rowhelper, "HELPER_MIN", 10**9)
    return run_cli(capsys, "--db", str(db), "--today", TODAY, "check", "--format", "json", *args)


@pytest.fixture
def twins(tmp_path: Path) -> tuple[Path, Path]:
    """The demo with nothing kept, twice: the same files and stamps."""
    db = imported_demo(tmp_path / "a").root
    shutil.rmtree(db / "cache", ignore_errors=True)
    twin = tmp_path / "b" / "db"
    shutil.copytree(db, twin)
    return db, twin


@pytest.mark.parametrize("how", ["wait", "share"])
@pytest.mark.parametrize("args", [(), ("--fail-on", "info")])
def test_a_forked_check_prints_and_keeps_what_one_process_does(twins, capsys, monkeypatch, how, args) -> None:
    db, twin = twins
    seen = forked_check(db, how, *args)
    assert seen["forked"] == ["Forked"] and seen["after"] == [""]  # forked, ended and reaped
    if how == "wait":  # all but the first came from the fork
        assert seen["delivered"] == [len(Store.open(db).folder.files()) - 1]
    code, out, err = one_process(twin, capsys, monkeypatch, *args)
    assert json.loads(out)  # the demo has findings: the comparison says something
    assert (seen["code"], seen["out"], seen["err"]) == (code, out, err)
    assert rowcache.check_path(db).read_bytes() == rowcache.check_path(twin).read_bytes()


@pytest.mark.parametrize("how", ["wait", "share"])
def test_a_damaged_file_is_reported_as_by_one_process(twins, capsys, monkeypatch, how) -> None:
    db, twin = twins
    for root in twins:
        files = Store.open(root).folder.files()
        for damaged in (files[3], files[-3]):  # the fork meets the later one, the parent the first
            stat = damaged.stat()
            damaged.write_bytes(damaged.read_bytes()[:-40])
            os.utime(damaged, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    seen = forked_check(db, how)
    assert seen["forked"] == ["Forked"] and seen["after"] == [""]
    code, out, err = one_process(twin, capsys, monkeypatch)
    assert code == 2 and files[3].name in err and files[-3].name not in err
    assert (seen["code"], seen["out"], seen["err"].replace(str(db), str(twin))) == (code, out, err)


def test_findings_kept_for_another_day_are_not_read(twins, capsys, monkeypatch) -> None:
    db, _ = twins
    run_cli(capsys, "--db", str(db), "--today", "2026-11-22", "check", "--format", "json")
    kept = rowcache.check_path(db)
    assert kept.exists()
    read_bytes = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes",
                        lambda self: pytest.fail("the kept findings were read") if self == kept else read_bytes(self))
    code, out, _ = run_cli(capsys, "--db", str(db), "--today", TODAY, "check", "--format", "json")
    monkeypatch.undo()
    assert json.loads(out) and kept.read_bytes().startswith(b'{"format"')
    assert json.loads(kept.read_bytes().split(b"\n", 1)[0])["today"] == TODAY  # the key, on the first line
