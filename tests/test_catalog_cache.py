"""The parsed catalog kept in the user's cache folder: used only for the same code version
(which digests the message files), never written into the installed package."""

import json
from pathlib import Path

import pytest

from xtalent import i18n
from xtalent.codeversion import digest_of
from xtalent.i18n import CACHE_NAME, catalog, load_catalog, parse_catalog

MESSAGES = Path(i18n.__file__).with_name("messages")


def folder_with(tmp_path: Path, **files: str) -> Path:
    folder = tmp_path / "messages"
    folder.mkdir(exist_ok=True)
    for name, text in files.items():
        (folder / f"{name}.toml").write_text(text, encoding="utf-8")
    return folder


def key(folder: Path) -> str:
    return digest_of(folder, "0.1.0")


def test_the_app_catalog_is_exactly_the_toml_files() -> None:
    assert catalog() == parse_catalog(p for p in MESSAGES.iterdir() if p.suffix == ".toml")


def test_the_app_keeps_its_cache_in_the_user_cache_folder_not_the_package(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("XTALENT_CACHE", str(tmp_path / "user-cache"))
    before = sorted(p.name for p in MESSAGES.rglob("*"))
    catalog.cache_clear()
    try:
        catalog()
    finally:
        catalog.cache_clear()
    assert (tmp_path / "user-cache" / CACHE_NAME).is_file()
    assert sorted(p.name for p in MESSAGES.rglob("*")) == before


def test_the_cache_is_written_and_then_used(tmp_path: Path) -> None:
    folder = folder_with(tmp_path, a='[x]\nhello = { ja = "こんにちは", en = "hello" }\n')
    cache = tmp_path / "cache"
    assert load_catalog(folder, cache, key(folder)) == {"x.hello": {"ja": "こんにちは", "en": "hello"}}
    document = json.loads((cache / CACHE_NAME).read_text(encoding="utf-8"))
    # Prove the second load reads the cache: change the message only there.
    document["messages"]["x.hello"]["en"] = "from the cache"
    (cache / CACHE_NAME).write_text(json.dumps(document), encoding="utf-8")
    assert load_catalog(folder, cache, key(folder))["x.hello"]["en"] == "from the cache"


def test_an_edited_file_is_another_code_version_and_is_parsed_again(tmp_path: Path) -> None:
    folder = folder_with(tmp_path, a='[x]\nhello = { ja = "やあ", en = "hi" }\n')
    cache = tmp_path / "cache"
    load_catalog(folder, cache, key(folder))
    # Same size, same second: only the bytes differ (an mtime/size key would miss this).
    (folder / "a.toml").write_text('[x]\nhello = { ja = "やあ", en = "HI" }\n', encoding="utf-8")
    assert load_catalog(folder, cache, key(folder))["x.hello"]["en"] == "HI"


def test_a_new_file_or_another_release_is_parsed_again(tmp_path: Path) -> None:
    folder = folder_with(tmp_path, a='[x]\nhello = { ja = "やあ", en = "hi" }\n')
    cache = tmp_path / "cache"
    load_catalog(folder, cache, key(folder))
    (folder / "b.toml").write_text('[y]\nbye = { ja = "またね", en = "bye" }\n', encoding="utf-8")
    assert set(load_catalog(folder, cache, key(folder))) == {"x.hello", "y.bye"}
    assert digest_of(folder, "0.1.0") != digest_of(folder, "0.2.0")


@pytest.mark.parametrize("content", [b"", b"{not json", b"[]", b'{"format": 2}', b"\xff\xfe"])
def test_a_damaged_cache_is_ignored_and_replaced(tmp_path: Path, content: bytes) -> None:
    folder = folder_with(tmp_path, a='[x]\nhello = { ja = "やあ", en = "hi" }\n')
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / CACHE_NAME).write_bytes(content)
    assert load_catalog(folder, cache, key(folder))["x.hello"]["ja"] == "やあ"
    assert json.loads((cache / CACHE_NAME).read_bytes())["messages"]["x.hello"]["ja"] == "やあ"


def test_an_unwritable_cache_folder_still_gives_the_catalog(tmp_path: Path) -> None:
    folder = folder_with(tmp_path, a='[x]\nhello = { ja = "やあ", en = "hi" }\n')
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache folder would be")
    assert load_catalog(folder, blocker, key(folder))["x.hello"]["en"] == "hi"
    assert not list(tmp_path.glob("**/.catalog.json.*.tmp"))


def test_a_key_defined_twice_is_still_an_error(tmp_path: Path) -> None:
    folder = folder_with(
        tmp_path,
        a='[x]\nhello = { ja = "やあ", en = "hi" }\n',
        b='[x]\nhello = { ja = "こんにちは", en = "hello" }\n',
    )
    with pytest.raises(i18n.CatalogError, match="defined twice"):
        load_catalog(folder, tmp_path / "cache", key(folder))
    assert not (tmp_path / "cache" / CACHE_NAME).exists()


def test_the_apps_key_changes_with_the_messages_the_parser_and_the_release(tmp_path: Path, monkeypatch) -> None:
    import xtalent

    folder = folder_with(tmp_path, a='[x]\nhello = { ja = "やあ", en = "hi" }\n')
    first = i18n.catalog_key(folder)
    assert i18n.catalog_key(folder) == first
    # A message edited (same size, same second).
    (folder / "a.toml").write_text('[x]\nhello = { ja = "やあ", en = "HI" }\n', encoding="utf-8")
    edited = i18n.catalog_key(folder)
    assert edited != first
    # The code that parses them (i18n.py) changed.
    parser = tmp_path / "i18n.py"
    parser.write_bytes(Path(i18n.__file__).read_bytes() + b"\n# changed\n")
    monkeypatch.setattr(i18n, "__file__", str(parser))
    assert i18n.catalog_key(folder) != edited
    monkeypatch.undo()
    # Another release.
    monkeypatch.setattr(xtalent, "__version__", "99.0.0")
    assert i18n.catalog_key(folder) != edited


def test_the_app_catalog_is_read_from_a_cache_keyed_by_catalog_key(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("XTALENT_CACHE", str(tmp_path / "user-cache"))
    catalog.cache_clear()
    try:
        catalog()
    finally:
        catalog.cache_clear()
    document = json.loads((tmp_path / "user-cache" / CACHE_NAME).read_bytes())
    assert document["key"] == i18n.catalog_key(MESSAGES)
