"""The layers as import-linter contracts (pyproject.toml, [tool.importlinter]): the core never
imports the UI, the UI's modules import each other in no circle, widgets never import a screen.

Static, so a lazy import inside a function counts too; tests/test_core_boundary.py checks the
same boundary at run time, where an import by name (importlib) shows up as well.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from importlinter.cli import lint_imports

PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"


@pytest.mark.parametrize("contract", ["core-no-ui", "screens-acyclic", "widgets-no-screens"])
def test_the_layer_contract_is_kept(contract: str, capsys: pytest.CaptureFixture[str]) -> None:
    # no_cache: nothing written into the checkout (and nothing shared between parallel workers).
    code = lint_imports(str(PYPROJECT), limit_to_contracts=(contract,), no_cache=True, no_logo=True)
    assert code == 0, capsys.readouterr().out


def test_every_ui_module_is_a_widget_or_a_screen_in_the_contract() -> None:
    # The widgets contract names both sides; a module on neither would go unchecked.
    contracts = tomllib.loads(PYPROJECT.read_text("utf-8"))["tool"]["importlinter"]["contracts"]
    (widgets,) = [c for c in contracts if c["id"] == "widgets-no-screens"]
    screens = PYPROJECT.parent / "screens"
    modules = {
        "xtalent_screens." + ".".join(path.relative_to(screens).with_suffix("").parts)
        for path in screens.rglob("*.py") if path.name != "__init__.py"
    }
    named = set(widgets["source_modules"]) | set(widgets["forbidden_modules"])
    assert not set(widgets["source_modules"]) & set(widgets["forbidden_modules"])
    assert modules == named, {"unlisted": sorted(modules - named), "gone": sorted(named - modules)}
