"""xtalent as a municipal PC gets it: the offline bundle built from this tree, installed by its
own script with the package index switched off (this module holds no tests).

Used by tests/test_bundle.py and tests/test_packaging.py through the session fixture
`offline_install` (conftest.py): one build and one install per run, which both files check.
"""

from __future__ import annotations

import os
import subprocess
import sys
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
        capture_output=True, text=True, timeout=600,
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
