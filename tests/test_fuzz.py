"""Fuzzing: arbitrary and near-valid input at import, the date parser and every model field
(the forms hand typed text straight to the models) gets a clean XtalentError / InvalidData or
is accepted; never another exception, and a rejected import leaves the database unchanged.

The suite runs a bounded number of examples per test; the full run is

    XTALENT_FUZZ_EXAMPLES=10000 .venv/bin/pytest tests/test_fuzz.py -p no:cacheprovider -s

Examples are derandomized (the same inputs every run) and hypothesis keeps no database in the
checkout.
"""

from __future__ import annotations

import copy
import json
import os
import re
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from test_store_support import engagement_data, open_store, rich_document, tree_bytes
from xtalent.dates import DateParseError, parse_date
from xtalent.errors import InvalidData, XtalentError, from_validation_error
from xtalent.i18n import has
from xtalent.interchange import dump_document, load_document, loads_document, parse_document
from xtalent.models import (
    ChangeTarget,
    Engagement,
    Evidence,
    Indicator,
    KnowHowItem,
    LogEntry,
    Person,
    ReceivingStaff,
    Reception,
    StageEvent,
)

EXAMPLES = int(os.environ.get("XTALENT_FUZZ_EXAMPLES", "150"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=40),
)
json_values = st.recursive(
    json_scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=16,
)

# Values a form or a hand-edited file plausibly holds: dates as typed, choices, ids, numbers as
# typed, edge lengths, characters JSON and terminals treat specially.
near_values = st.one_of(
    json_values,
    st.sampled_from(
        [
            "", " ", "　", "2027/3/31", "2027-03-31", "令和9年3月31日", "R9.3.31", "r9/3/31", "H31.4.30", "H31.5.1",
            "令和元年5月1日", "２０２７／３／３１", "2027-02-30", "2027/13/1", "0000-01-01", "9999-12-31", "10000-01-01",
            "2027-03-31T25:00", "3/31", "昨日", "not_started", "verified", "flying", "cdo", "other", "residents",
            "st-1", "tg-1", "kh-1", "lg-1", "en-1", "ghost", "EN-1", "en 1", "-1", "1e400", "nan", "inf", "-inf",
            "１２", "1,000", "0x10", "\u0000", "\ud800", "\x1b[2J", "a" * 201, "あ" * 2001, "\n\t",
        ]
    ),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(),  # includes NaN and infinities: JSON cannot hold them
    st.text(min_size=190, max_size=2100),
)

BASE = rich_document(3).model_dump(mode="json")


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            out += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for n, item in enumerate(value):
            out += _paths(item, (*prefix, n))
    return out


ALL_PATHS = _paths(BASE)[1:]


def _parent(doc: Any, path: tuple[Any, ...]) -> Any:
    for part in path[:-1]:
        doc = doc[part]
    return doc


@st.composite
def near_valid_documents(draw) -> str:
    """A valid export with one to three things wrong with it, as JSON text."""
    doc = copy.deepcopy(BASE)
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(ALL_PATHS))
        kind = draw(st.sampled_from(["replace", "replace", "replace", "delete", "add_key", "duplicate", "swap_terms"]))
        try:
            parent = _parent(doc, path)
            key = path[-1]
            if kind == "replace":
                parent[key] = draw(near_values)
            elif kind == "delete":
                del parent[key]
            elif kind == "add_key" and isinstance(parent[key], dict):
                parent[key][draw(st.text(max_size=12))] = draw(json_values)
            elif kind == "duplicate" and isinstance(parent[key], list) and parent[key]:
                parent[key].append(copy.deepcopy(parent[key][0]))
            elif kind == "swap_terms":
                engagement = doc["engagements"][draw(st.integers(0, 2))]
                engagement["term_start"], engagement["term_end"] = engagement["term_end"], engagement["term_start"]
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation removed what this one aimed at
    text = json.dumps(doc, ensure_ascii=draw(st.booleans()), allow_nan=True)
    if draw(st.integers(0, 9)) == 0:  # now and then, broken JSON syntax too
        cut = draw(st.integers(0, len(text)))
        text = text[:cut] + draw(st.sampled_from(["", ",", "}", '"', "\\", "]]", "NaN", "\x00"])) + text[cut + 1 :]
    return text


