"""The interchange document: lossless round trip, all-or-nothing import, and its JSON Schema."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from test_store_support import TODAY, engagement_data, file_mode, open_store, rich_document, tree_bytes
from xtalent import atomic, migrations
from xtalent import interchange as interchange_module
from xtalent.cli import main
from xtalent.errors import InvalidData, XtalentError
from xtalent.interchange import dump_document, json_schema, load_document, loads_document, parse_document
from xtalent.paths import demo_file
from xtalent.store import StoreError


def run(*argv: str) -> int:
    return main(list(argv), today=TODAY)


def write_doc(path: Path, document: dict[str, Any]) -> Path:
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def doc_dict(count: int = 3) -> dict[str, Any]:
    return rich_document(count).model_dump(mode="json")


# ----- round trip -----------------------------------------------------------------------------


def test_export_import_export_is_lossless(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first_db, second_db = tmp_path / "a", tmp_path / "b"
    store = open_store(first_db)
    store.import_document(rich_document(4))
    edited = store.get("en-2").model_copy(update={"notes": "改行を含む\nメモ\tタブ \"引用\" と絵文字 🎌"})
    store.save(edited)

    exported = tmp_path / "export.json"
    assert run("--db", str(first_db), "export", "--format", "json", "-o", str(exported)) == 0
    assert run("--db", str(second_db), "import", str(exported)) == 0
    again = tmp_path / "again.json"
    assert run("--db", str(second_db), "export", "--format", "json", "-o", str(again)) == 0

    one, two = json.loads(exported.read_bytes()), json.loads(again.read_bytes())
    one.pop("exported_at"), two.pop("exported_at")
    assert one == two
    assert exported.read_bytes() == again.read_bytes()  # same today → identical to the byte
    assert len(one["engagements"]) == 4
    text = exported.read_text(encoding="utf-8")
    assert "改行を含む" in text and "\\u" not in text  # Japanese is text, not escapes

    # And the document carries everything the model holds: nothing is dropped on the way.
    document = load_document(exported)
    assert {e.id: e for e in document.engagements} == {e.id: e for e in open_store(first_db).engagements()}


def test_dump_and_parse_are_inverse() -> None:
    document = rich_document(3)
    assert loads_document(dump_document(document)) == document


# ----- all or nothing -------------------------------------------------------------------------


def test_one_bad_engagement_means_nothing_is_written(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "db"
    open_store(db).import_document(rich_document(1))
    before = tree_bytes(db)
    data = doc_dict(6)
    for n, item in enumerate(data["engagements"]):
        item["id"] = f"en-new-{n}"
    data["engagements"][3]["items"][0]["due"] = "2027/2/30"
    data["engagements"][5]["person"]["email"] = "x" * 300
    source = write_doc(tmp_path / "bad.json", data)

    assert run("--lang", "en", "--db", str(db), "import", str(source)) == 2
    err = capsys.readouterr().err
    assert "engagements[3] (en-new-3).items[0].due: there is no such day" in err
    assert "engagements[5] (en-new-5).person.email: must be at most 200 characters" in err
    assert "nothing was written" in err
    assert tree_bytes(db) == before


def test_an_import_that_fails_while_writing_changes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "db"
    store = open_store(db)
    store.import_document(rich_document(2))
    store.backup_now()
    before = tree_bytes(db)
    real = atomic.os.open
    staged = []

    def disk_fills_up(path, flags, *args, **kwargs):  # the third file staged in the journal
        if Path(path).parent.name == "journal" and flags & os.O_CREAT and Path(path).name[:1].isdigit():
            staged.append(path)
            if len(staged) == 3:
                raise OSError(errno.ENOSPC, "No space left on device")
        return real(path, flags, *args, **kwargs)

    monkeypatch.setattr(atomic.os, "open", disk_fills_up)
    data = doc_dict(5)
    with pytest.raises(StoreError) as err:
        store.import_document(parse_document(data, "doc"), replace=True)
    monkeypatch.undo()
    assert err.value.key == "store.disk_full"
    open_store(db)  # whoever opens next finds no half-applied import
    assert tree_bytes(db) == before


def test_an_id_clash_is_refused_without_replace(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "db"
    store = open_store(db)
    store.import_document(rich_document(2))
    current = store.save(store.get("en-1").model_copy(update={"notes": "手元での変更"}))
    before = tree_bytes(db)
    data = doc_dict(3)  # en-1 and en-2 clash, en-3 is new
    source = write_doc(tmp_path / "clash.json", data)

    assert run("--lang", "en", "--db", str(db), "import", str(source)) == 2
    err = capsys.readouterr().err
    assert "en-1, en-2" in err and "--replace" in err and "nothing was written" in err
    assert tree_bytes(db) == before

    assert run("--db", str(db), "import", "--replace", str(source)) == 0
    replaced = open_store(db).get("en-1")
    assert replaced.notes == engagement_data()["notes"]
    assert replaced.revision > current.revision  # an editor holding the old copy gets a conflict
    assert {e.id for e in open_store(db).engagements()} == {"en-1", "en-2", "en-3"}


# ----- reading documents strictly -------------------------------------------------------------


def test_unreadable_import_files_are_refused_with_the_reason(tmp_path: Path) -> None:
    cases = {
        "missing.json": None,
        "empty.json": b"",
        "truncated.json": json.dumps(doc_dict(1)).encode()[:100],
        "sjis.json": json.dumps(doc_dict(1), ensure_ascii=False).encode("shift_jis"),
        "nan.json": json.dumps(doc_dict(1)).replace('"days_per_month": 4.5', '"days_per_month": NaN').encode(),
        "deep.json": b"[" * 50_000 + b"]" * 50_000,
        "bigint.json": b'{"schema_version": ' + b"9" * 5000 + b"}",
    }
    for name, content in cases.items():
        path = tmp_path / name
        if content is not None:
            path.write_bytes(content)
        with pytest.raises(XtalentError) as err:
            load_document(path)
        assert str(path) in err.value.message("en"), name
    (tmp_path / "folder.json").mkdir()
    with pytest.raises(XtalentError):
        load_document(tmp_path / "folder.json")


def test_values_json_cannot_hold_are_refused_with_their_path() -> None:
    data = doc_dict(1)
    data["engagements"][0]["targets"][0]["indicator"]["baseline"] = 1e400  # decodes to infinity
    text = json.dumps(data).replace("Infinity", "1e400")
    with pytest.raises(InvalidData) as err:
        loads_document(text)
    assert "engagements[0] (en-1).targets[0].indicator.baseline" in err.value.message("en")


def test_a_byte_order_mark_from_a_windows_editor_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(doc_dict(1), ensure_ascii=False).encode("utf-8"))
    assert load_document(path).engagements[0].person.name == "佐藤 花子"


def test_a_document_from_a_newer_version_is_refused() -> None:
    data = doc_dict(1)
    data["schema_version"] = migrations.SCHEMA_VERSION + 1
    with pytest.raises(XtalentError) as err:
        parse_document(data, "future.json")
    assert err.value.key == "store.newer_schema" and "future.json" in err.value.message("en")


def test_a_document_from_an_older_version_is_migrated(monkeypatch: pytest.MonkeyPatch) -> None:
    def v1_to_v2(data: dict) -> dict:
        data["organisation"] = data.pop("organization")
        return data

    monkeypatch.setitem(migrations.MIGRATIONS, 1, v1_to_v2)
    monkeypatch.setattr(interchange_module, "SCHEMA_VERSION", 2)
    data = doc_dict(2)
    for item in data["engagements"]:
        item["organization"] = item.pop("organisation")
    data["schema_version"] = 1
    assert [e.organisation for e in parse_document(data, "old.json").engagements] == ["みどり野市"] * 2

    data["engagements"][1] = {"organization_missing": True}  # the step cannot handle it
    with pytest.raises(InvalidData) as err:
        parse_document(data, "old.json")
    assert "engagements[1]" in err.value.message("en")


def test_exports_are_private(tmp_path: Path) -> None:
    db = tmp_path / "db"
    open_store(db).import_document(rich_document(1))
    out = tmp_path / "out.json"
    assert run("--db", str(db), "export", "--format", "json", "-o", str(out)) == 0
    assert file_mode(out) == 0o600  # personal data: never group/world readable, let alone writable


# ----- the JSON Schema ------------------------------------------------------------------------

def schema_problems(value: Any, schema: dict[str, Any]) -> set[tuple[str, str]]:
    """Where `value` breaks `schema` and which keyword it breaks ("$.engagements[0].role", "enum");
    formats (date) are checked too, as a strict reader would."""
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    return {(error.json_path, str(error.validator)) for error in validator.iter_errors(value)}


def schema_from_cli(capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    assert run("schema") == 0
    return json.loads(capsys.readouterr().out)


def test_the_schema_printed_by_the_cli_validates_exports(capsys: pytest.CaptureFixture[str]) -> None:
    schema = schema_from_cli(capsys)
    assert schema == json_schema()
    assert schema["$schema"].endswith("2020-12/schema")
    assert schema["additionalProperties"] is False
    engagement_schema = schema["$defs"]["Engagement"]
    assert set(engagement_schema["required"]) == {"person", "role", "organisation", "term_start", "term_end"}
    assert set(engagement_schema["properties"]) == set(engagement_data()) | {
        "revision", "appointment_type", "term_history", "after_term", "closure", "handover"}

    exported = rich_document(3).model_dump(mode="json")
    Draft202012Validator.check_schema(schema)
    assert schema_problems(exported, schema) == set()

    # The schema is not a rubber stamp: it refuses what the model refuses.
    broken = json.loads(json.dumps(exported))
    broken["engagements"][0]["role"] = "mayor"
    broken["engagements"][1]["person"]["nickname"] = "はな"
    broken["engagements"][2]["items"][0]["due"] = "2027/3/31"  # the document stores ISO dates
    del broken["engagements"][2]["organisation"]
    assert schema_problems(broken, schema) == {
        ("$.engagements[0].role", "enum"),
        ("$.engagements[1].person", "additionalProperties"),  # an unknown key is its object's problem
        # a date or null, and a string not in ISO form is neither: only with formats checked
        ("$.engagements[2].items[0].due", "anyOf"),
        ("$.engagements[2]", "required"),  # and so is a missing one
    }


def test_the_schema_validates_the_demo(capsys: pytest.CaptureFixture[str]) -> None:
    schema = schema_from_cli(capsys)
    demo = json.loads(demo_file().read_bytes())
    # The demo is hand-written, so its dates may be typed as users type them; the schema
    # describes what an export holds, so validate the demo as xtalent writes it back.
    as_exported = load_document(demo_file()).model_dump(mode="json")
    assert schema_problems(as_exported, schema) == set()
    assert len(demo["engagements"]) == len(as_exported["engagements"])


@pytest.mark.parametrize("version", ["2", 2.0, "1", 1.0, True, None, [1]])
def test_a_schema_version_that_is_not_a_plain_integer_is_refused(version: Any) -> None:
    # Found by fuzzing: the model coerced "2" and 2.0 to 2, slipping past the newer-schema check.
    data = doc_dict(1)
    data["schema_version"] = version
    with pytest.raises(InvalidData) as err:
        parse_document(data, "doc.json")
    assert "schema_version" in err.value.message("en")


def test_a_version_1_document_gets_its_appointment_type_from_role_and_contract_form() -> None:
    cases = {
        ("regional_info_advisor", "ministry_dispatch"): "regional_info_advisor",
        ("regional_entrepreneur", "side_job"): "kigyo_side_job",
        ("regional_entrepreneur", "secondment"): "kigyo_company",
        ("advisor", "fiscal_year_appointee"): "fiscal_year_appointee",
        ("cdo", "special_part_time"): "special_part_time",
        ("policy_counselor", "outsourcing"): "outsourcing",
        ("cdo_deputy", "fixed_term"): "other",
    }
    data = doc_dict(len(cases))
    data["schema_version"] = 1
    for engagement, (role, form) in zip(data["engagements"], cases):
        engagement.pop("appointment_type", None)
        engagement.update(role=role, contract_form=form)
    document = parse_document(data, "v1.json")
    assert document.schema_version == migrations.SCHEMA_VERSION
    assert [e.appointment_type for e in document.engagements] == list(cases.values())
    assert all(e.closure is None and e.term_history == [] and e.after_term is None for e in document.engagements)
