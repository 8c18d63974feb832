"""xtalent as a user gets it: a wheel built from this tree, installed into a fresh venv.

An editable install finds data/ and screens/ through the source tree; only a real wheel shows
that the demo data and the UI are shipped, under the names the code imports them by.
"""

from __future__ import annotations

import subprocess
import tomllib
from pathlib import Path

import pytest

from install_support import OfflineInstall, demo_screen, headless_env

ROOT = Path(__file__).resolve().parent.parent

# One build and install for this file and test_bundle.py (the offline_install fixture).
pytestmark = pytest.mark.xdist_group("offline-install")


@pytest.fixture
def installed(offline_install: OfflineInstall) -> Path:
    """The bin folder of a fresh venv holding xtalent installed from a wheel of this tree (the
    offline bundle's: the same wheel a user gets, with every dependency, installed with no index)."""
    return offline_install.bin


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
    out, screen = demo_screen(installed / "xtalent", headless_env(tmp_path), tmp_path)
    assert out.returncode == 0, out.stderr
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
