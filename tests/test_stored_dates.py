"""Dates in a stored file are read by pydantic-core alone (models._StoredDay), and only when they
are written exactly as xtalent writes them; anything else is read the careful way, as before."""

from __future__ import annotations

import json
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.pitfalls_factory import healthy
from tests.stored_support import careful, parsed
from xtalent import codec



def _stored_with(on: object) -> bytes:
    """The healthy engagement's file with its first log entry's day replaced by `on`."""
    tables = json.loads(codec.encode(healthy()))
    first = next(iter(tables["log"]))
    tables["log"][first]["on"] = on
    return json.dumps(tables, ensure_ascii=False).encode("utf-8")


def test_a_file_as_xtalent_writes_it_takes_the_fast_path() -> None:
    engagement = healthy()
    raw = codec.encode(engagement)
    assert codec._validated_from_bytes(raw) == engagement


@pytest.mark.parametrize(
    "on",
    ["1654646400", "令和8年6月1日", "2026/06/01", "2026-6-1", " 2026-06-01", "2026-06-01T00:00:00", "2300-01-01",
     "1900-01-01", "2026-02-30", "", 20260601, None],
)
def test_a_date_written_otherwise_is_read_the_careful_way(on: object) -> None:
    raw = _stored_with(on)
    assert codec._validated_from_bytes(raw) is None
    assert parsed(raw) == careful(raw)


def test_a_timestamp_is_not_a_date() -> None:
    # pydantic-core alone reads "1654646400" as 2022-06-08; a stored file never holds one.
    assert parsed(_stored_with("1654646400"))[0] == "unreadable"


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.dates().map(date.isoformat), st.text(max_size=14), st.integers()))
def test_any_date_text_reads_as_the_careful_path_reads_it(on: object) -> None:
    raw = _stored_with(on)
    assert parsed(raw) == careful(raw)
