"""Shared helpers of the dashboard / engagement-screen tests: small engagements, the demo store."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from xtalent.models import Engagement

TODAY = date(2026, 11, 23)
# The terminal of a Pilot test whose subject is not a size: a classic 80x24 terminal, the smaller
# of the two sizes every screen's snapshot is taken at.  Each frame's layout and drawing grow with
# the area: at 120x40 they cost such a test about a fifth more CPU time.
SIZE = (80, 24)


def engagement(**overrides: Any) -> Engagement:
    """A small engagement in みどり野市: 2 targets, 3 items, 3 staff, a few log entries."""
    data: dict[str, Any] = {
        "id": "en-test",
        "person": {"name": "山田 太郎", "name_kana": "ヤマダ タロウ", "affiliation": "株式会社サンプル"},
        "role": "cdo_deputy",
        "contract_form": "special_part_time",
        "organisation": "みどり野市",
        "department": "情報政策課",
        "sponsor": "副市長",
        "term_start": "2025-04-01",
        "term_end": "2027-03-31",
        "days_per_month": 4,
        "targets": [
            {"id": "tg-a", "title": "書かない窓口", "status": "agreed", "agreed_on": "2025-05-01", "agreed_by": "副市長",
             "indicator": {"name": "オンライン比率", "unit": "%", "baseline": 12, "target": 60, "current": 30},
             "staff_ids": ["st-1"]},
            {"id": "tg-b", "title": "電子決裁", "status": "proposed"},
        ],
        "staff": [
            {"id": "st-2", "name": "鈴木 花子", "department": "市民課", "role": "member", "rotation_expected": "2027-01-01"},
            {"id": "st-1", "name": "佐藤 一郎", "department": "情報政策課", "role": "lead"},
            {"id": "st-3", "name": "高橋 美咲", "department": "情報政策課", "role": "digital_leader"},
        ],
        "items": [
            {"id": "kh-1", "title": "業務フロー図の作り方", "kind": "skill", "target_id": "tg-a",
             "receivers": [{"staff_id": "st-1", "stage": "independent"}, {"staff_id": "st-2", "stage": "shadowing"}]},
            {"id": "kh-2", "title": "ベンダー調整の進め方", "kind": "process",
             "receivers": [{"staff_id": "st-2", "stage": "documented"}]},
            {"id": "kh-3", "title": "ＲＰＡシナリオの保守", "kind": "tool", "receivers": []},
        ],
        "log": [
            {"id": "lg-1", "on": "2026-10-05", "kind": "consultation", "from_department": "税務課",
             "topic": "システム更新の相談", "minutes": 60, "in_scope": True, "target_id": "tg-a"},
            {"id": "lg-2", "on": "2026-10-20", "kind": "consultation", "topic": "議会対応", "minutes": 90, "in_scope": False},
            {"id": "lg-3", "on": "2026-11-02", "kind": "checkin", "topic": "定例", "minutes": 30},
        ],
    }
    data.update(overrides)
    return Engagement.model_validate(data)


_DEMO_DB: Path | None = None  # this process's demo database, imported once, copied per test


def imported_demo(folder: Path):
    """A store at folder/db into which the shipped demo was just imported: its files, stamps and
    kept rows exactly as an import leaves them (what the cache-key tests start from; demo_store's
    copy gives the files fresh stamps, so none of the import's kept rows matches)."""
    from xtalent.interchange import load_document
    from xtalent.paths import demo_file
    from xtalent.store import Store

    store = Store.open(folder / "db")
    store.import_document(load_document(demo_file()))
    return store


def _demo_db() -> Path:
    global _DEMO_DB
    if _DEMO_DB is None:
        import atexit
        import shutil
        import tempfile

        scratch = Path(tempfile.mkdtemp(prefix="xtalent-demo-db-"))
        atexit.register(shutil.rmtree, scratch, True)
        imported_demo(scratch)
        _DEMO_DB = scratch / "db"
    return _DEMO_DB


def demo_store(folder: Path):
    """A store holding the shipped demo data (data/demo.json).

    Imported once per test process and copied into the test's folder (files, change log and
    people as the import wrote them, with fresh modification times): the import is ten times
    the copy's cost, and about 300 tests start from the demo."""
    import shutil

    from xtalent.store import Store

    shutil.copytree(_demo_db(), folder / "db", copy_function=shutil.copy)
    return Store.open(folder / "db")


# ----- driving the app on the demo ---------------------------------------------------------------
from contextlib import asynccontextmanager  # noqa: E402


async def workers_done(app) -> None:
    """Wait until the app's workers have finished.

    A worker superseded by an exclusive one is cancelled; that is the app working as meant (a
    newer reload replaces an older one).  A worker whose screen gave it an error handler (run_io's
    `on_error`: an engagement undone out of existence while its screen reloads) fails as meant
    too, and the screen says so; only any other worker that failed raises here."""
    from textual.worker import WorkerCancelled, WorkerFailed

    while True:
        pending = [w for w in app.workers if not w.is_finished]
        if not pending:
            return
        for worker in pending:
            # Read before waiting: the screen forgets the job once the worker has ended.
            handled = getattr(worker.node, "io_jobs", {}).get(worker, (None, None))[1] is not None
            try:
                await worker.wait()
            except WorkerCancelled:
                pass
            except WorkerFailed:
                if not handled:
                    raise


async def settle(app, pilot) -> None:
    """Let workers finish and their results reach the screens.

    Each round processes the messages waiting in the screen (pause(0): no idle wait) and waits
    for the workers; the last pause waits until the app is idle. A 20 ms idle wait per round
    (pause()) was a quarter of a Pilot test's time, spent asleep."""
    for _ in range(3):
        await pilot.pause(0)
        await workers_done(app)
    await pilot.pause()


@asynccontextmanager
async def running(folder: Path, lang: str = "ja", size: tuple[int, int] = SIZE):
    from xtalent_screens.app import XtalentApp

    app = XtalentApp(store=demo_store(folder), today=TODAY, lang=lang)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        yield app, pilot


async def open_engagement(app, pilot, engagement_id: str, tab: str | None = None):
    from textual.widgets import DataTable

    table = app.screen.query_one("#engagements", DataTable)
    table.move_cursor(row=table.get_row_index(engagement_id))
    await pilot.press("enter")
    await settle(app, pilot)
    if tab is not None:
        from xtalent.views.engagement import TABS

        await pilot.press(str(TABS.index(tab) + 1))
        await settle(app, pilot)
    return app.screen


async def on_a_together_cell(app, pilot, folder: Path, engagement_id: str):
    """The engagement's know-how grid, the cursor on a receiver at 協働 (two steps from 自立):
    the screen, the engagement as stored, that item and that reception."""
    from xtalent.models import Stage

    screen = await open_engagement(app, pilot, engagement_id, tab="items")
    before = stored(folder, engagement_id)
    item = next(i for i in before.items if any(r.stage is Stage.TOGETHER for r in i.receivers))
    reception = next(r for r in item.receivers if r.stage is Stage.TOGETHER)
    assert screen.pane("items").select_cell(item.id, reception.staff_id)
    return screen, before, item, reception


def reception_in(engagement: Engagement, item_id: str, staff_id: str):
    """The reception of `staff_id` on the item `item_id` of `engagement`."""
    item = next(i for i in engagement.items if i.id == item_id)
    return next(r for r in item.receivers if r.staff_id == staff_id)


def recording_kept(monkeypatch, view: str, rows: int = 5) -> list:
    """What each opening of `view` ("attention" or "staff") found kept (views/firstscreen.py): an
    Opening, or None.  Only `rows` rows are kept, fewer than the demo's: the rest go in after."""
    from xtalent.views import firstscreen

    found: list = []
    real = getattr(firstscreen, view)

    def recorded(*args, **kwargs):
        found.append(real(*args, **kwargs))
        return found[-1]

    monkeypatch.setattr(firstscreen, view, recorded)
    monkeypatch.setattr(firstscreen, "ROWS", rows)
    return found


async def every_row_in(pilot, screen, table_id: str) -> None:
    """Wait until a view that adds its rows in batches (the attention view, the staff screen) has
    all of them in its table `table_id`."""
    table = screen.query_one(table_id)
    for _ in range(100):
        if screen.loaded and table.row_count == len(screen.shown_rows):
            return
        await pilot.pause()


def stored(folder: Path, engagement_id: str) -> Engagement:
    from xtalent.store import Store

    return Store.open(folder / "db").get(engagement_id)


def text_of(widget) -> str:
    """What a Static shows, as plain text (rich tables included)."""
    from rich.console import Console

    content = widget.content
    if isinstance(content, str):
        return content
    console = Console(width=200, record=True, file=io.StringIO())
    console.print(content)
    return console.export_text()


import io  # noqa: E402


# ----- the notifications an app showed ------------------------------------------------------------
# Textual keeps only the toasts still on screen (each leaves after a few seconds of wall time, so
# on a busy machine a test could look too late), and only under a private name.  tests/conftest.py
# records every notification as it reaches Textual's App.notify, after XtalentApp's own notify
# made it safe; `notices(app)` is that record, in order.

from dataclasses import dataclass  # noqa: E402


@dataclass(frozen=True)
class Notice:
    message: str
    title: str
    severity: str
    markup: bool


def notices(app) -> list[Notice]:
    """Every notification `app` showed since it started, oldest first."""
    return vars(app).setdefault("recorded_notices", [])