def _check_message(error: XtalentError) -> None:
    # Rendering must work in both languages: a missing format field would be a traceback later.
    for lang in ("ja", "en"):
        assert error.message(lang)


class Tally:
    def __init__(self, name: str) -> None:
        self.name, self.accepted, self.rejected = name, 0, 0

    def report(self) -> None:
        print(f"\nfuzz {self.name}: {self.accepted + self.rejected} examples, {self.accepted} accepted, {self.rejected} rejected")


# ----- import -----------------------------------------------------------------------------------


def test_near_valid_documents_import_cleanly_or_change_nothing(tmp_path: Path) -> None:
    store = open_store(tmp_path / "db")
    store.import_document(rich_document(2))
    tally = Tally("near-valid documents at import")

    @FUZZ
    @given(near_valid_documents())
    def check(text: str) -> None:
        before = tree_bytes(store.root)
        try:
            document = loads_document(text, "fuzz.json")
            store.import_document(document, replace=True)
        except XtalentError as exc:
            _check_message(exc)
            assert tree_bytes(store.root) == before
            tally.rejected += 1
            return
        tally.accepted += 1
        # Whatever is accepted round-trips exactly through an export.
        assert loads_document(dump_document(document)) == document

    check()
    tally.report()
    assert {e.id for e in store.engagements()} >= {"en-1", "en-2"}  # every file still opens and validates


def test_arbitrary_text_at_import_is_refused_cleanly() -> None:
    tally = Tally("arbitrary text at import")

    @FUZZ
    @given(st.one_of(st.text(), st.text(alphabet='{}[]",:0123456789.eE+-tfrueanlsxNIy \\u'), json_values.map(json.dumps)))
    def check(text: str) -> None:
        try:
            loads_document(text)
            tally.accepted += 1
        except XtalentError as exc:
            _check_message(exc)
            tally.rejected += 1

    check()
    tally.report()


def test_arbitrary_json_shapes_at_import_are_refused_cleanly() -> None:
    keys = st.sampled_from(["format", "schema_version", "exported_at", "engagements", "extra"])
    engagements = st.lists(st.dictionaries(st.sampled_from(sorted(engagement_data())), near_values, max_size=8), max_size=3)
    tally = Tally("arbitrary JSON shapes at import")

    @FUZZ
    @given(st.one_of(json_values, st.dictionaries(keys, st.one_of(near_values, engagements), max_size=5)))
    def check(value: Any) -> None:
        try:
            parse_document(value, "fuzz.json")
            tally.accepted += 1
        except XtalentError as exc:
            _check_message(exc)
            tally.rejected += 1

    check()
    tally.report()


def test_arbitrary_bytes_in_an_import_file_are_refused_cleanly() -> None:
    tally = Tally("arbitrary bytes in a file at import")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "input.json"

        @FUZZ
        @given(st.one_of(st.binary(max_size=2000), near_valid_documents().map(lambda t: t.encode("utf-8", "surrogatepass"))))
        def check(raw: bytes) -> None:
            path.write_bytes(raw)
            try:
                load_document(path)
                tally.accepted += 1
            except XtalentError as exc:
                _check_message(exc)
                assert str(path) in exc.message("en")
                tally.rejected += 1

        check()
    tally.report()


# ----- the date parser --------------------------------------------------------------------------

typed_dates = st.builds(
    lambda era, year, sep1, month, sep2, day, end: f"{era}{year}{sep1}{month}{sep2}{day}{end}",
    st.sampled_from(["", "令和", "平成", "昭和", "大正", "R", "H", "S", "r", "M", " "]),
    st.one_of(st.integers(-5, 12000).map(str), st.just("元"), st.sampled_from(["２０２７", "０9", "٢٠٢٧"])),
    st.sampled_from(["年", "/", ".", "-", " ", "／", "．", "", "年 "]),
    st.one_of(st.integers(-1, 40).map(str), st.just("１２")),
    st.sampled_from(["月", "/", ".", "-", " ", ""]),
    st.one_of(st.integers(-1, 40).map(str), st.just("３１")),
    st.sampled_from(["日", "", " ", "T10:00", "日曜"]),
)


