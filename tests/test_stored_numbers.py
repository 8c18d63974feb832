"""Numbers and yes/no values in a stored file are taken by pydantic-core alone when they are a JSON
number or true/false (models._Exact, strict from JSON); anything else sends the file the careful
way, which reads it exactly as before (the same engagement, or the same error)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.pitfalls_factory import healthy
from tests.stored_support import careful, parsed
from xtalent import codec


# (table, field path inside the table's first row) of each number or yes/no a record holds.
FIELDS = [
    ("log", ("minutes",)),
    ("log", ("in_scope",)),
    ("log", ("online",)),
    ("targets", ("fiscal_year",)),
    ("targets", ("indicator", "baseline")),
    ("targets", ("indicator", "target")),
    ("targets", ("indicator", "current")),
    ("engagement", ("days_per_month",)),
    ("meta", ("revision",)),
]


def _stored_with(table: str, where: tuple[str, ...], value: object) -> bytes:
    """The healthy engagement's file with one value of the first row of `table` replaced."""
    tables = json.loads(codec.encode(healthy()))
    row: Any = next(iter(tables[table].values()))
    for name in where[:-1]:
        row = row[name]
    row[where[-1]] = value
    return json.dumps(tables, ensure_ascii=False).encode("utf-8")


@pytest.mark.parametrize(("table", "where"), FIELDS)
@pytest.mark.parametrize("value", ["6", "", "true", True, False, 6.0, 6.5, 1, 0, None, [], {}])
def test_a_value_of_another_type_is_read_as_the_careful_path_reads_it(table: str, where: tuple[str, ...], value: object) -> None:
    raw = _stored_with(table, where, value)
    assert parsed(raw) == careful(raw)


@pytest.mark.parametrize(("table", "where", "value"), [
    ("log", ("minutes",), "6"), ("log", ("minutes",), 6.0), ("log", ("in_scope",), 1), ("log", ("online",), "false"),
    ("targets", ("fiscal_year",), 2026.0), ("targets", ("indicator", "baseline"), True),
])
def test_a_record_value_of_another_type_leaves_the_fast_path(table: str, where: tuple[str, ...], value: object) -> None:
    assert codec._validated_from_bytes(_stored_with(table, where, value)) is None


@pytest.mark.parametrize(("table", "where", "value"), [
    ("log", ("minutes",), 45), ("log", ("in_scope",), False), ("targets", ("fiscal_year",), 2027),
    ("targets", ("indicator", "baseline"), 3), ("targets", ("indicator", "current"), 41.5),
])
def test_a_json_number_or_yes_no_stays_on_the_fast_path(table: str, where: tuple[str, ...], value: object) -> None:
    raw = _stored_with(table, where, value)
    fast = codec._validated_from_bytes(raw)
    assert fast is not None and fast == careful(raw)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=2) | st.dictionaries(st.text(max_size=3), inner, max_size=2),
    max_leaves=4,
)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(FIELDS), JSON_VALUES)
def test_any_value_reads_as_the_careful_path_reads_it(field: tuple[str, tuple[str, ...]], value: object) -> None:
    raw = _stored_with(*field, value)
    assert parsed(raw) == careful(raw)
