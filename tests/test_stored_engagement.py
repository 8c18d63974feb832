"""The engagement's own row of a stored file is validated from JSON like the records, and the
engagement's checks of the whole (models.Engagement._check_consistent: term order, unique ids, references)
run once its records are in: whatever leaves the fast path reads as the careful path reads it."""

from __future__ import annotations

import json
from typing import Any, Callable

import pytest

from tests.pitfalls_factory import healthy
from tests.stored_support import careful, parsed
from xtalent import codec


def _stored(change: Callable[[dict[str, Any]], None]) -> bytes:
    """The healthy engagement's file with `change` applied to its tables."""
    tables = json.loads(codec.encode(healthy()))
    change(tables)
    return json.dumps(tables, ensure_ascii=False).encode("utf-8")


def _row(tables: dict[str, Any]) -> dict[str, Any]:
    return next(iter(tables["engagement"].values()))


def _first(tables: dict[str, Any], table: str) -> dict[str, Any]:
    return next(iter(tables[table].values()))


def _set(where: tuple[str, ...], value: object) -> Callable[[dict[str, Any]], None]:
    def change(tables: dict[str, Any]) -> None:
        row: Any = _row(tables)
        for name in where[:-1]:
            row = row[name]
        row[where[-1]] = value
    return change


def test_the_fast_path_gives_the_engagement_the_careful_path_gives() -> None:
    raw = codec.encode(healthy())
    fast = codec._validated_from_bytes(raw)
    assert fast is not None and fast == careful(raw) == healthy()
    assert fast.model_fields_set == careful(raw).model_fields_set


@pytest.mark.parametrize("where", [("term_start",), ("term_end",), ("after_term", "decided_on")])
@pytest.mark.parametrize("day", ["令和8年4月1日", "2026/04/01", " 2026-04-01", "1654646400", "2026-02-30", ""])
def test_a_date_of_the_engagement_row_written_otherwise_is_read_the_careful_way(where: tuple[str, ...], day: str) -> None:
    raw = _stored(_set(where, day))
    assert codec._validated_from_bytes(raw) is None
    assert parsed(raw) == careful(raw)


@pytest.mark.parametrize(("where", "value"), [
    (("days_per_month",), "4"), (("role",), "nobody"), (("person", "name"), ""), (("surprise",), 1),
    (("term_end",), "2026-03-31"),  # before the start
])
def test_a_row_the_model_refuses_is_read_the_careful_way(where: tuple[str, ...], value: object) -> None:
    raw = _stored(_set(where, value))
    assert codec._validated_from_bytes(raw) is None
    assert parsed(raw) == careful(raw)


@pytest.mark.parametrize("key", ["targets", "items", "staff", "log", "revision"])
def test_a_record_table_or_revision_inside_the_row_leaves_the_fast_path(key: str) -> None:
    # The careful path takes the records and the revision from their own tables, whatever the row says.
    raw = _stored(_set((key,), [] if key != "revision" else 0))
    assert codec._validated_from_bytes(raw) is None
    assert parsed(raw) == careful(raw)


def _duplicate_item(tables: dict[str, Any]) -> None:
    tables["items"]["99"] = dict(_first(tables, "items"))


def _dangling_receiver(tables: dict[str, Any]) -> None:
    _first(tables, "items")["receivers"][0]["staff_id"] = "st-nobody"


def _dangling_target(tables: dict[str, Any]) -> None:
    _first(tables, "log")["target_id"] = "tg-nowhere"


def _dangling_target_staff(tables: dict[str, Any]) -> None:
    _first(tables, "targets")["staff_ids"] = ["st-nobody"]


def _duplicate_log(tables: dict[str, Any]) -> None:
    tables["log"]["99"] = dict(_first(tables, "log"))


@pytest.mark.parametrize("change", [_duplicate_item, _dangling_receiver, _dangling_target, _dangling_target_staff, _duplicate_log])
def test_records_that_do_not_fit_together_are_refused_as_the_careful_path_refuses_them(change: Callable[[dict[str, Any]], None]) -> None:
    raw = _stored(change)
    assert codec._validated_from_bytes(raw) is None
    found = parsed(raw)
    assert found == careful(raw) and found[0] == "unreadable"  # type: ignore[index]