# Mostly readable: the parser's accepting paths get exercised, not only its refusals.
plausible_dates = st.one_of(
    st.builds(
        lambda era, year, sep, month, day, end: f"{era}{year}{sep}{month}{sep}{day}{end}",
        st.sampled_from(["令和", "平成", "昭和", "R", "H", "S"]),
        st.one_of(st.integers(1, 70).map(str), st.just("元")),
        st.sampled_from(["/", ".", "-"]),
        st.integers(1, 12),
        st.integers(1, 31),
        st.sampled_from(["", " "]),
    ),
    st.builds(
        lambda year, month, day, fmt: fmt.format(y=year, m=month, d=day),
        st.integers(1900, 2100),
        st.integers(1, 12),
        st.integers(1, 31),
        st.sampled_from(["{y}-{m:02d}-{d:02d}", "{y}/{m}/{d}", "{y}年{m}月{d}日", "{y}.{m}.{d}", "{d} {m} {y}"]),
    ),
)


def test_the_date_parser_returns_a_date_or_a_clean_reason() -> None:
    tally = Tally("date parser")

    @FUZZ
    @given(
        st.one_of(
            typed_dates,
            plausible_dates,
            st.text(max_size=40),
            st.text(alphabet="0123456789/.-年月日令和平成元RHS ", max_size=20),
        )
    )
    def check(text: str) -> None:
        try:
            result = parse_date(text)
        except DateParseError as exc:
            assert has(exc.reason)
            tally.rejected += 1
            return
        assert isinstance(result, date)
        tally.accepted += 1

    check()
    tally.report()


# ----- every model field, as a form or a file gives it ------------------------------------------

_data = engagement_data()
_target = _data["targets"][0]
_item = _data["items"][0]
MODELS: list[tuple[type[BaseModel], dict[str, Any]]] = [
    (Person, _data["person"]),
    (Indicator, _target["indicator"]),
    (ChangeTarget, _target),
    (StageEvent, _item["receivers"][0]["history"][0]),
    (Reception, _item["receivers"][0]),
    (Evidence, _item["evidence"][0]),
    (KnowHowItem, _item),
    (ReceivingStaff, _data["staff"][0]),
    (LogEntry, _data["log"][0]),
    (Engagement, _data),
]
FIELDS = [(model, base, name) for model, base in MODELS for name in model.model_fields]


def test_every_model_field_accepts_or_refuses_cleanly() -> None:
    tally = Tally(f"model fields ({len(FIELDS)} fields)")

    @FUZZ
    @given(st.sampled_from(FIELDS), near_values, st.booleans())
    def check(case: tuple[type[BaseModel], dict[str, Any], str], value: Any, by_assignment: bool) -> None:
        model, base, name = case
        try:
            if by_assignment:  # a form editing a loaded record
                record = model.model_validate(copy.deepcopy(base))
                setattr(record, name, value)
            else:  # a form building a record, or a file being read
                model.model_validate({**copy.deepcopy(base), name: value})
        except ValidationError as exc:
            error = from_validation_error(exc, "form")
            assert isinstance(error, InvalidData) and error.problems
            _check_message(error)
            tally.rejected += 1
            return
        tally.accepted += 1

    check()
    tally.report()


def test_the_fuzz_budget_reaches_every_fuzz_test() -> None:
    # The documented full run (XTALENT_FUZZ_EXAMPLES=10000) is only as good as every @given test
    # here taking its budget from it: run this module with a budget of 2 in a fresh process and
    # count what each test reports. A test with settings of its own, or one that reads no budget,
    # runs hypothesis' default (100) or ours (150) and fails this.
    budget = 2
    source = Path(__file__).read_text(encoding="utf-8")
    fuzz_tests = len(re.findall(r"^\s*@given\(", source, re.M))
    result = subprocess.run(
        [sys.executable, "-m", "pytest", __file__, "-q", "-s", "-p", "no:cacheprovider", "-n", "0",
         "-k", "not budget and not pathological"],
        env={**os.environ, "XTALENT_FUZZ_EXAMPLES": str(budget)}, cwd=Path(__file__).parents[1],
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout[-2000:]
    reported = [int(n) for n in re.findall(r"^fuzz .*?: (\d+) examples", result.stdout, re.M)]
    assert len(reported) == fuzz_tests >= 5
    assert all(1 <= n <= budget for n in reported), reported


@pytest.mark.parametrize("text", ["[" * 100_000, '{"engagements": ' * 50_000, '{"schema_version": 1' + "0" * 5000 + "}"])
def test_pathological_json_is_refused_cleanly(text: str) -> None:
    with pytest.raises(XtalentError):
        loads_document(text)
