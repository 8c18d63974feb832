"""Privacy: private files, and errors that never repeat the personal data they reject."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from test_store_support import TODAY, engagement_data, file_mode, open_store, rich_document
from xtalent.cli import main
from xtalent.errors import InvalidData, XtalentError, from_validation_error
from xtalent.interchange import loads_document
from xtalent.models import Engagement, Person

SECRET_NAME = "極秘山田花子"
SECRET_EMAIL = "hanako.yamada.secret@example.jp"
SECRETS = (SECRET_NAME, SECRET_EMAIL, "hanako", "yamada")


def assert_no_secret(text: str) -> None:
    lowered = text.lower()
    for secret in SECRETS:
        assert secret.lower() not in lowered, f"{secret!r} echoed in: {text}"


def _set(data: dict[str, Any], path: tuple[Any, ...], value: Any) -> None:
    for part in path[:-1]:
        data = data[part]
    data[path[-1]] = value


REJECTED = {
    "email_too_long": (("person", "email"), SECRET_EMAIL * 10),
    "name_too_long": (("person", "name"), SECRET_NAME * 40),
    "name_not_text": (("person", "name"), [SECRET_NAME, SECRET_EMAIL]),
    "role_not_a_choice": (("role",), SECRET_NAME),
    "date_unreadable": (("term_start",), f"{SECRET_NAME}の誕生日"),
    "date_no_such_day": (("term_end",), "2027/2/30"),
    "id_pattern": (("id",), "Hanako.Yamada"),
    "number_not_a_number": (("log", 0, "minutes"), SECRET_EMAIL),
    "notes_too_long": (("notes",), (SECRET_NAME + SECRET_EMAIL) * 60),
    "staff_name_object": (("staff", 0, "name"), {"full": SECRET_NAME}),
    "unknown_field_value": (("person", "nickname"), SECRET_EMAIL),
    "evidence_empty_with_secret_elsewhere": (("items", 0, "evidence", 0), {"on": SECRET_NAME, "note": ""}),
}


@pytest.mark.parametrize("case", sorted(REJECTED))
def test_validation_errors_do_not_echo_rejected_personal_data(case: str, tmp_path: Path, capsys) -> None:
    path, value = REJECTED[case]
    data = engagement_data()
    _set(data, path, value)
    with pytest.raises(ValidationError) as raw:
        Engagement.model_validate(data)
    error = from_validation_error(raw.value, "input.json")
    for lang in ("ja", "en"):
        assert_no_secret(error.message(lang))
    assert_no_secret(str(error))
    assert_no_secret(repr(error.params))
    assert_no_secret(repr(error.problems))

    # The same through the CLI: nothing on stdout or stderr repeats it.
    source = tmp_path / "input.json"
    source.write_text(json.dumps({"engagements": [data]}, ensure_ascii=False), encoding="utf-8")
    for lang in ("ja", "en"):
        assert main(["--lang", lang, "--db", str(tmp_path / "db"), "import", str(source)], today=TODAY) == 2
        captured = capsys.readouterr()
        assert_no_secret(captured.out + captured.err)
        assert "engagements[0]" in captured.err


def test_assignment_errors_do_not_echo_either() -> None:
    person = Person(name="佐藤 花子")
    with pytest.raises(ValidationError) as raw:
        person.email = SECRET_EMAIL * 10
    assert_no_secret(from_validation_error(raw.value, "form").message("en"))


def test_an_unknown_key_is_shown_shortened_and_escaped() -> None:
    data = {"engagements": [engagement_data()]}
    data["engagements"][0]["\x1b[2J" + "x" * 100] = 1  # a terminal escape in a key of the file
    with pytest.raises(InvalidData) as err:
        loads_document(json.dumps(data))
    message = err.value.message("en")
    assert "\x1b" not in message and "x" * 30 not in message
    assert "is not a known field" in message


def test_a_stored_file_with_bad_content_is_reported_without_its_content(tmp_path: Path) -> None:
    db = tmp_path / "db"
    store = open_store(db)
    store.save(Engagement.model_validate(engagement_data()))
    path = db / "engagements" / "en-sato.json"
    stored = json.loads(path.read_bytes())
    stored["engagement"]["1"]["person"]["email"] = SECRET_EMAIL * 10
    stored["engagement"]["1"]["role"] = SECRET_NAME
    path.write_text(json.dumps(stored, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(XtalentError) as err:
        open_store(db).get("en-sato")
    for lang in ("ja", "en"):
        message = err.value.message(lang)
        assert_no_secret(message)
        assert "person.email" in message and "role" in message


# ----- file modes -----------------------------------------------------------------------------


def test_database_lock_and_backups_are_created_private_by_the_cli(tmp_path: Path, capsys) -> None:
    source = tmp_path / "doc.json"
    source.write_text(json.dumps(rich_document(2).model_dump(mode="json"), ensure_ascii=False), encoding="utf-8")
    db = tmp_path / "new" / "db"
    old = os.umask(0o000)  # a careless umask must not leak into what we create
    try:
        assert main(["--db", str(db), "import", str(source)], today=TODAY) == 0
        assert main(["--db", str(db), "import", "--replace", str(source)], today=TODAY) == 0  # makes a backup
        assert main(["--db", str(db), "backup"], today=TODAY) == 0
    finally:
        os.umask(old)
    files = [p for p in db.rglob("*") if p.is_file()]
    assert {p.name for p in files} >= {"xtalent.json", ".lock", "en-1.json", "en-2.json"}
    assert any(p.parent.name == "backups" for p in files)
    for path in files:
        assert file_mode(path) == 0o600, path
    for path in [db, *(p for p in db.rglob("*") if p.is_dir())]:
        assert file_mode(path) == 0o700, path


def test_exports_are_never_world_writable(tmp_path: Path, capsys) -> None:
    db = tmp_path / "db"
    open_store(db).import_document(rich_document(1))
    out = tmp_path / "export.json"
    out.write_text("old")
    out.chmod(0o666)  # an earlier file anyone could write
    old = os.umask(0o000)
    try:
        assert main(["--db", str(db), "export", "--format", "json", "--force", "-o", str(out)], today=TODAY) == 0
    finally:
        os.umask(old)
    assert file_mode(out) & 0o022 == 0
    assert file_mode(out) == 0o600
