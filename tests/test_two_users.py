"""Two people, two app instances, one database: nobody's acknowledged change is silently undone.

Different fields of the same record: both changes are kept (merged against the state the form
opened with).  The same field: a conflict dialog shows both values, and nothing is overwritten
until the user chooses.  Covers the engagement form, record forms, the fast keys (] [ l v) and
deletes.
"""

from __future__ import annotations

from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from xtalent_screens.app import XtalentApp
from xtalent_screens.forms import EngagementForm, StaffForm
from xtalent_screens.forms.conflict import ConflictDialog
from xtalent.models import Stage
from xtalent.store import Store

from forms_support import TODAY, fill, settle
from tui_support import SIZE, engagement, open_engagement, text_of


def app_on(folder: Path) -> XtalentApp:
    app = XtalentApp(store=Store.open(folder / "db"), today=TODAY, lang="ja")
    app.session.clock = lambda: datetime(2026, 11, 23, 10, 0)
    return app


@asynccontextmanager
async def two_users(tmp_path: Path):
    """A and B, each an app on the same database folder, both on the engagement screen."""
    Store.open(tmp_path / "db").save(engagement())
    a, b = app_on(tmp_path), app_on(tmp_path)
    # B works from what B's screen shows: the watcher that would refresh it polls every 2 s, and
    # on a loaded machine a test could otherwise race it.  What B saves must be safe either way.
    b.session.changed_elsewhere = lambda: False
    async with a.run_test(size=SIZE) as pa, b.run_test(size=SIZE) as pb:
        await settle(a, pa)
        await settle(b, pb)
        yield (a, pa), (b, pb)


def stored(tmp_path: Path) -> Any:
    return Store.open(tmp_path / "db").get("en-test")


async def open_engagement_form(app: XtalentApp, pilot: Any) -> EngagementForm:
    await open_engagement(app, pilot, "en-test", "overview")
    await pilot.press("e")
    await settle(app, pilot)
    assert isinstance(app.screen, EngagementForm)
    return app.screen


async def save(app: XtalentApp, pilot: Any) -> None:
    await pilot.press("ctrl+s")
    await settle(app, pilot)


async def test_different_fields_of_the_engagement_are_both_kept(tmp_path: Path) -> None:
    async with two_users(tmp_path) as ((a, pa), (b, pb)):
        form_b = await open_engagement_form(b, pb)  # B opens first
        form_a = await open_engagement_form(a, pa)
        fill(form_a, sponsor="市長")
        await save(a, pa)
        assert stored(tmp_path).sponsor == "市長"
        fill(form_b, person__name="山田 太郎（改）")
        await save(b, pb)
        assert not isinstance(b.screen, (EngagementForm, ConflictDialog))
    after = stored(tmp_path)
    assert (after.sponsor, after.person.name) == ("市長", "山田 太郎（改）")


async def test_the_same_field_shows_both_values_and_waits_for_the_choice(tmp_path: Path) -> None:
    async with two_users(tmp_path) as ((a, pa), (b, pb)):
        form_b = await open_engagement_form(b, pb)
        form_a = await open_engagement_form(a, pa)
        fill(form_a, sponsor="市長")
        await save(a, pa)
        fill(form_b, sponsor="総務部長", department="DX推進課")
        await save(b, pb)
        dialog = b.screen
        assert isinstance(dialog, ConflictDialog)
        table = dialog.query_one("#conflict-table")
        cells = [str(c) for row in range(table.row_count) for c in table.get_row_at(row)]
        assert "市長" in cells and "総務部長" in cells
        assert stored(tmp_path).sponsor == "市長"  # nothing overwritten yet

        await pb.press("escape")  # back: the form is still there with what B typed
        await settle(b, pb)
        assert b.screen is form_b and stored(tmp_path).department == "情報政策課"
        await save(b, pb)
        assert isinstance(b.screen, ConflictDialog)
        await pb.press("t")  # keep theirs: A's sponsor stays, B's other change is saved
        await settle(b, pb)
        assert not isinstance(b.screen, (EngagementForm, ConflictDialog))
    after = stored(tmp_path)
    assert (after.sponsor, after.department) == ("市長", "DX推進課")


async def test_choosing_mine_overwrites_only_that_field(tmp_path: Path) -> None:
    async with two_users(tmp_path) as ((a, pa), (b, pb)):
        form_b = await open_engagement_form(b, pb)
        form_a = await open_engagement_form(a, pa)
        fill(form_a, sponsor="市長", notes="Aのメモ")
        await save(a, pa)
        fill(form_b, sponsor="総務部長")
        await save(b, pb)
        await pb.press("m")
        await settle(b, pb)
    after = stored(tmp_path)
    assert (after.sponsor, after.notes) == ("総務部長", "Aのメモ")


