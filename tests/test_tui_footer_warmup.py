"""The footer is rebuilt only when what it shows changes, and always shows the screen's keys;
what opening an engagement needs is loaded once the dashboard is shown."""

from tui_support import open_engagement, running, settle, workers_done

from xtalent_screens.footer import XFooter
from xtalent.views.engagement import TABS

MIYOSHI = "en-2025-kigyo-miyoshi"


def footer_keys(app) -> list[tuple[str, str]]:
    return [(k.key, k.description) for k in app.screen.query_one(XFooter).query("FooterKey")]


def expected_keys(app) -> list[tuple[str, str]]:
    # What Textual's own footer would show: every binding shown, one per action, then the palette.
    seen, out = set(), []
    active = app.screen.active_bindings
    for _, binding, _, _ in active.values():
        if binding.show and binding.action not in seen:
            seen.add(binding.action)
            out.append((binding.key, binding.description))
    palette = active[app.COMMAND_PALETTE_BINDING].binding
    return out + [(palette.key, palette.description)]


async def test_an_unchanged_footer_keeps_its_keys(tmp_path) -> None:
    async with running(tmp_path) as (app, pilot):
        footer = app.screen.query_one(XFooter)
        before = list(footer.query("FooterKey"))
        assert [k.description for k in before][:2] == ["ヘルプ", "終了"]
        app.screen.refresh_bindings()  # what focus moves and screen changes do
        await settle(app, pilot)
        assert list(footer.query("FooterKey")) == before  # the same widgets: not rebuilt


async def test_the_footer_follows_every_change_of_keys(tmp_path) -> None:
    async with running(tmp_path) as (app, pilot):
        assert footer_keys(app) == expected_keys(app)
        await pilot.press("slash")  # the search field: Enter no longer opens
        await settle(app, pilot)
        assert footer_keys(app) == expected_keys(app)
        await pilot.press("escape")
        await settle(app, pilot)
        await open_engagement(app, pilot, MIYOSHI)
        for n in range(len(TABS)):
            await pilot.press(str(n + 1))
            await settle(app, pilot)
            assert footer_keys(app) == expected_keys(app), TABS[n]
        await pilot.press("f2")
        await settle(app, pilot)
        assert ("question_mark", "Help") in footer_keys(app)
        assert footer_keys(app) == expected_keys(app)
        await pilot.press("escape")
        await settle(app, pilot)
        assert footer_keys(app) == expected_keys(app)
        assert ("q", "Quit") in footer_keys(app)


async def test_what_opening_needs_is_loaded_while_the_dashboard_is_read(tmp_path, monkeypatch) -> None:
    import asyncio

    import xtalent_screens.app as app_module

    loaded: list[str] = []
    monkeypatch.setattr(app_module, "import_module", loaded.append)
    monkeypatch.setattr(app_module, "WARM_UP_DELAY", 0.05)
    async with running(tmp_path) as (app, pilot):
        for _ in range(100):
            if loaded:
                break
            await asyncio.sleep(0.02)
            await workers_done(app)
        assert loaded == list(app_module.WARM_UP_MODULES)
        await pilot.press("r")  # reloading shows rows again: no second warm-up
        await settle(app, pilot)
        await asyncio.sleep(0.1)
        await workers_done(app)
        assert loaded == list(app_module.WARM_UP_MODULES)


async def test_a_footer_under_a_form_is_left_as_it_was(tmp_path) -> None:
    # Drawn over by the form's own footer: suspending its screen (no undo key then) and resuming
    # it rebuilt it twice for nothing.
    async with running(tmp_path) as (app, pilot):
        screen = await open_engagement(app, pilot, MIYOSHI)
        footer = screen.query_one(XFooter)
        before = list(footer.query("FooterKey"))
        shown = footer_keys(app)
        await pilot.press("e")
        await settle(app, pilot)
        assert app.screen is not screen
        assert list(footer.query("FooterKey")) == before  # the same widgets: not rebuilt
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is screen
        assert list(footer.query("FooterKey")) == before
        assert footer_keys(app) == shown == expected_keys(app)


async def test_a_footer_whose_keys_changed_under_a_form_shows_them_once_back(tmp_path) -> None:
    async with running(tmp_path) as (app, pilot):
        screen = await open_engagement(app, pilot, MIYOSHI)
        await pilot.press("e")
        await settle(app, pilot)
        await pilot.press("f2")  # the language, switched in the form
        await settle(app, pilot)
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is screen
        assert ("q", "Quit") in footer_keys(app)
        assert footer_keys(app) == expected_keys(app)
