"""`xtalent check --format json` from the findings kept by engagement file (views/rowcache.current_check):
the same bytes and exit code as a check of every file, fresh for whatever changed."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from xtalent.cli import main
from xtalent.cli.check import SEVERITIES
from xtalent.pitfalls import Severity
from xtalent.store import Store
from xtalent.views import rowcache

from tui_support import demo_store

TODAY = date(2026, 11, 23)
TAMPERED = "キャッシュの所見"


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return demo_store(tmp_path)  # the demo as imported, copied (imported once per process)


def checked(store: Store, capsys: pytest.CaptureFixture[str], *args: str, today: date = TODAY, lang: str = "ja",
            config: Path | None = None) -> tuple[int, str]:
    capsys.readouterr()
    options = ["--config", str(config)] if config else []
    code = main(["--db", str(store.root), "--lang", lang, "--today", today.isoformat(), *options,
                 "check", "--format", "json", *args])
    return code, capsys.readouterr().out


def from_scratch(store: Store, capsys: pytest.CaptureFixture[str], *args: str, **kwargs) -> tuple[int, str]:
    """What check prints reading every file: no kept findings before, none left after."""
    rowcache.check_path(store.root).unlink(missing_ok=True)
    result = checked(store, capsys, *args, **kwargs)
    rowcache.check_path(store.root).unlink(missing_ok=True)
    return result


def read_kept(path: Path) -> dict:
    """The kept findings as one document: its first line (JSON) with each entry's last part, the
    length of its findings' text, replaced by that text, taken from the rest of the file in turn."""
    head, _, texts = path.read_bytes().partition(b"\n")
    data = json.loads(head)
    at = 0
    for entry in data["rows"].values():
        length = entry["rows"][-1]
        entry["rows"][-1] = texts[at:at + length].decode("utf-8")
        at += length
    assert at == len(texts)
    return data


def write_kept(path: Path, data: dict) -> None:
    texts = [entry["rows"][-1].encode("utf-8") for entry in data["rows"].values()]
    for entry, text in zip(data["rows"].values(), texts):
        entry["rows"][-1] = len(text)
    path.write_bytes(json.dumps(data, ensure_ascii=False).encode("utf-8") + b"\n" + b"".join(texts))


def tamper(store: Store) -> None:
    """Kept findings whose messages say what the engagements do not: reusing them anywhere they
    do not belong would show."""
    path = rowcache.check_path(store.root)
    data = read_kept(path)
    for entry in data["rows"].values():
        text = entry["rows"][-1]
        if text:
            items = json.loads("[" + text + "]")
            for item in items:
                item["message"] = TAMPERED
            entry["rows"][-1] = json.dumps(items, ensure_ascii=False, indent=2)[2:-2]
    write_kept(path, data)


def no_file_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Store, "scan", lambda *a, **k: pytest.fail("an engagement was read"))


@pytest.mark.parametrize("args", [(), ("--fail-on", "warning"), ("--fail-on", "info")])
def test_kept_findings_print_the_bytes_and_exit_code_of_a_check_of_every_file(store, capsys, monkeypatch, args) -> None:
    expected = from_scratch(store, capsys, *args)
    assert json.loads(expected[1])  # the demo has findings: the comparison says something
    assert checked(store, capsys, *args) == expected  # the first run keeps them …
    with monkeypatch.context() as patched:
        no_file_read(patched)
        assert checked(store, capsys, *args) == expected  # … the next reads no engagement


def test_kept_findings_are_what_is_printed(store, capsys) -> None:
    checked(store, capsys)
    tamper(store)
    assert TAMPERED in checked(store, capsys)[1]  # proof that the kept findings are read at all


def test_an_edited_engagement_is_checked_again_and_only_its_file_is_read(store, capsys, monkeypatch) -> None:
    checked(store, capsys)
    tamper(store)
    eid = "en-2025-sanyo-mochizuki"
    saved = store.get(eid)
    store.save(saved.model_copy(update={"person": saved.person.model_copy(update={"name": "改名"})}))
    read: list = []
    real_scan = Store.scan
    monkeypatch.setattr(Store, "scan", lambda self, ids=None, **k: read.append(ids) or real_scan(self, ids, **k))
    code, out = checked(store, capsys)
    assert read == [[eid]]
    items = json.loads(out)
    edited = [item for item in items if item["engagement_id"] == eid]
    assert edited and all(item["message"] != TAMPERED for item in edited)
    assert all(item["message"] == TAMPERED for item in items if item["engagement_id"] != eid)
    monkeypatch.undo()
    fresh = [item for item in json.loads(from_scratch(store, capsys)[1]) if item["engagement_id"] == eid]
    assert edited == fresh


def test_a_deleted_engagement_leaves_the_output(store, capsys) -> None:
    checked(store, capsys)
    gone = store.get("en-2025-sanyo-mochizuki")
    store.delete(gone.id, gone.revision)
    code, out = checked(store, capsys)
    assert gone.id not in {item["engagement_id"] for item in json.loads(out)}
    assert (code, out) == from_scratch(store, capsys)


