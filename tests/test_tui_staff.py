"""The staff screen (p): employees with their load and rotation risk; edit a record (with a
colleague's change merged or asked about), mark someone 異動済み / 退職 (their stages stay), and
confirm or reject the merge proposals."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from textual.widgets import Input, Select

from xtalent.models import StaffStatus
from xtalent.people import proposals
from xtalent.store import Store
from xtalent.views import firstscreen
from xtalent_screens.staff import EmployeeConflictDialog, EmployeeForm, LeaveDialog, ProposalsDialog, StaffScreen

from tui_support import every_row_in, recording_kept, running, settle


def names(screen: StaffScreen) -> list[str]:
    return [r.employee.name for r in screen.shown_rows]


async def open_staff(app, pilot) -> StaffScreen:
    await pilot.press("p")
    await settle(app, pilot)
    assert isinstance(app.screen, StaffScreen)
    return app.screen


async def select(app, pilot, screen: StaffScreen, name: str) -> None:
    screen.query_one("#staff-table").move_cursor(row=names(screen).index(name))
    await settle(app, pilot)


async def test_the_list_from_the_dashboard_and_the_palette_filters_and_searches(tmp_path: Path) -> None:
    async with running(tmp_path) as (app, pilot):
        assert "職員" in [c.title for c in app.get_system_commands(app.screen)]
        screen = await open_staff(app, pilot)
        assert len(screen.shown_rows) == 20 and "中村 美咲" in names(screen)
        # 山口 left: listed (the record), after who is here in 市民課.
        shiminka = [r.employee.name for r in screen.shown_rows if r.employee.department == "市民課"]
        assert shiminka[-1] == "山口 真由"
        screen.query_one("#staff-filter-status", Select).value = "異動済み"
        await settle(app, pilot)
        assert names(screen) == ["山口 真由"]
        screen.query_one("#staff-filter-status", Select).clear()
        await pilot.press("slash")
        await pilot.press(*"なかむら")
        await settle(app, pilot)
        assert names(screen) == ["中村 美咲"]
        # The selected employee: two engagements, their items and stages.
        row = screen.shown_rows[0]
        assert len(row.engagements) == 2
        received = screen.query_one("#staff-received")
        assert received.row_count == len(row.received) == 5
        await pilot.press("escape")
        await settle(app, pilot)


async def test_marking_someone_transferred_keeps_their_stages(tmp_path: Path) -> None:
    async with running(tmp_path) as (app, pilot):
        screen = await open_staff(app, pilot)
        await select(app, pilot, screen, "中村 美咲")
        await pilot.press("l")
        await settle(app, pilot)
        dialog = app.screen
        assert isinstance(dialog, LeaveDialog)
        dialog.query_one("#leave-on", Input).value = "R8.11.20"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is screen
        row = next(r for r in screen.rows if r.employee.name == "中村 美咲")
        assert row.employee.status is StaffStatus.TRANSFERRED and row.employee.left_on == date(2026, 11, 20)
        assert len(row.received) == 5  # nothing they reached is gone
        store = Store.open(tmp_path / "db")
        hayase = store.get("en-2025-cdo-hayase")
        assert next(s for s in hayase.staff if s.employee_id == "em-nakamura").status is StaffStatus.TRANSFERRED


async def test_a_bad_leaving_date_is_said_beside_the_field(tmp_path: Path) -> None:
    async with running(tmp_path) as (app, pilot):
        screen = await open_staff(app, pilot)
        await select(app, pilot, screen, "中村 美咲")
        await pilot.press("l")
        await settle(app, pilot)
        app.screen.query_one("#leave-on", Input).value = "2026-13-45"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, LeaveDialog)
        assert Store.open(tmp_path / "db").people().by_id()["em-nakamura"].status is StaffStatus.ACTIVE


async def test_editing_a_record_asks_whose_value_wins_when_a_colleague_changed_it(tmp_path: Path) -> None:
    async with running(tmp_path) as (app, pilot):
        screen = await open_staff(app, pilot)
        await select(app, pilot, screen, "中村 美咲")
        await pilot.press("e")
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, EmployeeForm)
        # A colleague saves the same field meanwhile.
        other = Store.open(tmp_path / "db")
        seen = other.people().by_id()["em-nakamura"]
        other.save_employee(seen.model_copy(update={"position": "課長補佐"}), base=seen)
        form.query_one("#employee-position", Input).value = "主査"
        form.query_one("#employee-rotation_expected", Input).value = "R9.4.1"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, EmployeeConflictDialog)
        await pilot.press("m")
        await settle(app, pilot)
        assert app.screen is screen
        record = Store.open(tmp_path / "db").people().by_id()["em-nakamura"]
        assert record.position == "主査" and record.rotation_expected == date(2027, 4, 1)
        row = next(r for r in screen.rows if r.employee.name == "中村 美咲")
        assert row.employee.position == "主査"
        # Rotating within the CDO's term while the only one at 自立 on some items: rotation risk.
        assert row.at_risk


async def test_merge_proposals_are_confirmed_or_rejected_in_the_tui(tmp_path: Path) -> None:
    async with running(tmp_path) as (app, pilot):
        screen = await open_staff(app, pilot)
        assert len([r for r in screen.rows if r.employee.name == "石井 遼"]) == 2
        await pilot.press("m")
        await settle(app, pilot)
        dialog = app.screen
        assert isinstance(dialog, ProposalsDialog) and [p.name for p in dialog.waiting] == ["石井 遼"]
        await pilot.press("y")
        await settle(app, pilot)
        assert dialog.waiting == []
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is screen
        (ishii,) = [r for r in screen.rows if r.employee.name == "石井 遼"]
        assert len(ishii.engagements) == 2
        assert not proposals(Store.open(tmp_path / "db").people())


async def test_a_rejected_proposal_stays_two_people(tmp_path: Path) -> None:
    async with running(tmp_path) as (app, pilot):
        screen = await open_staff(app, pilot)
        await pilot.press("m")
        await settle(app, pilot)
        await pilot.press("n")
        await settle(app, pilot)
        await pilot.press("escape")
        await settle(app, pilot)
        assert len([r for r in screen.rows if r.employee.name == "石井 遼"]) == 2
        store = Store.open(tmp_path / "db")
        assert not proposals(store.people()) and store.people().distinct


async def test_a_stage_moved_since_the_screen_was_last_opened_shows_when_it_opens_again(tmp_path: Path) -> None:
    """Who receives what is kept per engagement file (views/rowcache.current_receptions): a saved
    stage move is never shown from the earlier copy."""
    from tui_support import open_engagement

    def kimura(screen: StaffScreen) -> str:
        row = next(r for r in screen.rows if r.employee.name == "木村 亮")
        return next(r.stage for r in row.received if r.item_id == "kh-keikaku-kaitei")

    async with running(tmp_path) as (app, pilot):
        screen = await open_staff(app, pilot)
        assert kimura(screen) == "協働"
        await pilot.press("escape")
        await settle(app, pilot)
        engagement = await open_engagement(app, pilot, "en-2025-adv-okochi", tab="items")
        engagement.pane("items").select_cell("kh-keikaku-kaitei", "st-kimura")
        await pilot.press("]")
        await settle(app, pilot)
        await pilot.press("escape")
        await settle(app, pilot)
        screen = await open_staff(app, pilot)
        assert kimura(screen) == "自走・支援あり"


async def test_the_staff_screen_shows_through_its_dialogs(tmp_path: Path) -> None:
    async with running(tmp_path) as (app, pilot):
        screen = await open_staff(app, pilot)
        await select(app, pilot, screen, "中村 美咲")
        for key, dialog in (("e", EmployeeForm), ("l", LeaveDialog), ("m", ProposalsDialog)):
            await pilot.press(key)
            await settle(app, pilot)
            assert isinstance(app.screen, dialog)
            assert 0 < app.screen.styles.background.a < 1, dialog  # translucent, like the forms' dialogs
            await pilot.press("escape")
            await settle(app, pilot)
            assert app.screen is screen


async def test_ctrl_z_undoes_a_merge_on_the_staff_screen_and_ctrl_y_redoes_it(tmp_path: Path) -> None:
    async with running(tmp_path) as (app, pilot):
        screen = await open_staff(app, pilot)
        await pilot.press("m")
        await settle(app, pilot)
        await pilot.press("y")
        await settle(app, pilot)
        await pilot.press("escape")
        await settle(app, pilot)
        assert len([r for r in screen.rows if r.employee.name == "石井 遼"]) == 1
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert app.screen is screen
        assert len([r for r in screen.rows if r.employee.name == "石井 遼"]) == 2  # two records again
        assert [p.name for p in screen.waiting] == ["石井 遼"]  # and the proposal, to answer again
        store = Store.open(tmp_path / "db")
        assert len(proposals(store.people())) == 1
        assert any(c.action == "undo" and c.key == "changelog.people_merged" for c in store.changelog.newest(limit=5))
        await pilot.press("ctrl+y")
        await settle(app, pilot)
        assert len([r for r in screen.rows if r.employee.name == "石井 遼"]) == 1


async def test_a_receivers_name_edited_in_an_engagement_is_the_persons_everywhere_and_undoable(tmp_path: Path) -> None:
    from forms_support import fill, open_form

    from xtalent_screens.forms import StaffForm

    async with running(tmp_path) as (app, pilot):
        hayase = app.session.current("en-2025-cdo-hayase")
        nakamura = next(s for s in hayase.staff if s.employee_id == "em-nakamura")
        form = await open_form(app, pilot, hayase.id, "staff", nakamura)
        assert isinstance(form, StaffForm)
        fill(form, department="総務課")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert not isinstance(app.screen, StaffForm)
        store = Store.open(tmp_path / "db")
        assert store.people().by_id()["em-nakamura"].department == "総務課"  # the person's record
        named = [e for e in store.engagements() if any(s.employee_id == "em-nakamura" for s in e.staff)]
        assert len(named) == 2 and all(  # and her other engagement too
            s.department == "総務課" for e in named for s in e.staff if s.employee_id == "em-nakamura")
        assert any(c.key == "changelog.people_edited" for c in store.changelog.newest(limit=5))
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        store = Store.open(tmp_path / "db")
        assert store.people().by_id()["em-nakamura"].department == nakamura.department
        assert all(s.department == nakamura.department for e in store.engagements() for s in e.staff
                   if s.employee_id == "em-nakamura")
        assert any(c.action == "undo" and c.key == "changelog.people_edited" for c in store.changelog.newest(limit=5))


def table_names(screen: StaffScreen) -> list[str]:
    table = screen.query_one("#staff-table")
    column = list(table.columns).index("name")
    return [str(table.get_row_at(n)[column]) for n in range(table.row_count)]


async def every_row(app, pilot, screen: StaffScreen) -> list[str]:
    await every_row_in(pilot, screen, "#staff-table")
    return table_names(screen)


async def test_reopened_unchanged_it_shows_the_kept_screenful_then_every_row_once_in_order(tmp_path: Path, monkeypatch) -> None:
    found = recording_kept(monkeypatch, "staff")
    async with running(tmp_path) as (app, pilot):
        # The launch kept one (views/rowcache.keep_beside): gone, as after an edit elsewhere.
        firstscreen.path(app.store.root, firstscreen.STAFF).unlink()
        screen = await open_staff(app, pilot)
        first = await every_row(app, pilot, screen)
        detail = str(screen.query_one("#staff-record").render())
        assert found == [None] and first == names(screen)
        await pilot.press("escape")
        await settle(app, pilot)
        screen = await open_staff(app, pilot)
        kept = found[-1]
        assert kept is not None and [line.cells["name"] for line in kept.lines] == first[:5]
        assert await every_row(app, pilot, screen) == first  # the rest went in after it: each once, in order
        assert str(screen.query_one("#staff-record").render()) == detail  # the first one's record, the same
        assert len(first) > 5


async def test_a_saved_stage_move_shows_in_the_first_rows_right_after_reopening(tmp_path: Path, monkeypatch) -> None:
    from tui_support import open_engagement

    from xtalent.views.staff import cells, opening

    found = recording_kept(monkeypatch, "staff", rows=40)  # every employee of the demo
    async with running(tmp_path) as (app, pilot):
        screen = await open_staff(app, pilot)
        await every_row(app, pilot, screen)
        kimura_before = cells(next(r for r in screen.rows if r.employee.name == "木村 亮"))
        await pilot.press("escape")
        await settle(app, pilot)
        engagement = await open_engagement(app, pilot, "en-2025-adv-okochi", tab="items")
        engagement.pane("items").select_cell("kh-keikaku-kaitei", "st-kimura")
        for _ in range(2):  # up to 自走・支援あり, then 自立: counted in the list's 自立 column
            await pilot.press("]")
            await settle(app, pilot)
        await pilot.press("escape")
        await settle(app, pilot)
        screen = await open_staff(app, pilot)
        await every_row(app, pilot, screen)
        row = next(r for r in screen.rows if r.employee.name == "木村 亮")
        assert next(r.stage for r in row.received if r.item_id == "kh-keikaku-kaitei") == "自立"
        # The first frame already said it: the kept head with the moved engagement's receptions
        # read again (views/firstscreen.py), not the screenful from before the move.
        first = found[-1]
        assert first is not None
        assert first == opening(screen.rows, screen.rows, len(screen.waiting), app.lang, len(first.lines))
        assert next(line.cells for line in first.lines if line.id == row.id) == cells(row) != kimura_before
