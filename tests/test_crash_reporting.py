"""Crashes reported, not dumped: a short message on screen, the traceback without local
variables in a private, rotated log file, a non-zero exit when the app must end."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from test_demo_cleanup import _launch, _wait_for_the_dashboard
from xtalent import crashlog
from tui_support import notices

ROOT = Path(__file__).resolve().parent.parent


def _fail_with_a_secret_local() -> None:
    secret = "SEC" + "RET-佐藤花子"  # built, so that no source line shown in a traceback holds it
    raise KeyError(len(secret))


def test_the_log_is_private_has_the_traceback_and_no_locals(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    log = tmp_path / "logs" / "crash.log"
    monkeypatch.setenv("XTALENT_LOG", str(log))
    try:
        _fail_with_a_secret_local()
    except KeyError as error:
        assert crashlog.record(error, "test") == log
    text = log.read_text(encoding="utf-8")
    assert "_fail_with_a_secret_local" in text and "KeyError" in text
    assert "SECRET-佐藤花子" not in text
    assert stat.S_IMODE(os.stat(log).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(log.parent).st_mode) == 0o700


def test_the_log_rotates_and_every_file_stays_private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    log = tmp_path / "rot" / "crash.log"
    monkeypatch.setenv("XTALENT_LOG", str(log))
    monkeypatch.setattr(crashlog, "MAX_BYTES", 2000)
    for _ in range(30):
        try:
            _fail_with_a_secret_local()
        except KeyError as error:
            crashlog.record(error)
    files = sorted(log.parent.iterdir())
    assert [f.name for f in files] == ["crash.log", "crash.log.1", "crash.log.2", "crash.log.3"]
    assert all(f.stat().st_size <= 2000 + 1500 for f in files)
    assert all(stat.S_IMODE(f.stat().st_mode) == 0o600 for f in files)


def test_an_older_log_with_loose_permissions_is_tightened(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    log = tmp_path / "old" / "crash.log"
    log.parent.mkdir()
    log.write_text("old\n")
    log.chmod(0o644)
    monkeypatch.setenv("XTALENT_LOG", str(log))
    crashlog.record(RuntimeError("x"))
    assert stat.S_IMODE(log.stat().st_mode) == 0o600


def test_a_log_that_cannot_be_written_never_raises(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "file").write_text("x")
    monkeypatch.setenv("XTALENT_LOG", str(tmp_path / "file" / "crash.log"))  # a folder that is a file
    assert crashlog.record(RuntimeError("x")) is None


def _env(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "XTALENT_LOG": str(tmp_path / "log" / "crash.log"), "XTALENT_DB": str(tmp_path / "db")}


def test_an_unexpected_error_on_the_command_line_is_one_line_and_the_log(tmp_path: Path) -> None:
    code = textwrap.dedent(
        """
        import sys
        import xtalent.cli.records as records
        def boom(args, ctx):
            secret = "SEC" + "RET-佐藤花子"
            raise KeyError(len(secret))
        records.cmd_list = boom
        from xtalent.cli import main
        sys.exit(main(["--lang", "en", "list"]))
        """
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=_env(tmp_path), capture_output=True, text=True)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "SECRET" not in result.stderr
    assert "unexpected error (KeyError)" in result.stderr and str(tmp_path / "log" / "crash.log") in result.stderr
    assert "boom" in (tmp_path / "log" / "crash.log").read_text(encoding="utf-8")


def test_verbose_says_where_the_log_is(tmp_path: Path) -> None:
    code = "import sys; from xtalent.cli import main; sys.exit(main(['--lang', 'en', '--verbose', 'list']))"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=_env(tmp_path), capture_output=True, text=True)
    assert result.returncode == 0 and f"crash log: {tmp_path / 'log' / 'crash.log'}" in result.stderr


def test_a_crash_in_the_tui_ends_it_with_one_line_exit_1_and_no_locals(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """For real, in a pseudo-terminal: `?` runs an action that fails with personal data in a local."""
    log = tmp_path / "home" / "crash.log"
    monkeypatch.setenv("XTALENT_LOG", str(log))
    boom = textwrap.dedent(
        """
        import xtalent_screens.app
        def boom(self):
            secret = "SEC" + "RET-佐藤花子"
            raise KeyError(len(secret))
        xtalent_screens.app.XtalentApp.action_help = boom
        """
    )
    monkeypatch.setenv("PYTHONSTARTUP", "")
    sitecustomize = tmp_path / "site"
    sitecustomize.mkdir()
    (sitecustomize / "sitecustomize.py").write_text(boom, encoding="utf-8")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(sitecustomize), str(ROOT)]))
    proc, master, output = _launch(tmp_path)
    _wait_for_the_dashboard(tmp_path, output, proc)
    os.write(master, b"?")
    try:
        code = proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    screen = b"".join(output).decode("utf-8", "replace")
    os.close(master)
    assert code == 1
    assert "SECRET" not in screen and "locals" not in screen.lower()
    assert "KeyError" in screen and "crash.log" in screen.replace("\r\n", "").replace("\n", "")
    text = log.read_text(encoding="utf-8")
    assert "in boom" in text and "SECRET" not in text
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
    assert list(tmp_path.glob("xtalent-demo-*")) == []  # and the demo still cleaned up


async def test_an_error_in_background_work_is_a_notification_and_the_app_carries_on(tmp_path: Path, monkeypatch) -> None:
    from tui_support import TODAY, demo_store

    from xtalent_screens.app import XtalentApp

    log = tmp_path / "bg" / "crash.log"
    monkeypatch.setenv("XTALENT_LOG", str(log))
    app = XtalentApp(store=demo_store(tmp_path / "db"), today=TODAY, lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()

        def work() -> None:
            secret = "SEC" + "RET-佐藤花子"
            raise ValueError(len(secret))

        from textual.worker import WorkerState

        worker = app.run_io(work, lambda _: None)
        for _ in range(50):
            await pilot.pause(0.05)
            if worker.state == WorkerState.ERROR:
                break
        await pilot.pause()
        messages = [n.message for n in notices(app)]
        assert any("unexpected error (ValueError)" in m and str(log) in m for m in messages), messages
        assert not any("SECRET" in m for m in messages)
        assert app.is_running and not app.crashed
    assert "in work" in log.read_text(encoding="utf-8")


def _drawn(output: list[bytes], proc, text: str) -> None:
    """Wait until the app has drawn `text` (rather than a fixed sleep: 3 s of the suite's time)."""
    import time

    deadline = time.monotonic() + 60
    while text.encode() not in b"".join(output):
        if proc.poll() is not None or time.monotonic() > deadline:
            pytest.fail(f"{text!r} never drawn: {b''.join(output)[-2000:]!r}")
        time.sleep(0.02)


def test_what_a_form_held_when_the_app_had_to_end_is_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A crash with a form open: the typed text goes to a private file named on screen."""
    import time

    log = tmp_path / "home" / "crash.log"
    monkeypatch.setenv("XTALENT_LOG", str(log))
    boom = textwrap.dedent(
        """
        import xtalent_screens.app
        def boom(self):
            raise KeyError("language")
        xtalent_screens.app.XtalentApp.action_switch_language = boom
        """
    )
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(boom, encoding="utf-8")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(site), str(ROOT)]))
    proc, master, output = _launch(tmp_path)
    try:  # whatever fails, the app is not left running
        _wait_for_the_dashboard(tmp_path, output, proc)
        os.write(master, b"n")  # the onboarding form
        _drawn(output, proc, "(onboarding an external person)")  # its title: mounted, its first field focused
        os.write(master, "佐藤テスト".encode())
        _drawn(output, proc, "佐藤テスト")  # in the name field
        os.write(master, b"\x1bOQ")  # F2 over the form: the patched action fails, uncaught
        code = proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    os.close(master)
    assert code == 1
    [kept] = list(log.parent.glob("unsaved-*.json"))
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert "佐藤テスト" in kept.read_text(encoding="utf-8")
