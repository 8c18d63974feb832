"""Forms as people use them: a consultation needs a topic, ticked boxes look ticked, Esc
asks before discarding, the organisation is pre-filled, the export dialog starts on the format
and in the user's Documents.  Assertions read the store (or the written file) from disk."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from textual.widgets import Checkbox, Input, Select, SelectionList

from forms_support import TODAY, error_beside, fill, make_app, new_engagement_form, open_form, reopen, settle, submit, value_of
from xtalent_screens.engagement.quick import QuickLogForm
from xtalent_screens.export_dialog import ExportDialog
from xtalent_screens.forms import ConfirmDialog, EngagementForm, ItemForm, LogForm, StaffForm
from tui_support import SIZE, engagement, open_engagement
from xtalent.i18n import t
from xtalent.views.engagement import contracted_text
from xtalent.views.export_target import start_folder


def seeded(tmp_path: Path, lang: str = "ja", *more):
    return make_app(tmp_path, lang, engagement(), *more)


# ----- a consultation must say what it was about -----------------------------------------------
async def test_a_log_entry_without_a_topic_is_refused_beside_the_field(tmp_path: Path) -> None:
    app = seeded(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        form = await open_form(app, pilot, "en-test", "log")
        for topic in ("", "   "):  # each in turn in one form: refused twice, then saved
            await submit(app, pilot, topic=topic, from_department="税務課")
            assert app.screen is form
            assert t("validation.missing") in error_beside(form, "topic")
            assert value_of(form, "from_department") == "税務課"  # what was typed stays
            assert len(reopen(app).get("en-test").log) == 3
        await submit(app, pilot, topic="申請様式の相談")
        assert not isinstance(app.screen, LogForm)
    assert [e.topic for e in reopen(app).get("en-test").log][-1] == "申請様式の相談"


async def test_the_quick_log_refuses_a_blank_topic_too(tmp_path: Path) -> None:
    app = seeded(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await open_engagement(app, pilot, "en-test")
        await pilot.press("l")
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, QuickLogForm)
        await pilot.press("enter")  # Enter saves the quick form: nothing typed
        await settle(app, pilot)
        assert app.screen is form and t("validation.missing") in error_beside(form, "topic")
        assert len(reopen(app).get("en-test").log) == 3
        await pilot.press(*"電話で相談", "enter")
        await settle(app, pilot)
        assert not isinstance(app.screen, QuickLogForm)
    entry = reopen(app).get("en-test").log[-1]
    assert (entry.topic, entry.on) == ("電話で相談", TODAY)


async def test_stored_entries_without_a_topic_still_load_and_show(tmp_path: Path) -> None:
    """The rule is the form's: data written before it (topic "") stays readable."""
    old = engagement(log=[{"id": "lg-1", "on": "2026-10-05", "topic": "", "minutes": 30}])
    app = make_app(tmp_path, "ja", old)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert reopen(app).get("en-test").log[0].topic == ""


