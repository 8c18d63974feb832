"""The core and the UI type-check: mypy on xtalent/ and screens/ as configured in
pyproject.toml ([tool.mypy]).

The modules still listed there with ignore_errors are the debt left.
"""

from __future__ import annotations

from pathlib import Path

from mypy import api

ROOT = Path(__file__).resolve().parents[1]


def test_the_core_and_the_ui_type_check() -> None:
    # One run for both: the UI's check reads the core anyway.  The cache is mypy's own default,
    # .mypy_cache/ in the checkout (gitignored; `mypy` run by hand shares it): kept between runs,
    # an unchanged module is not checked again (40 s cold on 2 loaded cores, a few warm). mypy
    # checks each cached module's hash against its source, so a warm run finds what a cold one does.
    cache = ROOT / ".mypy_cache"
    out, err, status = api.run(["--config-file", str(ROOT / "pyproject.toml"), "--cache-dir", str(cache),
                                str(ROOT / "xtalent"), str(ROOT / "screens")])
    assert status == 0, out + err
