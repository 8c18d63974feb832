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
    # The file's validator and the engagement's (the records' built once for both,
    # models.build_file_validators): no settings model, no appointment type.
    records = ["ChangeTarget", "KnowHowItem", "LogEntry", "ReceivingStaff"]
    assert found == {"code": 0, "built": sorted(["Engagement", "StoredFile", *records])}


def test_with_a_settings_file_the_settings_are_validated(tmp_path: Path) -> None:
    db = tmp_path / "db"
    document = load_document(demo_file())
    Store.open(db).import_document(document)
    settings = tmp_path / "settings.toml"
    settings.write_text("[pitfalls]\nstalled_days = 30\n", encoding="utf-8")
    found = export_built(db, settings, document.engagements[0].id)
    assert found["code"] == 0 and "Settings" in found["built"]
