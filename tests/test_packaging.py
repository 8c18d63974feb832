"""xtalent as a user gets it: a wheel built from this tree, installed into a fresh venv.

An editable install finds data/ and screens/ through the source tree; only a real wheel shows
that the demo data and the UI are shipped, under the names the code imports them by.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# What a wheel is built from: the tree less what is not shipped (and less any stale build/
# folder, whose leftovers setuptools would pack).
NOT_SHIPPED = shutil.ignore_patterns(".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".hypothesis", "tests", "bench")


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


def build_wheel(out: Path) -> Path:
    source = out / "src"
    shutil.copytree(ROOT, source, ignore=NOT_SHIPPED)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(out / "dist"), str(source)],
        check=True, capture_output=True, text=True,
    )
    (wheel,) = (out / "dist").glob("xtalent-*.whl")
    return wheel


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bin folder of a fresh venv holding xtalent installed from its wheel."""
    out = tmp_path_factory.mktemp("wheel")
    wheel = build_wheel(out)
    venv = out / "venv"
    # The venv gets no pip of its own (that is most of a venv's creation time); this one installs.
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install", "-q", str(wheel)],
        check=True, capture_output=True, text=True,
    )
    return venv / "bin"


def test_every_package_folder_is_listed_for_the_wheel() -> None:
    # The package list in pyproject.toml is explicit (the UI and the data are mapped to names
    # of their own); a new subpackage missing from it would be left out of the wheel.
    config = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"]
    mapped = {folder: name for name, folder in config["package-dir"].items()}
    found = set()
    for top in ("xtalent", *mapped):
        for init in (ROOT / top).glob("**/__init__.py"):
            _, *rest = init.parent.relative_to(ROOT).parts
            found.add(".".join([mapped.get(top, top), *rest]))
    assert found == set(config["packages"])


@pytest.mark.packaging
def test_the_installed_command_shows_its_help(installed: Path, tmp_path: Path) -> None:
    out = subprocess.run(
        [str(installed / "xtalent"), "--help"], env=headless_env(tmp_path), capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr
    assert "demo" in out.stdout and "xtalent" in out.stdout


@pytest.mark.packaging
def test_the_installed_demo_runs_headless_and_leaves_nothing_behind(installed: Path, tmp_path: Path) -> None:
    env = headless_env(
        tmp_path,
        TEXTUAL_SCREENSHOT="1",
        TEXTUAL_SCREENSHOT_LOCATION=str(tmp_path),
        TEXTUAL_SCREENSHOT_FILENAME="demo.svg",
    )
    out = subprocess.run([str(installed / "xtalent"), "demo"], env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    screen = (tmp_path / "demo.svg").read_text("utf-8")
    assert "早瀬" in screen  # a person of the shipped demo, on the dashboard
    assert not list(tmp_path.glob("xtalent-demo-*"))  # the throw-away copy is gone


@pytest.mark.packaging
def test_the_ui_is_installed_under_its_own_name(installed: Path, tmp_path: Path) -> None:
    code = "import importlib.util as u; print(u.find_spec('screens'), u.find_spec('xtalent_screens') is not None)"
    out = subprocess.run(
        [str(installed / "python"), "-c", code], env=headless_env(tmp_path), capture_output=True, text=True, check=True,
        cwd=tmp_path,
    )
    assert out.stdout.split() == ["None", "True"]
