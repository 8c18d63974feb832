"""The offline bundle: built here from the package index, installed with the index switched off."""

from __future__ import annotations

import subprocess
import zipfile
from pathlib import Path

import pytest

from install_support import OfflineInstall, demo_screen, offline_env
from xtalent import __version__, bundle

# One build and install for this file and test_packaging.py (the offline_install fixture).
pytestmark = pytest.mark.xdist_group("offline-install")


def test_the_install_scripts_use_no_index_and_the_bundled_wheels() -> None:
    sh, bat = bundle.install_sh(), bundle.install_bat()
    for script in (sh, bat):
        assert "--no-index --find-links" in script and "PIP_NO_INDEX=1" in script
        assert "インストールしました" in script and "installed; run" in script
    assert bat.count("\r\n") == bat.count("\n")  # cmd wants CRLF
    assert "chcp 65001" in bat  # UTF-8, for the Japanese lines
    assert "BIZ UD" in bundle.readme() and "Windows Terminal" in bundle.readme()


def test_a_bundle_holds_the_wheels_for_each_python_and_the_script(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    asked = []

    def download(wheel: Path, platform: bundle.Platform, python: str, out: Path) -> None:
        asked.append((platform.name, python, platform.tags))
        (out / f"dep-1.0-cp{python.replace('.', '')}-none-any.whl").write_bytes(b"w")

    monkeypatch.setattr(bundle, "download", download)
    wheel = tmp_path / f"xtalent-{__version__}-py3-none-any.whl"
    wheel.write_bytes(b"x")
    target = bundle.make_bundle(bundle.PLATFORMS["windows-x64"], wheel, tmp_path)
    assert [(name, python) for name, python, _ in asked] == [("windows-x64", p) for p in ("3.11", "3.12", "3.13")]
    assert asked[0][2] == ("win_amd64",)
    names = zipfile.ZipFile(target).namelist()
    top = f"xtalent-{__version__}-windows-x64"
    assert f"{top}/install.bat" in names and f"{top}/README.txt" in names
    assert f"{top}/wheels/{wheel.name}" in names and f"{top}/wheels/dep-1.0-cp313-none-any.whl" in names


@pytest.mark.bundle
def test_the_linux_bundle_installs_and_runs_with_no_index(offline_install: OfflineInstall, tmp_path: Path) -> None:
    # The build and the offline install themselves are asserted by the fixture (install_support).
    offline = offline_env(tmp_path)
    venv = offline_install.venv
    xtalent = venv / "bin" / "xtalent"

    demo, screen = demo_screen(xtalent, offline, tmp_path)
    assert demo.returncode == 0, demo.stderr
    assert "早瀬" in screen

    (shipped,) = venv.glob("lib/python3*/site-packages/xtalent/data/demo.json")
    db = tmp_path / "db"
    imported = subprocess.run([str(xtalent), "--db", str(db), "import", str(shipped)], env=offline,
                              capture_output=True, text=True, timeout=120)
    assert imported.returncode == 0, imported.stderr
    checked = subprocess.run([str(xtalent), "--db", str(db), "--lang", "en", "--today", "2026-11-23", "check"],
                             env=offline, capture_output=True, text=True, timeout=120)
    assert checked.returncode == 1, checked.stderr  # the demo has critical findings, by design
    assert "望月" in checked.stdout and "critical" in checked.stdout
