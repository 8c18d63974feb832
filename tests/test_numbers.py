"""Numbers as people read them, one way in the TUI, the CLI and every export (xtalent/numbers.py)."""

from __future__ import annotations

import pytest

from tui_support import TODAY, engagement
from xtalent.export.checklist import build_engagement
from xtalent.numbers import number_text
from xtalent.views.engagement import contracted_text, indicator_text


@pytest.mark.parametrize(
    "value, text",
    [
        (1234567.0, "1234567"),  # `:g` wrote "1.23457e+06" in the targets tab
        (1234567, "1234567"),
        (1.5, "1.5"),
        (0.1 + 0.2, "0.3"),  # float noise is not what anyone typed
        (1e-7, "0.0000001"),
        (-3.0, "-3"),
        (1e20, "100000000000000000000"),
        (7.75, "7.75"),
        (0.0, "0"),
    ],
)
def test_a_number_is_written_as_typed_and_never_with_an_exponent(value: float, text: str) -> None:
    assert number_text(value) == text


def test_a_missing_number_is_the_placeholder_asked_for() -> None:
    assert number_text(None) == "" and number_text(None, none="?") == "?"


def test_the_targets_tab_the_overview_and_the_checklist_write_a_large_indicator_alike() -> None:
    e = engagement(days_per_month=0.1 + 0.2)
    e.targets[0].indicator.baseline = 1234567.0  # type: ignore[union-attr]
    e.targets[0].indicator.current = 0.1 + 0.2  # type: ignore[union-attr]
    tab = indicator_text(e.targets[0])
    assert "1234567→0.3→60%" in tab and "e+" not in tab
    assert "0.3" in contracted_text(e, "ja") and "0000" not in contracted_text(e, "ja")
    exported = build_engagement(e, TODAY, "ja")
    (line,) = [target for target in exported.targets if target.title == "書かない窓口"]
    assert "1234567%" in line.indicator and "0.3%" in line.indicator
