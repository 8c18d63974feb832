"""The change log: every change appended with when, who and what changed; kept across
restarts and in backups; append-only and crash-safe."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest

from xtalent import edits
from xtalent.changelog import ChangeLog
from xtalent.editing import EditSession
from xtalent.interchange import load_document
from xtalent.store import Store

from test_editing import DAY, Clock, engagement


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store.open(tmp_path / "db", clock=lambda: datetime(2026, 11, 23, 1, 0).astimezone())


def session_of(store: Store, who: str = "tanaka") -> EditSession:
    return EditSession(store, clock=Clock(), who=who)


def test_every_kind_of_edit_is_logged_with_who_when_and_what(store: Store) -> None:
    s = session_of(store)
    s.create(engagement())
    s.apply("en-test", lambda e: e.model_copy(update={"sponsor": "市長"}), "edit.engagement_update", name="山田 太郎")
    s.apply("en-test", lambda e: edits.step_stage(e, "kh-1", "st-b", 1, DAY), "edit.stage_up",
            item="業務フロー図の描き方", staff="鈴木", stage="文書化")
    s.undo()
    s.redo()
    s.delete_engagement("en-test")
    entries = list(Store.open(store.root).changelog.entries())  # a new process: the log survived
    assert [e.action for e in entries] == ["create", "edit", "edit", "undo", "redo", "delete"]
    assert {e.who for e in entries} == {"tanaka"}
    assert entries[0].at.date() == date(2026, 11, 23) and entries[0].at.tzinfo is not None
    sponsor = entries[1].changes
    assert sponsor == [{"path": "sponsor", "before": "", "after": "市長"}]
    stage = [c for c in entries[2].changes if c["path"].endswith(".stage")]
    assert stage == [{"path": "items[kh-1].receivers[st-b].stage", "before": "not_started", "after": "documented",
                      "names": {"kh-1": "業務フロー図の描き方", "st-b": "鈴木"}}]  # the records as they were
    assert entries[3].changes and entries[3].description("ja").startswith("元に戻す")
    assert entries[5].subject == "山田 太郎"


def test_import_and_restore_are_logged(store: Store, tmp_path: Path) -> None:
    session_of(store).create(engagement())
    backup = store.backup_now()
    document = {"format": "xtalent", "schema_version": 1,
                "engagements": [engagement(id="en-other").model_dump(mode="json")]}
    source = tmp_path / "in.json"
    source.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    store.import_document(load_document(source))
    store.restore_backup(backup.name)
    actions = [(e.action, e.engagement) for e in store.changelog.entries()]
    assert actions == [("create", "en-test"), ("import", "en-other"), ("restore", "")]


def test_the_log_is_only_ever_appended_to(store: Store) -> None:
    s = session_of(store)
    s.create(engagement())
    before = store.changelog.path.read_bytes()
    s.apply("en-test", lambda e: e.model_copy(update={"notes": "x"}), "edit.engagement_update", name="x")
    after = store.changelog.path.read_bytes()
    assert after.startswith(before) and len(after) > len(before)
    assert store.changelog.path.stat().st_mode & 0o077 == 0  # personal data: owner only


def test_a_torn_last_line_is_skipped_and_the_next_entry_starts_clean(store: Store) -> None:
    s = session_of(store)
    s.create(engagement())
    with store.changelog.path.open("ab") as handle:
        handle.write(b'{"at": "2026-11-23T10:00:00+09:00", "who": "cra')  # a crash mid-write
    s.apply("en-test", lambda e: e.model_copy(update={"notes": "x"}), "edit.engagement_update", name="x")
    assert [e.action for e in store.changelog.entries()] == ["create", "edit"]


def test_per_engagement_and_newest_first(store: Store) -> None:
    s = session_of(store)
    s.create(engagement())
    s.create(engagement(id="en-two"))
    s.apply("en-test", lambda e: e.model_copy(update={"notes": "x"}), "edit.engagement_update", name="x")
    assert [e.action for e in store.changelog.newest("en-test")] == ["edit", "create"]
    assert len(store.changelog.newest()) == 3


def test_a_backup_holds_the_log_as_it_was(store: Store) -> None:
    session_of(store).create(engagement())
    later = Store.open(store.root)  # a new session: its first change is preceded by a snapshot
    s = session_of(later)
    s.apply("en-test", lambda e: e.model_copy(update={"notes": "x"}), "edit.engagement_update", name="x")
    manual = later.backup_now()
    s.create(engagement(id="en-three"))
    [snapshot] = [b.path for b in later.list_backups() if b.path.is_dir()]
    assert [e.action for e in ChangeLog(snapshot).entries()] == ["create"]  # as it was before the edit
    kept = manual.with_suffix(".changes.jsonl").read_bytes().decode().splitlines()
    assert [json.loads(line)["action"] for line in kept] == ["create", "edit"]
    assert [e.action for e in later.changelog.entries()] == ["create", "edit", "create"]


def test_the_cli_lists_the_log_per_engagement_and_by_who(store: Store, capsys) -> None:
    from test_store_support import run_cli

    session_of(store, "tanaka").create(engagement())
    session_of(store, "suzuki").create(engagement(id="en-two"))
    code, out, _ = run_cli(capsys, "--db", str(store.root), "history")
    assert code == 0 and "tanaka" in out and "suzuki" in out
    code, out, _ = run_cli(capsys, "--db", str(store.root), "history", "--who", "suzuki", "--format", "json")
    assert [c["engagement"] for c in json.loads(out)] == ["en-two"]
    code, out, _ = run_cli(capsys, "--db", str(store.root), "history", "en-test", "--format", "json")
    assert [c["who"] for c in json.loads(out)] == ["tanaka"]


@pytest.mark.parametrize("grows", [False, True])
def test_a_prepared_snapshot_holds_the_log_as_it_was_at_the_first_change(store: Store, monkeypatch, grows: bool) -> None:
    session_of(store).create(engagement())
    later = Store.open(store.root)
    monkeypatch.setattr(later.backups, "QUIET_SECONDS", 0.0)
    assert later.prepare_backup()  # the log is linked now, with its length
    if grows:  # a line appended after the snapshot was prepared, before our first change
        other = Store.open(store.root)
        other.backups.backed_up = True  # no snapshot of its own
        session_of(other).create(engagement(id="en-other"))
    s = session_of(later)
    s.apply("en-test", lambda e: e.model_copy(update={"notes": "x"}), "edit.engagement_update", name="x")
    [snapshot] = [b.path for b in later.list_backups() if b.path.is_dir()]
    assert [e.action for e in ChangeLog(snapshot).entries()] == (["create", "create"] if grows else ["create"])


@pytest.mark.parametrize(("lang", "stage", "role", "added"), [
    ("ja", "ノウハウ項目 / 「業務フロー図の描き方」 / 受け手 / 「鈴木」 / 段階: 未着手 → 文書化",
     "役職: CDO → アドバイザー", "相談記録 / 「定例」: 追加"),
    ("en", "Know-how item / 「業務フロー図の描き方」 / Receiver / 「鈴木」 / Stage: Not started → Documented",
     "Role: CDO → Advisor", "Log entry / 「定例」: added"),
])
def test_the_history_names_fields_and_values_in_the_catalogs_words(store: Store, lang: str, stage: str, role: str,
                                                                   added: str) -> None:
    from xtalent.models import LogEntry
    from xtalent.views.history import history_rows
    from xtalent.vocabulary import Role

    s = session_of(store)
    s.create(engagement())
    s.apply("en-test", lambda e: edits.step_stage(e, "kh-1", "st-b", 1, DAY), "edit.stage_up",
            item="業務フロー図の描き方", staff="鈴木", stage="文書化")
    s.apply("en-test", lambda e: e.model_copy(update={"role": Role.ADVISOR}), "edit.engagement_update", name="山田 太郎")
    s.apply("en-test", lambda e: edits.add_log(e, LogEntry(id="lg-new", on=DAY, topic="定例", minutes=30)),
            "edit.engagement_update", name="山田 太郎")
    added_row, role_row, stage_row = history_rows(store.changelog.newest(), lang)[:3]
    assert stage in stage_row.details and role_row.details == [role] and added_row.details == [added]
    # An entry written before entries named their records: named by the engagement as it is now.
    old = [{k: v for k, v in c.items() if k != "names"} for c in stage_row.change.changes]
    from dataclasses import replace

    (unnamed,) = history_rows([replace(stage_row.change, changes=old)], lang)
    assert "「kh-1」" in unnamed.details[0]
    (known,) = history_rows([replace(stage_row.change, changes=old)], lang, known={"kh-1": "業務フロー図の描き方", "st-b": "鈴木"})
    assert stage in known.details
