"""Strict input at import: dates in range, numbers of the right type, no duplicate keys, limits
on size and counts; every refusal exits 2, names the file and the field, and changes nothing."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
import textwrap
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from test_store_support import TODAY, engagement_data, open_store, rich_document, run_cli, tree_bytes
from xtalent import interchange
from xtalent.dates import FIRST_DAY, LAST_DAY, format_wareki
from xtalent.errors import InvalidData, XtalentError
from xtalent.interchange import ImportLimits, load_batch, loads_document

ROOT = Path(__file__).resolve().parent.parent


def doc_with(**overrides: Any) -> dict[str, Any]:
    return {"format": "xtalent", "schema_version": 1, "engagements": [engagement_data("en-1", **overrides)]}


@pytest.fixture
def db(tmp_path: Path) -> Path:
    root = tmp_path / "db"
    open_store(root).import_document(rich_document(2))
    return root


def refused(capsys: pytest.CaptureFixture[str], db: Path, path: Path, *fields: str) -> str:
    """Import `path` into `db`: exit 2, nothing changed, the file and every field named."""
    before = tree_bytes(db)
    code, out, err = run_cli(capsys, "--db", str(db), "import", str(path), "--replace", lang="en")
    assert code == 2, (out, err)
    assert tree_bytes(db) == before
    assert str(path) in err
    for name in fields:
        assert name in err, err
    return err


def write(tmp_path: Path, document: Any, name: str = "in.json") -> Path:
    path = tmp_path / name
    path.write_text(document if isinstance(document, str) else json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


# ----- dates --------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["9999-12-31", "2201-01-01", "1989-01-07", "-2026-01-01", "昭和60年4月1日", "10000-01-01"])
def test_a_date_out_of_range_or_signed_is_refused_at_import(
    tmp_path: Path, db: Path, capsys: pytest.CaptureFixture[str], value: str
) -> None:
    err = refused(capsys, db, write(tmp_path, doc_with(term_end=value)), "engagements[0] (en-1).term_end")
    assert "9999" not in err  # the value itself is never echoed


def test_the_limit_days_themselves_import(tmp_path: Path, db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, doc_with(term_start=FIRST_DAY.isoformat(), term_end=format_wareki(LAST_DAY)))
    code, _, err = run_cli(capsys, "--db", str(db), "import", str(path), "--replace", lang="en")
    assert code == 0, err
    stored = open_store(db).get("en-1")
    assert (stored.term_start, stored.term_end) == (FIRST_DAY, LAST_DAY)
    # …and every export and the check survive a term ending on the last day.
    for fmt in ("md", "csv", "xlsx", "html", "ics", "json"):
        out = tmp_path / f"out.{fmt}"
        assert run_cli(capsys, "--db", str(db), "export", "en-1", "--format", fmt, "-o", str(out))[0] == 0
    assert run_cli(capsys, "--db", str(db), "check", "--fail-on", "critical")[0] in (0, 1)


def test_a_database_already_holding_an_impossible_date_is_named_not_a_traceback(
    tmp_path: Path, db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A file written before the range existed (or edited by hand): reported as damaged, by name.
    path = db / "engagements" / "en-1.json"
    path.write_text(path.read_text(encoding="utf-8").replace('"2027-03-31"', '"9999-12-31"'), encoding="utf-8")
    code, _, err = run_cli(capsys, "--db", str(db), "check", lang="en")
    assert code == 2 and str(path) in err and "term_end" in err and "Traceback" not in err


# ----- numbers and yes/no -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("where", "value", "field"),
    [
        ("minutes", "6", "log[0].minutes"),
        ("minutes", True, "log[0].minutes"),
        ("minutes", 6.0, "log[0].minutes"),
        ("in_scope", 1, "log[0].in_scope"),
        ("in_scope", "true", "log[0].in_scope"),
        ("days_per_month", "4", "days_per_month"),
        ("days_per_month", False, "days_per_month"),
        ("baseline", "42", "indicator.baseline"),
        ("revision", "3", "revision"),
    ],
)
def test_numbers_and_yes_no_of_the_wrong_type_are_refused(
    tmp_path: Path, db: Path, capsys: pytest.CaptureFixture[str], where: str, value: Any, field: str
) -> None:
    data = doc_with()
    engagement = data["engagements"][0]
    if where in ("minutes", "in_scope"):
        engagement["log"][0][where] = value
    elif where == "baseline":
        engagement["targets"][0]["indicator"]["baseline"] = value
    else:
        engagement[where] = value
    refused(capsys, db, write(tmp_path, data), field)


def test_a_form_still_reads_typed_digits_as_a_number() -> None:
    # Forms hand over the text typed ("6"); only a file must hold a real number.
    from xtalent.models import LogEntry

    from pydantic import ValidationError

    assert LogEntry.model_validate({"on": "2026-01-01", "minutes": "60"}).minutes == 60
    with pytest.raises(ValidationError):
        LogEntry.model_validate({"on": "2026-01-01", "minutes": True})  # a yes/no is never a number


# ----- duplicate keys -----------------------------------------------------------------------------


def test_a_duplicate_key_is_refused_naming_the_key_and_where(
    tmp_path: Path, db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = json.dumps(doc_with(), ensure_ascii=False).replace('"sponsor": "副市長"', '"sponsor": "副市長", "sponsor": "市長"')
    text = text.replace('"format": "xtalent"', '"format": "xtalent", "format": "xtalent"')
    err = refused(capsys, db, write(tmp_path, text), "engagements[0] (en-1).sponsor", "format")
    assert "more than once" in err


def test_a_duplicate_key_deep_inside_is_named_by_its_path() -> None:
    text = json.dumps(doc_with()).replace('"minutes": 90', '"minutes": 90, "minutes": 30')
    with pytest.raises(InvalidData) as err:
        loads_document(text, "x.json")
    assert [p[:2] for p in err.value.problems] == [("engagements[0] (en-1).log[0].minutes", "validation.duplicate_key")]


# ----- limits ---------------------------------------------------------------------------------


def test_a_file_over_the_size_limit_is_refused_naming_the_limit_and_how_to_raise_it(
    tmp_path: Path, db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    data = doc_with(notes="あ" * 2000)
    data["engagements"] = [engagement_data(f"en-{n}", notes="メモ" * 1000) for n in range(200)]  # ~1.4 MB
    path = write(tmp_path, data)
    monkeypatch.setenv("XTALENT_IMPORT_MAX_MB", "1")
    err = refused(capsys, db, path, "XTALENT_IMPORT_MAX_MB", "1 MB")
    monkeypatch.setenv("XTALENT_IMPORT_MAX_MB", "2")
    assert run_cli(capsys, "--db", str(db), "import", str(path), "--replace")[0] == 0
    assert "Traceback" not in err


def test_too_many_engagements_or_records_are_refused_naming_the_limit(
    tmp_path: Path, db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    data = {"format": "xtalent", "engagements": [engagement_data(f"en-{n}") for n in range(3)]}
    monkeypatch.setenv("XTALENT_IMPORT_MAX_ENGAGEMENTS", "2")
    refused(capsys, db, write(tmp_path, data), "XTALENT_IMPORT_MAX_ENGAGEMENTS", "2")
    monkeypatch.delenv("XTALENT_IMPORT_MAX_ENGAGEMENTS")

    log = [{"id": f"lg-{n}", "on": "2026-01-05", "minutes": 30} for n in range(6)]
    monkeypatch.setenv("XTALENT_IMPORT_MAX_RECORDS", "5")
    refused(capsys, db, write(tmp_path, doc_with(log=log)), "engagements[0] (en-1).log", "XTALENT_IMPORT_MAX_RECORDS")
    monkeypatch.setenv("XTALENT_IMPORT_MAX_RECORDS", "6")
    assert run_cli(capsys, "--db", str(db), "import", str(tmp_path / "in.json"), "--replace")[0] == 0


def test_a_limit_set_to_something_that_is_not_a_count_is_refused(
    tmp_path: Path, db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path, doc_with())
    for value in ("abc", "0", "-3", "1.5"):
        monkeypatch.setenv("XTALENT_IMPORT_MAX_RECORDS", value)
        before = tree_bytes(db)
        code, _, err = run_cli(capsys, "--db", str(db), "import", str(path), "--replace", lang="en")
        assert code == 2 and "XTALENT_IMPORT_MAX_RECORDS" in err and tree_bytes(db) == before


def test_a_stream_without_a_size_is_cut_off_at_the_limit(tmp_path: Path) -> None:
    # /dev/zero (or a pipe) has no size to check before reading: the read itself stops.
    with pytest.raises(XtalentError) as err:
        load_batch("/dev/zero", ImportLimits(max_mb=1))
    assert err.value.key == "import.too_large"


def test_the_default_limits_leave_room_for_ten_times_the_products_scale() -> None:
    limits = ImportLimits.from_env({})
    # A 3,000-engagement document is ~72 MB compact, ~130 MB as `xtalent export` indents it.
    assert limits.max_mb >= 200 and limits.max_engagements >= 10_000 and limits.max_records >= 1_000


# ----- reading a piece at a time ------------------------------------------------------------------

json_text = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=12),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=6), children, max_size=4),
    max_leaves=20,
).map(lambda v: json.dumps({"format": "xtalent", "exported_at": "x", "engagements": [v, v], "extra": v}, ensure_ascii=False, indent=1))


@settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(json_text, st.integers(0, 400), st.sampled_from(["", "}", "]", ",", '"', "\\", "x", "\n", "1"]), st.integers(1, 9))
def test_reading_in_pieces_finds_what_json_loads_finds(text: str, cut: int, junk: str, piece: int) -> None:
    """Valid JSON is read the same whatever the piece size; broken JSON is refused at the very
    line and column json.loads reports."""
    broken = text[:cut] + junk + text[cut + 1 :]
    for candidate in (text, broken):
        try:
            json.loads(candidate)
            expected = None
        except json.JSONDecodeError as exc:
            expected = (exc.lineno, exc.colno)
        raw = candidate.encode("utf-8")
        offset = 0

        def read(n: int) -> bytes:
            nonlocal offset
            chunk = raw[offset : offset + min(n, piece)]
            offset += len(chunk)
            return chunk

        fields: list[Any] = []
        engagements: list[Any] = []
        old = interchange._PIECE
        interchange._PIECE = piece
        try:
            src = interchange._Source("t.json", read)
            try:
                interchange._read_top_level(src, lambda k, v: fields.append((k, v)), lambda n, v: engagements.append(v))
                got = None
            except interchange.UnreadableFile as exc:
                got = exc.detail
        finally:
            interchange._PIECE = old
        if expected is None:
            assert got is None
            loaded = json.loads(candidate)
            if isinstance(loaded, dict):
                assert engagements == (loaded["engagements"] if isinstance(loaded.get("engagements"), list) else [])
                assert [k for k, _ in fields] == list(loaded)
                assert all(v == loaded[k] for k, v in fields if k != "engagements")
            else:
                assert fields == [(None, loaded)]
        else:
            from xtalent.i18n import t

            assert got == t("json.position", line=expected[0], column=expected[1])


# ----- the property: any document imports exactly or is refused, nothing changed ---------------

BASE = {"format": "xtalent", "schema_version": 1, "engagements": [engagement_data("en-1"), engagement_data("en-2")]}
DATE_PATHS = [
    ("term_start",), ("term_end",), ("targets", 0, "agreed_on"), ("items", 0, "due"), ("items", 0, "evidence", 0, "on"),
    ("items", 0, "receivers", 0, "history", 0, "on"), ("staff", 0, "rotation_expected"), ("log", 0, "on"),
]
NUMBER_PATHS = [("days_per_month",), ("log", 0, "minutes"), ("log", 0, "in_scope"), ("targets", 0, "indicator", "current"), ("revision",)]


def _edge_days() -> st.SearchStrategy[str]:
    edges = [FIRST_DAY, LAST_DAY, FIRST_DAY - timedelta(days=1), LAST_DAY + timedelta(days=1), date(9999, 12, 31), date(1, 1, 1)]
    day = st.sampled_from(edges) | st.dates(min_value=date(1980, 1, 1), max_value=date(2210, 12, 31))
    return st.one_of(
        day.map(date.isoformat),
        day.map(lambda d: f"{d.year}/{d.month}/{d.day}"),
        day.map(lambda d: format_wareki(d)),
        day.map(lambda d: "-" + d.isoformat()),
        st.sampled_from(["10000-01-01", "0000-01-01", "R183.1.1", "H1.1.7", "S64.1.7"]),
    )


numbers = st.one_of(st.integers(-5, 2000), st.floats(-5, 2000), st.booleans(), st.integers(0, 100).map(str), st.none())


@st.composite
def edge_documents(draw: Any) -> dict[str, Any]:
    doc = copy.deepcopy(BASE)
    for _ in range(draw(st.integers(1, 3))):
        engagement = doc["engagements"][draw(st.integers(0, 1))]
        path = draw(st.sampled_from(DATE_PATHS + NUMBER_PATHS))
        node = engagement
        for part in path[:-1]:
            node = node[part]
        node[path[-1]] = draw(_edge_days() if path in DATE_PATHS else numbers)
    return doc


def test_any_document_imports_exactly_or_is_refused_with_exit_2_and_nothing_changed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "db"
    open_store(root).import_document(rich_document(2))
    path = tmp_path / "edge.json"
    seen = {0: 0, 2: 0}

    @settings(max_examples=150, deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
    @given(edge_documents())
    def check(doc: dict[str, Any]) -> None:
        path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
        before = tree_bytes(root)
        code, _, err = run_cli(capsys, "--db", str(root), "import", str(path), "--replace", lang="en")
        assert code in (0, 2), err
        seen[code] += 1
        if code == 2:
            assert tree_bytes(root) == before
            assert str(path) in err
            return
        store = open_store(root)
        for expected in doc["engagements"]:
            stored = store.get(expected["id"])
            for dates_path in DATE_PATHS:
                node: Any = expected
                for part in dates_path:
                    node = node[part] if node is not None else None
                value = stored.model_dump(mode="json")
                for part in dates_path:
                    value = value[part] if value is not None else None
                if node not in (None, ""):
                    assert FIRST_DAY.isoformat() <= value <= LAST_DAY.isoformat()
                    if len(node) == 10 and node[4] == "-":
                        assert value == node  # imported exactly
            dumped = stored.model_dump(mode="json")
            for number_path in NUMBER_PATHS[:-1]:  # the revision moves on at every import
                node, value = expected, dumped
                for part in number_path:
                    node, value = node[part], value[part]
                if node is not None or number_path != ("log", 0, "in_scope"):
                    assert value == node and isinstance(node, bool) == isinstance(value, bool)

    check()
    assert seen[0] and seen[2]  # both outcomes were exercised


# ----- memory -----------------------------------------------------------------------------------


def test_memory_during_an_import_is_a_small_multiple_of_the_file(tmp_path: Path) -> None:
    """Peak RSS of reading 400 generated engagements (~9 MB), against a process that loaded the
    same modules and validated the demo: the whole document as Python objects was ~14 times
    the file (a 72 MB document peaked at 1 GB)."""
    source = tmp_path / "doc.json"
    script = textwrap.dedent(
        f"""
        import json, sys
        sys.path.insert(0, {str(ROOT)!r})
        from bench.generate import dataset
        from pathlib import Path
        Path({str(source)!r}).write_text(json.dumps(dataset("prefectural", count=400), ensure_ascii=False), encoding="utf-8")
        """
    )
    subprocess.run([sys.executable, "-c", script], check=True)
    measure = textwrap.dedent(
        f"""
        import resource, sys
        sys.path.insert(0, {str(ROOT)!r})
        from xtalent.interchange import load_batch, load_document
        load_document({str(ROOT / "data" / "demo.json")!r})
        if sys.argv[1] == "import":
            assert len(load_batch({str(source)!r})) == 400
        print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
        """
    )
    peak = {
        what: int(subprocess.run([sys.executable, "-c", measure, what], check=True, capture_output=True, text=True).stdout)
        for what in ("noop", "import")
    }
    grown, size_kb = peak["import"] - peak["noop"], source.stat().st_size / 1024
    print(f"\nimport of {size_kb:.0f} KB: peak RSS {peak['import']} KB, {grown} KB over loading the modules")
    assert grown < size_kb, (grown, size_kb)


@pytest.mark.parametrize("typed", ["9999-12-31", "-2026-01-01", "S60.4.1", "2201/1/1"])
def test_a_form_refuses_the_same_dates_an_import_does(typed: str) -> None:
    # The form's hint beside a date field and the model's validation of the saved form.
    from pydantic import ValidationError

    from xtalent_screens.forms.fields import date_hint
    from xtalent.models import LogEntry

    hint, is_error = date_hint(typed, "en")
    assert is_error and hint
    with pytest.raises(ValidationError):
        LogEntry.model_validate({"on": typed})
