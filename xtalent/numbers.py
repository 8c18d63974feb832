"""How a number is written for people: one way for the TUI, the CLI and every export.

Indicators, contracted days and hours and readiness points are floats in the model. Python's
`:g` turns 1234567 into "1.23457e+06" and str() turns 0.1 + 0.2 into "0.30000000000000004";
neither is what a person typed or can read aloud in a meeting.
"""

from __future__ import annotations

import math
from decimal import Decimal

# Enough for any indicator a municipality counts, few enough to hide binary float noise.
SIGNIFICANT_DIGITS = 10


def number_text(value: float | None, none: str = "") -> str:
    """`value` as typed: whole numbers without ".0", never an exponent, float noise rounded away.

    `none` stands for a missing value (a placeholder differs between a table cell and a document).
    """
    if value is None:
        return none
    if not math.isfinite(value):  # the models refuse these; a view must still not raise on one
        return str(value)
    if float(value).is_integer():
        return str(int(value))
    # Rounded to significant digits, but never into the whole part of a large number.
    digits = max(SIGNIFICANT_DIGITS, len(str(int(abs(value)))))
    text = format(Decimal(f"{value:.{digits}g}"), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text
