"""What a whole command builds: `xtalent export ID` validates one engagement file and nothing else.

Not a timing test (bench/run.py measures `export ID` as a user runs it): it checks which pydantic
models a fresh process built, so a model validated at import (the settings' defaults, the
built-in appointment types: building a validator is ~5-30 ms each) is caught here.
"""

import json
import subprocess
import sys
from pathlib import Path

from xtalent.interchange import load_document
from xtalent.paths import demo_file
from xtalent.store import Store

ROOT = Path(__file__).resolve().parent.parent

EXPORT = r"""
import json, os, sys
os.environ["XTALENT_CONFIG"] = sys.argv[2]
from xtalent.cli import main
out = sys.stdout
sys.stdout = open(os.devnull, "w")
code = main(["--db", sys.argv[1], "--today", "2026-11-23", "--lang", "ja", "export", sys.argv[3], "--format", "md"])
sys.stdout = out
import pydantic
built = sorted({name for module in list(sys.modules.values()) if (module.__name__ or "").startswith("xtalent")
                for name, c in vars(module).items()
                if isinstance(c, type) and issubclass(c, pydantic.BaseModel) and c.__pydantic_complete__})
print(json.dumps({"code": code, "built": built}))
"""


def export_built(db: Path, config: Path, engagement: str) -> dict:
    out = subprocess.run([sys.executable, "-c", EXPORT, str(db), str(config), engagement],
                         capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_export_of_one_engagement_builds_only_the_validators_of_its_file(tmp_path: Path) -> None:
    db = tmp_path / "db"
    document = load_document(demo_file())
    Store.open(db).import_document(document)
    found = export_built(db, tmp_path / "no-settings.toml", document.engagements[0].id)
    # The file's validator, which holds the engagement's row (the records' built first, once,
    # models.build_file_validators): not the engagement's own, no settings model, no appointment type.
    records = ["ChangeTarget", "KnowHowItem", "LogEntry", "ReceivingStaff"]
    assert found == {"code": 0, "built": sorted(["StoredFile", *records])}


def test_with_a_settings_file_the_settings_are_validated(tmp_path: Path) -> None:
    db = tmp_path / "db"
    document = load_document(demo_file())
    Store.open(db).import_document(document)
    settings = tmp_path / "settings.toml"
    settings.write_text("[pitfalls]\nstalled_days = 30\n", encoding="utf-8")
    found = export_built(db, settings, document.engagements[0].id)
    assert found["code"] == 0 and "Settings" in found["built"]


# ----- the employee records an export of some engagements carries -----------------------------

def _people_store(tmp_path: Path):
    from tui_support import demo_store

    store = demo_store(tmp_path)
    path = store.root / "people.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    ids = [e["id"] for e in data["employees"]]
    data["distinct"] = [[ids[1], ids[3]], [ids[0], ids[2]]]  # two merge proposals the user rejected
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    registry = store.people()
    assert len(registry.employees) > 3 and len(registry.distinct) == 2
    return store, registry


def test_only_the_named_records_are_read_and_they_are_the_whole_files_records(tmp_path: Path) -> None:
    store, registry = _people_store(tmp_path)
    wanted = {registry.employees[1].id, registry.employees[3].id, "em-00000000"}  # one no record has
    only = store.people(only=wanted)
    assert only.employees == [e for e in registry.employees if e.id in wanted]
    assert only.distinct == registry.distinct and only.revision == registry.revision
    assert store.people(only=()).employees == []


def test_an_export_carries_the_same_records_as_from_the_whole_registry(tmp_path: Path) -> None:
    from datetime import date

    from xtalent.export import export_checklist
    from xtalent.people import named_employees

    store, registry = _people_store(tmp_path)
    for engagement in store.engagements():
        only = store.people(only=named_employees([engagement]))
        whole = export_checklist([engagement], "json", date(2026, 11, 23), "ja", people=registry)
        assert export_checklist([engagement], "json", date(2026, 11, 23), "ja", people=only) == whole


def _damage_employee(store, index: int) -> None:
    path = store.root / "people.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["employees"][index]["name"] = ""  # a name is required
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def test_a_damaged_record_asked_for_is_named_where_it_is_in_the_file(tmp_path: Path) -> None:
    import pytest

    from xtalent.store import StoreError

    store, registry = _people_store(tmp_path)
    _damage_employee(store, 3)
    with pytest.raises(StoreError) as whole:
        store.people()
    with pytest.raises(StoreError) as only:
        store.people(only={registry.employees[3].id})
    assert only.value.message("en") == whole.value.message("en")
    assert "employees[3]" in whole.value.message("en") or "employees.3" in whole.value.message("en")


def test_a_damaged_record_not_asked_for_is_not_read(tmp_path: Path) -> None:
    # As an export of one engagement does not read another engagement's file.
    store, registry = _people_store(tmp_path)
    _damage_employee(store, 3)
    assert store.people(only={registry.employees[1].id}).employees == [registry.employees[1]]


def test_a_file_of_the_wrong_shape_is_refused_whatever_is_asked(tmp_path: Path) -> None:
    import pytest

    from xtalent.store import StoreError

    store, registry = _people_store(tmp_path)
    path = store.root / "people.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["employees"].append("not a record")
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(StoreError):
        store.people(only={registry.employees[1].id})


CHECK_JSON = r"""
import json, os, sys
os.environ["XTALENT_CONFIG"] = sys.argv[2]
from xtalent.cli import main
out = sys.stdout
sys.stdout = open(os.devnull, "w")
code = main(["--db", sys.argv[1], "--today", "2026-11-23", "--lang", "ja", "check", "--format", "json"])
sys.stdout = out
print(json.dumps({"code": code, "text": sorted(name for name in ("xtalent.textwidth", "xtalent.cli.checktext", "rich")
                                                if name in sys.modules),
                  "rows": "xtalent.views.dashboard" in sys.modules}))
"""


def test_check_for_scripts_imports_neither_the_text_for_people_nor_the_dashboard(tmp_path: Path) -> None:
    # `check --format json` (scripts; the day's first check at a thousand engagements computes
    # every file before its first line) measures and wraps no text: cli/checktext.py does that.
    # Nor does it make a dashboard row, though its findings are kept beside them (views/rowcache.py).
    db = tmp_path / "db"
    Store.open(db).import_document(load_document(demo_file()))
    out = subprocess.run([sys.executable, "-c", CHECK_JSON, str(db), str(tmp_path / "no-settings.toml")],
                         capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    found = json.loads(out.stdout.strip().splitlines()[-1])
    assert found["code"] in (0, 1) and found["text"] == [] and found["rows"] is False
