"""The core and the UI type-check: mypy on xtalent/ and screens/ as configured in
pyproject.toml ([tool.mypy]).

The modules still listed there with ignore_errors are the debt left.
"""

from __future__ import annotations

from pathlib import Path

from mypy import api

ROOT = Path(__file__).resolve().parents[1]


def test_the_core_and_the_ui_type_check(tmp_path_factory) -> None:
    # A cache of its own under the run's temporary folder: nothing written into the checkout.
    # One run for both: the UI's check reads the core anyway.
    cache = tmp_path_factory.getbasetemp() / "mypy-cache"
    out, err, status = api.run(["--config-file", str(ROOT / "pyproject.toml"), "--cache-dir", str(cache),
                                str(ROOT / "xtalent"), str(ROOT / "screens")])
    assert status == 0, out + err
