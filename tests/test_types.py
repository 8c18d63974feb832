"""The core type-checks: mypy on xtalent/ as configured in pyproject.toml ([tool.mypy]).

The modules still listed there with ignore_errors are the debt left; the UI (screens/) is not
checked yet.
"""

from __future__ import annotations

from pathlib import Path

from mypy import api

ROOT = Path(__file__).resolve().parents[1]


def test_the_core_type_checks(tmp_path_factory) -> None:
    # A cache of its own under the run's temporary folder: nothing written into the checkout.
    cache = tmp_path_factory.getbasetemp() / "mypy-cache"
    out, err, status = api.run(["--config-file", str(ROOT / "pyproject.toml"), "--cache-dir", str(cache),
                                str(ROOT / "xtalent")])
    assert status == 0, out + err
