"""The first screenful kept for the attention view and the staff screen (views/firstscreen.py):
found only for exactly the state it was computed for — the engagement files, the day, the
language, the settings, the people file, the code version — and equal to the head of what is
computed from the engagements with nothing kept."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from xtalent.edits import step_stage
from xtalent.interchange import load_document
from xtalent.paths import demo_file
from xtalent.people import left, proposals
from xtalent.models import StaffStatus
from xtalent.settings import PitfallSettings
from xtalent.store import Store
from xtalent.views import firstscreen
from xtalent.views.attention import attention_rows, natural_widths, opening
from xtalent.views import staff as staff_view

TODAY = date(2026, 11, 23)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store.open(tmp_path / "db")
    s.import_document(load_document(demo_file()))
    return s


def attention_key(store: Store, today: date = TODAY, lang: str = "ja", settings=None) -> dict:
    return firstscreen.attention_key(store.fingerprint(), today, lang, settings)


def attention_whole(store: Store, today: date = TODAY, lang: str = "ja", settings=None):
    rows = attention_rows(store.engagements(), today, settings, lang)
    return opening(rows, natural_widths(rows))


def keep_attention(store: Store, today: date = TODAY, lang: str = "ja", settings=None):
    whole = attention_whole(store, today, lang, settings)
    firstscreen.keep_attention(store.root, attention_key(store, today, lang, settings), whole)
    return whole


def test_the_kept_attention_screenful_is_the_head_of_every_row(store: Store) -> None:
    whole = keep_attention(store)
    kept = firstscreen.attention(store.root, attention_key(store))
    assert kept is not None
    assert kept == whole.head(firstscreen.ROWS)
    assert kept.rows == whole.rows[: firstscreen.ROWS] and kept.total == len(whole.rows) > 0
    assert firstscreen.path(store.root, "attention").stat().st_size < 100_000  # a screenful, not the list


@pytest.mark.parametrize("change", [
    {"today": TODAY + timedelta(days=1)},
    {"lang": "en"},
    {"settings": PitfallSettings(term_ending_days=400, stalled_days=10)},
])
def test_another_day_language_or_settings_finds_no_attention_screenful(store: Store, change: dict) -> None:
    keep_attention(store)
    assert firstscreen.attention(store.root, attention_key(store, **change)) is None


def test_another_code_version_finds_no_screenful(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    keep_attention(store)
    monkeypatch.setattr(firstscreen, "code_version", lambda: "0.1.0+an-upgrade")
    assert firstscreen.attention(store.root, attention_key(store)) is None
    whole = keep_attention(store)  # kept again for the new code
    assert firstscreen.attention(store.root, attention_key(store)) == whole.head(firstscreen.ROWS)


def test_a_saved_stage_move_finds_no_attention_screenful(store: Store) -> None:
    keep_attention(store)
    engagement = store.get("en-2025-adv-okochi")
    store.save(step_stage(engagement, "kh-keikaku-kaitei", "st-kimura", 1, TODAY))
    assert firstscreen.attention(store.root, attention_key(store)) is None


def test_the_files_key_changes_with_any_file(store: Store) -> None:
    before = store.fingerprint()
    eid, mtime, size = before[0]
    assert firstscreen.files_key(before) != firstscreen.files_key(((eid, mtime + 1, size), *before[1:]))
    assert firstscreen.files_key(before) != firstscreen.files_key(((eid, mtime, size + 1), *before[1:]))
    assert firstscreen.files_key(before) != firstscreen.files_key(before[1:])  # a file gone


@pytest.mark.parametrize("content", [b"", b"{", b"[]", b'{"key": 1}', b'{"key": {}, "first": 1}'])
def test_a_damaged_screenful_is_ignored(store: Store, content: bytes) -> None:
    keep_attention(store)
    firstscreen.path(store.root, "attention").write_bytes(content)
    assert firstscreen.attention(store.root, attention_key(store)) is None


def test_an_unwritable_screenful_does_not_fail_the_caller(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args, **kwargs):
        raise PermissionError("read-only")

    monkeypatch.setattr(firstscreen, "atomic_write_bytes", refuse)
    keep_attention(store)
    assert firstscreen.attention(store.root, attention_key(store)) is None


def test_the_fingerprint_is_every_engagement_file_in_file_order(store: Store) -> None:
    (store.folder.engagements_dir / ".hidden.json").write_text("{}")
    (store.folder.engagements_dir / "notes.txt").write_text("")
    files = store.folder.files()
    assert [eid for eid, _, _ in store.fingerprint()] == [p.stem for p in files]
    assert [(m, s) for _, m, s in store.fingerprint()] == [(p.stat().st_mtime_ns, p.stat().st_size) for p in files]


# ----- the staff screen --------------------------------------------------------------------------
def staff_key(store: Store, lang: str = "ja") -> dict:
    return firstscreen.staff_key(store.fingerprint(), store.people_path, lang)


def staff_whole(store: Store, lang: str = "ja") -> staff_view.Opening:
    registry = store.people()
    rows = staff_view.staff_rows(registry, store.engagements(), lang)
    return staff_view.opening(rows, rows, len(proposals(registry)), lang)


def keep_staff(store: Store, lang: str = "ja") -> staff_view.Opening:
    whole = staff_whole(store, lang)
    firstscreen.keep_staff(store.root, staff_key(store, lang), whole)
    return whole


def test_the_kept_staff_screenful_is_the_head_of_every_row(store: Store) -> None:
    whole = keep_staff(store)
    kept = firstscreen.staff(store.root, staff_key(store))
    assert kept is not None and kept == whole.head(firstscreen.ROWS)
    assert kept.first is not None and kept.first.received  # the first employee's detail
    assert kept.lines and kept.summary == whole.summary


def test_another_language_finds_no_staff_screenful(store: Store) -> None:
    keep_staff(store)
    assert firstscreen.staff(store.root, staff_key(store, "en")) is None


def test_a_saved_stage_move_finds_no_staff_screenful(store: Store) -> None:
    keep_staff(store)
    engagement = store.get("en-2025-adv-okochi")
    store.save(step_stage(engagement, "kh-keikaku-kaitei", "st-kimura", 1, TODAY))
    assert firstscreen.staff(store.root, staff_key(store)) is None
    keep_staff(store)  # kept anew, as the screen does once it computed every row
    assert firstscreen.staff(store.root, staff_key(store)) == staff_whole(store).head(firstscreen.ROWS)


def test_an_employee_record_saved_finds_no_staff_screenful(store: Store) -> None:
    keep_staff(store)
    employee = store.people().employees[0]
    store.save_employee(left(employee, StaffStatus.TRANSFERRED, TODAY), base=employee)
    assert firstscreen.staff(store.root, staff_key(store)) is None