# ----- ticked or not, at a glance ------------------------------------------------------------------
async def test_an_unticked_box_shows_no_mark(tmp_path: Path) -> None:
    app = seeded(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        form = await open_form(app, pilot, "en-test", "log")
        box = form.query_one(Checkbox)
        looks = {}
        for value in (False, True):
            box.value = value
            await pilot.pause()
            style = box.get_visual_style("toggle--button")
            looks[value] = (style.foreground, style.background)
        assert looks[False][0] == looks[False][1]  # the X is drawn in the box's colour: empty
        assert looks[True][0] != looks[True][1]  # the X shows
        form.dismiss(None)
        await settle(app, pilot)

        form = await open_form(app, pilot, "en-test", "items")
        staff = form.query_one(SelectionList)
        for component in ("selection-list--button", "selection-list--button-highlighted"):
            style = staff.get_component_rich_style(component)
            assert style.color == style.bgcolor, component
        for component in ("selection-list--button-selected", "selection-list--button-selected-highlighted"):
            style = staff.get_component_rich_style(component)
            assert style.color != style.bgcolor, component


# ----- Esc after editing asks first -----------------------------------------------------------------
async def test_escape_on_an_unchanged_form_closes_it(tmp_path: Path) -> None:
    app = seeded(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await open_form(app, pilot, "en-test", "staff", reopen(app).get("en-test").staff[0])
        await pilot.press("escape")
        await settle(app, pilot)
        assert not isinstance(app.screen, (StaffForm, ConfirmDialog))


async def test_escape_on_an_edited_form_asks_and_keeping_is_the_default(tmp_path: Path) -> None:
    app = seeded(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        form = await open_form(app, pilot, "en-test", "items")
        await pilot.press(*"議事録の書き方")
        await pilot.press("escape")
        await settle(app, pilot)
        dialog = app.screen
        assert isinstance(dialog, ConfirmDialog)
        assert t("form.discard_title") in str(dialog.query_one("#confirm-title").render())
        await pilot.press("enter")  # the focused button: keep
        await settle(app, pilot)
        assert app.screen is form and value_of(form, "title") == "議事録の書き方"
        await pilot.press("escape")
        await settle(app, pilot)
        await pilot.press("escape")  # esc in the question: back to the form
        await settle(app, pilot)
        assert app.screen is form
        await pilot.press("escape")
        await settle(app, pilot)
        await pilot.press("y")  # discard
        await settle(app, pilot)
        assert not isinstance(app.screen, (ItemForm, ConfirmDialog))
    assert [i.title for i in reopen(app).get("en-test").items] == ["業務フロー図の作り方", "ベンダー調整の進め方", "ＲＰＡシナリオの保守"]


async def test_a_ticked_box_counts_as_an_edit(tmp_path: Path) -> None:
    app = seeded(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        form = await open_form(app, pilot, "en-test", "items")
        fill(form, receivers=["st-1"])
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmDialog)


# ----- the organisation is pre-filled ---------------------------------------------------------------
async def test_new_engagement_starts_with_the_organisation_all_share(tmp_path: Path) -> None:
    second = engagement(id="en-two", person={"name": "三好 沙也加"})
    app = make_app(tmp_path, "ja", engagement(), second)
    async with app.run_test(size=SIZE) as pilot:
        form = await new_engagement_form(app, pilot)
        assert isinstance(form, EngagementForm)
        assert value_of(form, "organisation") == "みどり野市"
        await pilot.press("escape")  # nothing typed: closes without asking
        await settle(app, pilot)
        assert not isinstance(app.screen, (EngagementForm, ConfirmDialog))


async def test_no_organisation_is_guessed_when_they_differ(tmp_path: Path) -> None:
    other = engagement(id="en-two", organisation="青空町")
    app = make_app(tmp_path, "ja", engagement(), other)
    async with app.run_test(size=SIZE) as pilot:
        form = await new_engagement_form(app, pilot)
        assert value_of(form, "organisation") == ""


# ----- contracted time: both as entered ----------------------------------------------------------
def test_both_days_and_hours_per_month_are_shown() -> None:
    both = engagement(days_per_month=20, hours_per_month=80)
    assert contracted_text(both, "ja") == "月20日・80時間"
    assert contracted_text(both, "en") == "20 days and 80 hours a month"
    assert "月4日" in contracted_text(engagement(), "ja")


# ----- export dialog -----------------------------------------------------------------------------
def test_export_starts_in_documents_or_home_or_the_last_folder(tmp_path: Path) -> None:
    home, cwd = tmp_path / "home", tmp_path / "repo"
    home.mkdir()
    cwd.mkdir()
    assert start_folder(home=home, cwd=cwd) == home
    (home / "Documents").mkdir()
    assert start_folder(home=home, cwd=cwd) == home / "Documents"
    assert start_folder(last=cwd, home=home, cwd=cwd) == cwd
    assert start_folder(last=tmp_path / "gone", home=home, cwd=cwd) == home / "Documents"
    assert start_folder(home=tmp_path / "nohome", cwd=cwd) == cwd


async def test_export_dialog_focus_format_enter_writes_and_the_folder_is_remembered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    (home / "Documents").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("USERPROFILE", str(home))
    out = tmp_path / "out"
    out.mkdir()
    app = seeded(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await open_engagement(app, pilot, "en-test")
        await pilot.press("x")
        await settle(app, pilot)
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        assert dialog.query_one("#export-folder", Input).value == str(home / "Documents")
        select = dialog.query_one("#export-format", Select)
        assert dialog.focused is select
        await pilot.press("down")  # opens the format list
        await pilot.pause()
        assert select.expanded
        await pilot.press("down", "enter")  # moves in the list and picks: the list closes, nothing written
        await settle(app, pilot)
        assert app.screen is dialog and not select.expanded
        chosen = select.value
        assert chosen != "xlsx"
        assert dialog.query_one("#export-name", Input).value.endswith("." + str(chosen))
        dialog.query_one("#export-folder", Input).value = str(out)
        select.focus()
        await pilot.press("enter")  # on the closed list: writes
        await settle(app, pilot)
        assert not isinstance(app.screen, ExportDialog)
        [written] = list(out.iterdir())
        assert written.suffix == "." + str(chosen)
        await pilot.press("x")
        await settle(app, pilot)
        assert app.screen.query_one("#export-folder", Input).value == str(out)  # where the last one went
