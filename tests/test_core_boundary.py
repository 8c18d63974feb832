"""The core never imports the UI: everything the screens show is computable without a terminal."""

import subprocess
import sys
from pathlib import Path

import xtalent

CORE = Path(xtalent.__file__).parent


def core_modules() -> list[str]:
    names = []
    for path in sorted(CORE.rglob("*.py")):
        rel = path.relative_to(CORE.parent).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts.pop()
        if parts[-1] == "__main__":
            continue
        names.append(".".join(parts))
    return names


def test_importing_every_core_module_loads_no_ui() -> None:
    modules = core_modules()
    assert "xtalent.store" in modules and "xtalent.cli" in modules
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith(('textual.', 'screens', 'xtalent_screens')))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_building_the_cli_parser_loads_no_ui() -> None:
    code = (
        "import sys\n"
        "from xtalent.cli import build_parser\n"
        "build_parser()\n"
        "print(any(m == 'textual' or m.startswith(('textual.', 'screens', 'xtalent_screens')) for m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
