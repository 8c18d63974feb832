"""The code version (codeversion.py), part of every cache's key: the digest covers exactly the
package's sources and message files, in one order, whatever walks them."""

import hashlib
from pathlib import Path

from xtalent.codeversion import PACKAGE, digest_of


def by_definition(folder: Path, version: str) -> str:
    """The digest as first written: every .py and .toml under the folder but byte code, in the
    order of their relative paths' parts."""
    digest = hashlib.sha256(version.encode() + b"\0")
    for path in sorted(p for p in folder.rglob("*") if p.suffix in (".py", ".toml") and "__pycache__" not in p.parts):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return f"{version}+{digest.hexdigest()[:16]}"


def test_the_digest_is_the_definitions_and_covers_only_sources(tmp_path: Path) -> None:
    names = ["a.py", "a/b.py", "a-b.py", "a_b/c.toml", "a.b/d.py", "__pycache__/x.py", "z/__pycache__/y.py",
             "x.pyc", "notes.txt", ".py", "messages/ja.toml"]
    for n, name in enumerate(names):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(f"# {n}\n".encode())
    assert digest_of(tmp_path, "0.1.0") == by_definition(tmp_path, "0.1.0")
    before = digest_of(tmp_path, "0.1.0")
    for ignored in ("__pycache__/x.py", "x.pyc", "notes.txt"):
        (tmp_path / ignored).write_bytes(b"changed")
    assert digest_of(tmp_path, "0.1.0") == before
    (tmp_path / "a/b.py").write_bytes(b"# 99\n")  # the same size, as an edit can be
    assert digest_of(tmp_path, "0.1.0") != before
    assert digest_of(tmp_path, "0.1.0") == by_definition(tmp_path, "0.1.0")


def test_the_packages_digest_is_the_definitions() -> None:
    assert digest_of(PACKAGE, "0.1.0") == by_definition(PACKAGE, "0.1.0")
