"""The offline bundle: built here from the package index, installed with the index switched off."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from test_packaging import headless_env
from xtalent import __version__, bundle


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
def test_the_linux_bundle_installs_and_runs_with_no_index(tmp_path: Path) -> None:
    # Building downloads from the package index; everything after runs with it switched off.
    built = subprocess.run(
        [sys.executable, "-m", "xtalent.bundle", "linux-x64", "-o", str(tmp_path / "dist")],
        capture_output=True, text=True, timeout=600,
    )
    assert built.returncode == 0, built.stderr
    (archive,) = (tmp_path / "dist").glob("*.zip")
    with zipfile.ZipFile(archive) as z:
        z.extractall(tmp_path / "unzipped")
    folder = tmp_path / "unzipped" / f"xtalent-{__version__}-linux-x64"

    offline = headless_env(tmp_path, PIP_NO_INDEX="1", PIP_CONFIG_FILE=os.devnull)
    offline.pop("PIP_FIND_LINKS", None)  # this machine's own wheel folder: not on the user's PC
    venv = tmp_path / "venv"
    installed = subprocess.run(["sh", str(folder / "install.sh"), str(venv)], env=offline,
                               capture_output=True, text=True, timeout=600)
    assert installed.returncode == 0, installed.stderr
    xtalent = venv / "bin" / "xtalent"

    shot = {"TEXTUAL_SCREENSHOT": "1", "TEXTUAL_SCREENSHOT_LOCATION": str(tmp_path), "TEXTUAL_SCREENSHOT_FILENAME": "demo.svg"}
    demo = subprocess.run([str(xtalent), "demo"], env={**offline, **shot}, capture_output=True, text=True, timeout=120)
    assert demo.returncode == 0, demo.stderr
    assert "早瀬" in (tmp_path / "demo.svg").read_text("utf-8")

    (shipped,) = venv.glob("lib/python3*/site-packages/xtalent/data/demo.json")
    db = tmp_path / "db"
    imported = subprocess.run([str(xtalent), "--db", str(db), "import", str(shipped)], env=offline,
                              capture_output=True, text=True, timeout=120)
    assert imported.returncode == 0, imported.stderr
    checked = subprocess.run([str(xtalent), "--db", str(db), "--lang", "en", "--today", "2026-11-23", "check"],
                             env=offline, capture_output=True, text=True, timeout=120)
    assert checked.returncode == 1, checked.stderr  # the demo has critical findings, by design
    assert "望月" in checked.stdout and "critical" in checked.stdout
