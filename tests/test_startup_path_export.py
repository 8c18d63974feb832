"""`xtalent export ID --format md` loads what a Markdown checklist needs and nothing else.

Not a timing test (bench/run.py and bench/export_steps.py measure): it checks which modules the
command loads in a fresh process, so a stray top-level import (another format's writer, the
terminal-width tables) is caught here.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

from xtalent.interchange import load_document
from xtalent.paths import demo_file
from xtalent.store import Store

ROOT = Path(__file__).resolve().parent.parent

EXPORT = r"""
import json, os, sys
from xtalent.cli import main
code = main(["--db", sys.argv[1], "--today", "2026-11-23", "--lang", "ja", "export", sys.argv[2], "--format", "md", "-o", sys.argv[3]])
print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""

# Other formats' modules and writers, and rich's cell-width tables (views.text imports them
# where it measures: a checklist in Markdown measures nothing).
NOT_NEEDED = (
    "xtalent.export.csv", "xtalent.export.xlsx", "xtalent.export.html", "xtalent.export.ics", "xtalent.export.json",
    "xtalent.export.handover", "xtalent.export.dispatch", "xlsxwriter", "icalendar", "rich", "xtalent.textwidth",
    "xtalent.overview", "xtalent.interchange", "textual",
)


def test_a_markdown_export_of_one_engagement_loads_no_other_format(tmp_path: Path) -> None:
    db = tmp_path / "db"
    store = Store.open(db)
    store.import_document(load_document(demo_file()))
    eid = store.engagements()[0].id
    out = tmp_path / "checklist.md"
    env = {"XTALENT_CONFIG": str(tmp_path / "no-settings.toml"), "XTALENT_CACHE": str(tmp_path / "cache")}
    result = subprocess.run([sys.executable, "-c", EXPORT, str(db), eid, str(out)], capture_output=True, text=True,
                            cwd=ROOT, timeout=120, env={**os.environ, **env})
    assert result.returncode == 0, result.stderr[-2000:]
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert found["code"] == 0 and out.read_text(encoding="utf-8").startswith("# ")
    assert "xtalent.export.md" in found["modules"]
    assert [m for m in NOT_NEEDED if m in found["modules"]] == []

