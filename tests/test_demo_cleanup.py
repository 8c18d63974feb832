"""`xtalent demo` removes its temporary copy however it ends: q, SIGINT (ctrl+c outside the
TUI's raw mode), SIGTERM and SIGHUP (the terminal closed).  Run for real, in a pseudo-terminal."""

from __future__ import annotations

import fcntl
import os
import pty
import signal
import struct
import subprocess
import sys
import termios
import threading
import time
from pathlib import Path

import pytest

from xtalent.cli.tui import SignalsEndTheApp

ROOT = Path(__file__).resolve().parent.parent


def _launch(tmp_path: Path) -> tuple[subprocess.Popen[bytes], int, list[bytes]]:
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 110, 0, 0))
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    env = {
        **os.environ,
        "TMPDIR": str(tmp_path),  # where mkdtemp puts the copy: the test can see it
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "XDG_STATE_HOME": str(home / "state"),
        "TERM": "xterm-256color",
    }
    code = "import sys; from xtalent.cli import main; sys.exit(main(['--lang', 'en', 'demo']))"
    proc = subprocess.Popen([sys.executable, "-c", code], stdin=slave, stdout=slave, stderr=slave, cwd=ROOT, env=env, close_fds=True)
    os.close(slave)
    output: list[bytes] = []

    def drain() -> None:  # the app blocks once the terminal's buffer is full
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                return
            if not chunk:
                return
            output.append(chunk)

    threading.Thread(target=drain, daemon=True).start()
    return proc, master, output


def _copies(tmp_path: Path) -> list[Path]:
    return sorted(tmp_path.glob("xtalent-demo-*"))


def _wait_for_the_dashboard(tmp_path: Path, output: list[bytes], proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"the demo ended early: {b''.join(output)[-2000:]!r}")
        # A name from the demo data on screen: the rows are drawn, the copy certainly exists.
        if _copies(tmp_path) and "望月".encode() in b"".join(output):
            time.sleep(0.5)
            return
        time.sleep(0.1)
    proc.kill()  # a demo that never showed its rows must not outlive the failed test
    proc.wait()
    pytest.fail(f"no dashboard: {b''.join(output)[-2000:]!r}")


def _end(proc: subprocess.Popen[bytes], master: int) -> int:
    try:
        return proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(master)


@pytest.mark.parametrize("how", ["q", "SIGINT", "SIGTERM", "SIGHUP"])
def test_the_demo_copy_is_removed_however_the_demo_ends(tmp_path: Path, how: str) -> None:
    proc, master, output = _launch(tmp_path)
    _wait_for_the_dashboard(tmp_path, output, proc)
    assert len(_copies(tmp_path)) == 1
    if how == "q":
        os.write(master, b"q")
        expected = 0
    else:
        sig = getattr(signal, how)
        proc.send_signal(sig)
        expected = 128 + sig
    assert _end(proc, master) == expected
    assert _copies(tmp_path) == []


def test_a_signal_outside_the_app_raises_system_exit_so_finally_blocks_run() -> None:
    # Before the TUI is up (the copy being made) there is no app to ask: the `finally` must run.
    with SignalsEndTheApp():
        with pytest.raises(SystemExit) as exit_info:
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(1)  # the handler runs at the next bytecode
    assert exit_info.value.code == 128 + signal.SIGTERM
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL  # the previous handler is back