@pytest.mark.parametrize("state", ["day", "lang", "file", "code"])
def test_kept_findings_of_another_state_give_the_new_states(store, capsys, monkeypatch, tmp_path: Path, state: str) -> None:
    kwargs: dict = {}
    if state == "day":
        kwargs["today"] = TODAY + timedelta(days=200)  # terms end, findings change
    elif state == "lang":
        kwargs["lang"] = "en"
    elif state == "file":
        path = tmp_path / "s.toml"
        path.write_text("[pitfalls]\nterm_ending_days = 400\nstalled_days = 10\n", encoding="utf-8")
        kwargs["config"] = path
    expected = from_scratch(store, capsys, **kwargs)
    if state != "code":
        assert expected != from_scratch(store, capsys)  # the state matters to what is printed
    checked(store, capsys)  # kept for today, ja, no settings file …
    tamper(store)
    if state == "code":
        monkeypatch.setattr(rowcache, "code_version", lambda: "0.1.0+an-upgrade")
    got = checked(store, capsys, **kwargs)
    assert TAMPERED not in got[1]
    if state != "code":
        assert got == expected
    else:  # the new code's findings are today's, from the files
        monkeypatch.undo()
        assert got == from_scratch(store, capsys)


def test_an_organisation_and_a_named_engagement_are_served_alike(store, capsys, monkeypatch) -> None:
    other = store.get("en-2026-adv-todo")
    store.save(other.model_copy(update={"organisation": "あおば町"}))
    for args in (("--org", "あおば町"), ("--org", "みどり野市"), ("--org", "どこにもない村"), ("en-2026-adv-todo",),
                 ("en-2024-cdoh-sakuraba",)):
        expected = from_scratch(store, capsys, *args)
        checked(store, capsys, *args)
        with monkeypatch.context() as patched:
            if len(args) == 2:
                no_file_read(patched)
            assert checked(store, capsys, *args) == expected
    ids = {item["engagement_id"] for item in json.loads(from_scratch(store, capsys, "--org", "あおば町")[1])}
    assert ids == {"en-2026-adv-todo"}
    assert checked(store, capsys, "en-2024-cdoh-sakuraba")[1] == "[]\n"  # closed: a record, no findings


def test_a_settings_file_that_cannot_be_used_is_refused_even_with_kept_findings(store, capsys, tmp_path: Path) -> None:
    checked(store, capsys)
    bad = tmp_path / "bad.toml"
    bad.write_text("[pitfalls]\nstalled_days = 'never'\n", encoding="utf-8")
    assert checked(store, capsys, config=bad)[0] == 2


@pytest.mark.parametrize("content", [b"", b"{", b"[]", b'{"format": 3}', b'{"rows": {"x": 1}}', "\xff".encode("latin-1")])
def test_damaged_kept_findings_are_ignored(store, capsys, content: bytes) -> None:
    expected = from_scratch(store, capsys)
    checked(store, capsys)
    rowcache.check_path(store.root).write_bytes(content)
    assert checked(store, capsys) == expected


@pytest.mark.parametrize("cut", [0.0, 0.01, 0.5, 0.99])
@pytest.mark.parametrize("zeros", [False, True])
def test_kept_findings_cut_short_or_zeroed_are_ignored(store, capsys, cut: float, zeros: bool) -> None:
    # What a power cut may leave of a cache written without fsync (atomic.replace_derived): the
    # file cut anywhere (its key whole or not), or of its full length but not its bytes.
    expected = from_scratch(store, capsys)
    checked(store, capsys)
    path = rowcache.check_path(store.root)
    whole = path.read_bytes()
    path.write_bytes(bytes(len(whole)) if zeros else whole[:int(len(whole) * cut)])
    assert checked(store, capsys) == expected
    assert path.read_bytes() == whole  # and kept again


@pytest.mark.parametrize("edit", ["text longer", "length not a number", "length negative"])
def test_kept_findings_whose_lengths_and_texts_disagree_are_ignored(store, capsys, edit: str) -> None:
    expected = from_scratch(store, capsys)
    checked(store, capsys)
    path = rowcache.check_path(store.root)
    if edit == "text longer":
        path.write_bytes(path.read_bytes() + b"\n")
    else:
        head, _, texts = path.read_bytes().partition(b"\n")
        data = json.loads(head)
        entry = next(entry for entry in data["rows"].values() if entry["rows"][-1])
        entry["rows"][-1] = str(entry["rows"][-1]) if edit == "length not a number" else -entry["rows"][-1]
        path.write_bytes(json.dumps(data, ensure_ascii=False).encode("utf-8") + b"\n" + texts)
    assert checked(store, capsys) == expected


def test_the_severity_ranks_check_compares_are_the_rules(store) -> None:
    assert [Severity(name).rank for name in SEVERITIES] == list(range(len(SEVERITIES)))