async def test_record_form_keeps_a_stage_a_colleague_advanced(tmp_path: Path) -> None:
    async with two_users(tmp_path) as ((a, pa), (b, pb)):
        await open_engagement(b, pb, "en-test", "items")
        await pb.press("e")  # B edits the first item's title
        await settle(b, pb)
        form_b = b.screen
        await open_engagement(a, pa, "en-test", "items")
        a.screen.pane("items").select_cell("kh-1", "st-2")  # 鈴木: shadowing → together
        await pa.press("]")
        await settle(a, pa)
        assert stored(tmp_path).items[0].receivers[1].stage == Stage.TOGETHER
        fill(form_b, title="業務フロー図の作り方（改訂）")
        await save(b, pb)
        assert not isinstance(b.screen, ConflictDialog)
    item = stored(tmp_path).items[0]
    assert item.title == "業務フロー図の作り方（改訂）"
    assert [r.stage for r in item.receivers] == [Stage.INDEPENDENT, Stage.TOGETHER]


async def test_a_stage_key_on_a_stale_screen_asks_instead_of_stepping_twice(tmp_path: Path) -> None:
    async with two_users(tmp_path) as ((a, pa), (b, pb)):
        await open_engagement(a, pa, "en-test", "items")
        await open_engagement(b, pb, "en-test", "items")
        for app in (a, b):
            app.screen.pane("items").select_cell("kh-1", "st-2")
        await pa.press("[")  # A regresses 鈴木: shadowing → documented
        await settle(a, pa)
        await pb.press("]")  # B, still seeing shadowing, advances: together ≠ documented
        await settle(b, pb)
        assert isinstance(b.screen, ConflictDialog)
        assert stored(tmp_path).items[0].receivers[1].stage == Stage.DOCUMENTED
        await pb.press("escape")
        await settle(b, pb)
    assert stored(tmp_path).items[0].receivers[1].stage == Stage.DOCUMENTED


async def test_quick_log_and_evidence_merge_with_a_colleagues_log(tmp_path: Path) -> None:
    async with two_users(tmp_path) as ((a, pa), (b, pb)):
        await open_engagement(b, pb, "en-test", "items")
        await open_engagement(a, pa, "en-test", "items")
        await pa.press("l")
        await settle(a, pa)
        fill(a.screen, topic="Aの相談")
        await save(a, pa)
        await pb.press("v")  # evidence for the first item, from B's older screen
        await settle(b, pb)
        fill(b.screen, note="手順書 v2")
        await save(b, pb)
        await pb.press("l")
        await settle(b, pb)
        fill(b.screen, topic="Bの相談")
        await save(b, pb)
    after = stored(tmp_path)
    topics = [e.topic for e in after.log]
    assert "Aの相談" in topics and "Bの相談" in topics
    assert [e.note for e in after.items[0].evidence] == ["手順書 v2"]


async def test_deleting_a_record_a_colleague_changed_asks_first(tmp_path: Path) -> None:
    async with two_users(tmp_path) as ((a, pa), (b, pb)):
        await open_engagement(b, pb, "en-test", "structure")
        await open_engagement(a, pa, "en-test", "structure")
        await pa.press("e")  # A edits the first staff member shown
        await settle(a, pa)
        assert isinstance(a.screen, StaffForm)
        staff_id = a.screen.record.id
        fill(a.screen, position="係長")
        await save(a, pa)
        await pb.press("d")  # B deletes the same person from the older screen
        await settle(b, pb)
        await pb.press("y")
        await settle(b, pb)
        assert isinstance(b.screen, ConflictDialog)
        assert staff_id in [s.id for s in stored(tmp_path).staff]
        await pb.press("escape")
        await settle(b, pb)
    assert staff_id in [s.id for s in stored(tmp_path).staff]


async def test_deleting_the_engagement_a_colleague_changed_asks_first(tmp_path: Path) -> None:
    async with two_users(tmp_path) as ((a, pa), (b, pb)):
        form_a = await open_engagement_form(a, pa)
        await open_engagement(b, pb, "en-test", "overview")
        fill(form_a, notes="まだ使っています")
        await save(a, pa)
        await pb.press("d")
        await settle(b, pb)
        await pb.press("y")
        await settle(b, pb)
        dialog = b.screen
        assert isinstance(dialog, ConflictDialog)
        assert "まだ使っています" in " ".join(str(c) for c in dialog.query_one("#conflict-table").get_row_at(0))
        await pb.press("m")  # delete anyway, having seen it
        await settle(b, pb)
    assert Store.open(tmp_path / "db").engagements() == []
