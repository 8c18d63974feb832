"""xtalent as a municipal PC gets it: the offline bundle built from this tree, installed by its
own script with the package index switched off (this module holds no tests).

Used by tests/test_bundle.py and tests/test_packaging.py through the session fixture
`offline_install` (conftest.py): one build and one install per run, which both files check.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
import traceback
import zipfile
from dataclasses import dataclass
from pathlib import Path

from xtalent import __version__


def headless_env(home: Path, **extra: str) -> dict[str, str]:
    """An environment for running the installed command without a terminal or a user's files."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XTALENT_", "TEXTUAL_", "PYTHON"))}
    env.update(
        HOME=str(home),
        TMPDIR=str(home),
        XDG_DATA_HOME=str(home / "data"),
        XDG_CONFIG_HOME=str(home / "config"),
        TEXTUAL_DRIVER="textual.drivers.headless_driver:HeadlessDriver",
        **extra,
    )
    return env


def build_env(out: Path) -> dict[str, str]:
    """The bundle command's environment: the machine's (its package index), none of a user's
    xtalent settings, log or language (the same whether a test or the run's start starts it)."""
    skip = ("XTALENT_LANG", "LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE", "COLUMNS", "LINES")
    env = {k: v for k, v in os.environ.items() if not k.startswith("XTALENT_") and k not in skip}
    scratch = out / "scratch"
    env.update(XTALENT_DB=str(scratch / "db"), XTALENT_CONFIG=str(scratch / "settings.toml"),
               XTALENT_CACHE=str(scratch / "cache"), XTALENT_LOG=str(scratch / "log" / "crash.log"))
    return env


def offline_env(home: Path) -> dict[str, str]:
    env = headless_env(home, PIP_NO_INDEX="1", PIP_CONFIG_FILE=os.devnull)
    env.pop("PIP_FIND_LINKS", None)  # this machine's own wheel folder: not on the user's PC
    return env


@dataclass(frozen=True)
class OfflineInstall:
    folder: Path  # the unzipped bundle
    venv: Path  # where its install.sh put xtalent
    home: Path  # a scratch home for running it

    @property
    def bin(self) -> Path:
        return self.venv / "bin"


def build_and_install(out: Path) -> OfflineInstall:
    """Build the Linux bundle (wheel from this tree, dependencies from the index), unzip it and
    run its install.sh offline into a fresh venv."""
    # Building downloads from the package index; everything after runs with it switched off.
    built = subprocess.run(
        [sys.executable, "-m", "xtalent.bundle", "linux-x64", "-o", str(out / "dist")],
        env=build_env(out), capture_output=True, text=True, timeout=600,
    )
    assert built.returncode == 0, built.stderr
    (archive,) = (out / "dist").glob("*.zip")
    with zipfile.ZipFile(archive) as z:
        z.extractall(out / "unzipped")
    folder = out / "unzipped" / f"xtalent-{__version__}-linux-x64"
    home = out / "home"
    home.mkdir()
    venv = out / "venv"
    installed = subprocess.run(["sh", str(folder / "install.sh"), str(venv)], env=offline_env(home),
                               capture_output=True, text=True, timeout=600)
    assert installed.returncode == 0, installed.stderr
    return OfflineInstall(folder, venv, home)


def demo_screen(xtalent: Path, env: dict[str, str], folder: Path) -> tuple[subprocess.CompletedProcess[str], str]:
    """`xtalent demo` run headless, and the screen Textual saved of it.

    Textual takes its screenshot a fixed delay after the start (TEXTUAL_SCREENSHOT); on a loaded
    machine the dashboard may still be reading the demo by then, so a screen that does not show
    the demo yet is taken again with a longer delay. The last try's result is returned."""
    for delay in ("1", "6", "30"):
        shot = {"TEXTUAL_SCREENSHOT": delay, "TEXTUAL_SCREENSHOT_LOCATION": str(folder),
                "TEXTUAL_SCREENSHOT_FILENAME": "demo.svg"}
        done = subprocess.run([str(xtalent), "demo"], env={**env, **shot}, capture_output=True, text=True, timeout=180)
        saved = folder / "demo.svg"
        screen = saved.read_text("utf-8") if saved.exists() else ""
        if done.returncode != 0 or "早瀬" in screen:
            break
    return done, screen


# ----- built while the rest of the run goes on -------------------------------------------------
# The build waits on the package index (~1-2 min of wall time, a fraction of it CPU); started as
# a process of its own when the run starts (conftest.py), that wait overlaps the other tests
# instead of holding one of the two workers. The offline_install fixture then waits for RESULT.

RESULT = "result.json"


def start_in_background(out: Path) -> subprocess.Popen[bytes]:
    """Run build_and_install(out) in a process of its own; it writes out/RESULT when done."""
    out.mkdir(parents=True, exist_ok=True)
    log = open(out / "background.log", "wb")  # noqa: SIM115 - the child owns it
    return subprocess.Popen([sys.executable, str(Path(__file__).resolve()), str(out)], stdout=log,
                            stderr=subprocess.STDOUT, start_new_session=True)


def background_result(out: Path, timeout: float = 1500) -> OfflineInstall:
    """What the background build left in out: the install, or the build's assertion raised here."""
    deadline = time.monotonic() + timeout
    result = out / RESULT
    while not result.exists():
        assert time.monotonic() < deadline, f"the background bundle build did not finish in {timeout:.0f} s"
        time.sleep(0.2)
    done = json.loads(result.read_text("utf-8"))
    assert done["error"] is None, done["error"]
    return OfflineInstall(Path(done["folder"]), Path(done["venv"]), Path(done["home"]))


def _end_with_the_run(parent: int) -> None:
    """A run killed outright (SIGTERM, SIGKILL) cannot stop its build: the build stops itself,
    and the pip processes of its session with it, once the run is gone."""
    while os.getppid() == parent:
        time.sleep(1)
    os.killpg(0, signal.SIGTERM)


def _main(out: Path) -> None:
    threading.Thread(target=_end_with_the_run, args=(os.getppid(),), daemon=True).start()
    try:
        built = build_and_install(out)
        done = {"error": None, "folder": str(built.folder), "venv": str(built.venv), "home": str(built.home)}
    except AssertionError as exc:  # what the build's assertions said, raised again in the test
        done = {"error": str(exc) or repr(exc)}
    except Exception:  # anything else: the traceback, for the test's failure message
        done = {"error": traceback.format_exc()}
    partial = out / (RESULT + ".part")
    partial.write_text(json.dumps(done), "utf-8")
    partial.replace(out / RESULT)  # the waiting fixture never reads half a file


if __name__ == "__main__":
    _main(Path(sys.argv[1]))
