"""Offline bundles: one zip per platform with every wheel xtalent needs and an install script.

Municipal PCs on the LGWAN side have Python but no internet, so `pip install` cannot reach an
index there.  Run from a clone, on a machine that can:

    python -m xtalent.bundle                      # every platform, into dist/
    python -m xtalent.bundle linux-x64 -o DIR     # one platform

Each zip holds `wheels/` (xtalent's own wheel and, for each supported Python, the binary wheels
of every dependency: pydantic-core is the only one built per Python and platform) and an install
script that makes a venv and installs with `--no-index --find-links wheels`.  The scripts'
messages come from the catalog, in Japanese and English (a fresh install has no language yet).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from . import __version__
from .i18n import set_language, t

PYTHONS = ("3.11", "3.12", "3.13")
SOURCE = Path(__file__).resolve().parent.parent  # a clone: pyproject.toml beside xtalent/


@dataclass(frozen=True)
class Platform:
    name: str
    tags: tuple[str, ...]  # pip's --platform values, any of which a wheel may carry
    script: str


PLATFORMS = {
    p.name: p
    for p in (
        # manylinux2014 (glibc 2.17) and newer tags up to 2.28 (RHEL 8, Debian 10, Ubuntu 20.04).
        Platform("linux-x64", ("manylinux_2_28_x86_64", "manylinux_2_17_x86_64", "manylinux2014_x86_64",
                               "manylinux_2_5_x86_64", "manylinux1_x86_64"), "install.sh"),
        Platform("windows-x64", ("win_amd64",), "install.bat"),
    )
}


class BundleError(Exception):
    pass


def _pip(*args: str) -> None:
    done = subprocess.run([sys.executable, "-m", "pip", *args], capture_output=True, text=True)
    if done.returncode != 0:
        raise BundleError(done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "pip failed")


def build_wheel(out: Path) -> Path:
    if not (SOURCE / "pyproject.toml").is_file():
        raise BundleError(t("bundle.no_source", path=str(SOURCE)))
    with tempfile.TemporaryDirectory() as scratch:
        # setuptools builds in place and packs what a previous build left in build/; a copy of
        # the tree without it keeps a removed module out of the wheel.
        import shutil

        source = Path(scratch) / "src"
        shutil.copytree(SOURCE, source, ignore=shutil.ignore_patterns(
            ".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".hypothesis", "tests", "bench"))
        _pip("wheel", "-q", "--no-deps", "-w", str(out), str(source))
    (wheel,) = out.glob(f"xtalent-{__version__}-*.whl")
    return wheel


def download(wheel: Path, platform: Platform, python: str, out: Path) -> None:
    platforms = [arg for tag in platform.tags for arg in ("--platform", tag)]
    _pip("download", "-q", "--only-binary=:all:", "--python-version", python, "--implementation", "cp",
         *platforms, "-d", str(out), str(wheel))


def _both(key: str, **params: object) -> str:
    return f"{t(key, 'ja', **params)} / {t(key, 'en', **params)}"


def install_sh() -> str:
    return f"""#!/bin/sh
# {_both("bundle.script_title")}
# sh install.sh [VENV]    (PYTHON=python3.12 sh install.sh: another Python)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
venv=${{1:-$HOME/.local/share/xtalent/venv}}
python=${{PYTHON:-python3}}
"$python" -m venv "$venv"
# No index: everything comes from the wheels beside this script.
PIP_NO_INDEX=1 "$venv/bin/python" -m pip install --disable-pip-version-check --no-index --find-links "$here/wheels" xtalent
echo "{_both("bundle.script_done", command="$venv/bin/xtalent")}"
"""


def install_bat() -> str:
    # cmd reads a batch file in the console's code page: 65001 (UTF-8) for the Japanese lines.
    done = _both("bundle.script_done", command="%VENV%\\Scripts\\xtalent.exe")
    return f"""@echo off
chcp 65001 >nul
rem {_both("bundle.script_title")}
rem install.bat [VENV]    (set PYTHON=py -3.12 before: another Python)
setlocal
set "HERE=%~dp0"
set "VENV=%~1"
if "%VENV%"=="" set "VENV=%LOCALAPPDATA%\\xtalent\\venv"
if "%PYTHON%"=="" set "PYTHON=py -3"
%PYTHON% -m venv "%VENV%" || exit /b 1
set PIP_NO_INDEX=1
"%VENV%\\Scripts\\python.exe" -m pip install --disable-pip-version-check --no-index --find-links "%HERE%wheels" xtalent || exit /b 1
echo {done}
""".replace("\n", "\r\n")


def readme() -> str:
    return "\n\n".join(t("bundle.readme", lang, version=__version__, pythons=", ".join(PYTHONS)) for lang in ("ja", "en")) + "\n"


def make_bundle(platform: Platform, wheel: Path, out: Path, pythons: Sequence[str] = PYTHONS) -> Path:
    name = f"xtalent-{__version__}-{platform.name}"
    with tempfile.TemporaryDirectory() as scratch:
        wheels = Path(scratch) / "wheels"
        wheels.mkdir()
        (wheels / wheel.name).write_bytes(wheel.read_bytes())
        for python in pythons:
            download(wheel, platform, python, wheels)
        script = install_sh() if platform.script == "install.sh" else install_bat()
        target = out / f"{name}.zip"
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(wheels.iterdir()):
                archive.write(path, f"{name}/wheels/{path.name}")
            info = zipfile.ZipInfo(f"{name}/{platform.script}", date_time=time.localtime()[:6])
            info.external_attr = 0o755 << 16  # executable once unzipped
            archive.writestr(info, script, zipfile.ZIP_DEFLATED)
            info = zipfile.ZipInfo(f"{name}/README.txt", date_time=time.localtime()[:6])
            info.external_attr = 0o644 << 16
            archive.writestr(info, readme(), zipfile.ZIP_DEFLATED)
    return target


def main(argv: Sequence[str] | None = None) -> int:
    from .i18n import language_from_env

    set_language(language_from_env())
    parser = argparse.ArgumentParser(prog="python -m xtalent.bundle", description=t("bundle.description"))
    parser.add_argument("platforms", nargs="*", metavar="PLATFORM",
                        help=t("bundle.opt_platform", names=", ".join(PLATFORMS)))
    parser.add_argument("-o", "--out", default="dist", metavar="DIR", help=t("bundle.opt_out"))
    parser.add_argument("--python", action="append", metavar="X.Y", help=t("bundle.opt_python", pythons=", ".join(PYTHONS)))
    args = parser.parse_args(argv)
    unknown = [name for name in args.platforms if name not in PLATFORMS]
    if unknown:
        parser.error(t("bundle.unknown_platform", name=unknown[0], names=", ".join(PLATFORMS)))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    try:
        with tempfile.TemporaryDirectory() as scratch:
            wheel = build_wheel(Path(scratch))
            for name in args.platforms or PLATFORMS:
                target = make_bundle(PLATFORMS[name], wheel, out, args.python or PYTHONS)
                print(t("bundle.written", path=str(target), size=f"{target.stat().st_size / 1e6:.1f}"))
    except BundleError as exc:
        print(f"xtalent: {t('bundle.failed', detail=str(exc))}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
