"""The parsed catalog kept beside the TOML files: used only while every file is unchanged."""

import json
import os
import sys
from pathlib import Path

import pytest

from xtalent import i18n
from xtalent.i18n import CACHE_NAME, catalog, load_catalog, parse_catalog

MESSAGES = Path(i18n.__file__).with_name("messages")


@pytest.fixture
def writes_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    # CI may run under PYTHONDONTWRITEBYTECODE, which (like for .pyc files) turns writing off.
    monkeypatch.setattr(sys, "dont_write_bytecode", False)


def folder_with(tmp_path: Path, **files: str) -> Path:
    folder = tmp_path / "messages"
    folder.mkdir()
    for name, text in files.items():
        (folder / f"{name}.toml").write_text(text, encoding="utf-8")
    return folder


def test_the_app_catalog_is_exactly_the_toml_files() -> None:
    assert catalog() == parse_catalog(p for p in MESSAGES.iterdir() if p.suffix == ".toml")


def test_the_cache_is_written_and_then_used(tmp_path: Path, writes_cache: None) -> None:
    folder = folder_with(tmp_path, a='[x]\nhello = { ja = "こんにちは", en = "hello" }\n')
    cache = tmp_path / "cache"
    assert load_catalog(folder, cache) == {"x.hello": {"ja": "こんにちは", "en": "hello"}}
    document = json.loads((cache / CACHE_NAME).read_text(encoding="utf-8"))
    # Prove the second load reads the cache: change the message only there.
    document["messages"]["x.hello"]["en"] = "from the cache"
    (cache / CACHE_NAME).write_text(json.dumps(document), encoding="utf-8")
    assert load_catalog(folder, cache)["x.hello"]["en"] == "from the cache"


def test_an_edited_file_is_parsed_again(tmp_path: Path, writes_cache: None) -> None:
    folder = folder_with(tmp_path, a='[x]\nhello = { ja = "やあ", en = "hi" }\n')
    cache = tmp_path / "cache"
    load_catalog(folder, cache)
    (folder / "a.toml").write_text('[x]\nhello = { ja = "こんにちは", en = "hello" }\n', encoding="utf-8")
    assert load_catalog(folder, cache)["x.hello"]["en"] == "hello"


def test_a_new_file_is_parsed_again(tmp_path: Path, writes_cache: None) -> None:
    folder = folder_with(tmp_path, a='[x]\nhello = { ja = "やあ", en = "hi" }\n')
    cache = tmp_path / "cache"
    load_catalog(folder, cache)
    (folder / "b.toml").write_text('[y]\nbye = { ja = "またね", en = "bye" }\n', encoding="utf-8")
    assert set(load_catalog(folder, cache)) == {"x.hello", "y.bye"}


@pytest.mark.parametrize("content", [b"", b"{not json", b"[]", b'{"format": 1}', b"\xff\xfe"])
def test_a_damaged_cache_is_ignored_and_replaced(tmp_path: Path, writes_cache: None, content: bytes) -> None:
    folder = folder_with(tmp_path, a='[x]\nhello = { ja = "やあ", en = "hi" }\n')
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / CACHE_NAME).write_bytes(content)
    assert load_catalog(folder, cache)["x.hello"]["ja"] == "やあ"
    assert json.loads((cache / CACHE_NAME).read_bytes())["messages"]["x.hello"]["ja"] == "やあ"


def test_no_cache_is_written_under_dont_write_bytecode(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    folder = folder_with(tmp_path, a='[x]\nhello = { ja = "やあ", en = "hi" }\n')
    assert load_catalog(folder, tmp_path / "cache")["x.hello"]["en"] == "hi"
    assert not (tmp_path / "cache").exists()


def test_an_unwritable_cache_folder_still_gives_the_catalog(tmp_path: Path, writes_cache: None) -> None:
    folder = folder_with(tmp_path, a='[x]\nhello = { ja = "やあ", en = "hi" }\n')
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache folder would be")
    assert load_catalog(folder, blocker)["x.hello"]["en"] == "hi"
    assert not list(tmp_path.glob("**/.catalog.json.*.tmp"))


def test_the_cache_is_readable_by_everyone(tmp_path: Path, writes_cache: None) -> None:
    # Shipped messages, nothing personal: a shared install's cache serves every user.
    folder = folder_with(tmp_path, a='[x]\nhello = { ja = "やあ", en = "hi" }\n')
    load_catalog(folder, tmp_path / "cache")
    assert os.stat(tmp_path / "cache" / CACHE_NAME).st_mode & 0o777 == 0o644


def test_a_key_defined_twice_is_still_an_error(tmp_path: Path, writes_cache: None) -> None:
    folder = folder_with(
        tmp_path,
        a='[x]\nhello = { ja = "やあ", en = "hi" }\n',
        b='[x]\nhello = { ja = "こんにちは", en = "hello" }\n',
    )
    with pytest.raises(i18n.CatalogError, match="defined twice"):
        load_catalog(folder, tmp_path / "cache")
    assert not (tmp_path / "cache" / CACHE_NAME).exists()
