"""The help screen and the command palette list the actions of the screen the user is on."""

from textual.command import CommandList, CommandPalette

from xtalent_screens.help import HelpScreen
from tui_support import SIZE, running, settle, text_of, notices


async def test_the_palette_offers_every_action_in_the_ui_language(tmp_path) -> None:
    async with running(tmp_path, lang="en") as (app, pilot):
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert {"Filter", "New engagement", "Help", "Quit", "Theme"} <= set(titles), titles
        assert not any(title.startswith("Cursor") for title in titles)
        await pilot.press("f2")
        await settle(app, pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "新規契約" in titles and "テーマ" in titles


async def test_the_tui_warns_with_the_users_thresholds(tmp_path) -> None:
    from xtalent_screens.app import XtalentApp
    from tui_support import TODAY, demo_store
    from xtalent.pitfalls import rule_codes
    from xtalent.settings import PitfallSettings, Settings

    quiet = Settings(pitfalls=PitfallSettings(disabled=list(rule_codes())))
    app = XtalentApp(store=demo_store(tmp_path), today=TODAY, lang="ja", settings=quiet)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert app.screen.rows and all(row.warning_total == 0 for row in app.screen.rows)


def palette_lines(app) -> list[str]:
    options = app.screen.query_one(CommandList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


# One app on the Japanese dashboard walks the help screen, the palette's searches and commands and
# ctrl+c in turn, each step back on the dashboard before the next: what each checks is read from
# the screen that step opened, and a launch of the demo is most of a check this small.
async def test_help_palette_and_ctrl_c_on_the_dashboard_in_japanese(tmp_path) -> None:
    async with running(tmp_path) as (app, pilot):
        # Help lists the keys of the screen below in Japanese, undo, redo and history among them.
        await pilot.press("question_mark")
        await settle(app, pilot)
        assert isinstance(app.screen, HelpScreen)
        text = "\n".join(text_of(w) for w in app.screen.query("Static"))
        assert "絞り込み" in text and "新規契約" in text  # the dashboard's actions
        assert "閉じる" not in text  # not the help screen's own
        assert "Cursor up" not in text  # Textual's built-ins stay out
        assert "元に戻す" in text and "やり直し" in text and "変更履歴" in text
        await pilot.press("escape")
        await settle(app, pilot)
        assert not isinstance(app.screen, HelpScreen)

        # The palette finds undo, redo and history, and undo by a part of its name.
        await pilot.press("ctrl+p")
        await settle(app, pilot)
        assert CommandPalette.is_open(app)
        # What the palette's search runs on: the commands asked for while it is the top screen.
        titles = [c.title for c in app.get_system_commands(app.screen_stack[-2])]
        assert "元に戻す" in titles and "やり直し" in titles and "変更履歴" in titles
        await pilot.press("戻")
        await settle(app, pilot)
        await pilot.pause(0.3)  # the palette adds what it found in batches
        await settle(app, pilot)
        shown = palette_lines(app)
        assert any("元に戻す" in s for s in shown) and not any("該当する操作" in s for s in shown), shown
        await pilot.press("escape")
        await settle(app, pilot)
        assert not CommandPalette.is_open(app)

        # A search that finds nothing says so in Japanese and offers help.
        await pilot.press("ctrl+p")
        await settle(app, pilot)
        assert CommandPalette.is_open(app)
        await pilot.press(*"zzqx")
        await settle(app, pilot)
        await pilot.pause(0.7)  # past Textual's own "No matches found" countdown (0.5 s)
        await settle(app, pilot)
        shown = palette_lines(app)
        assert len(shown) == 1 and "該当する操作はありません" in shown[0], shown
        assert not any("No matches" in s for s in shown)
        await pilot.press("enter")  # the one line offers the help screen
        await settle(app, pilot)
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await settle(app, pilot)
        assert not isinstance(app.screen, HelpScreen)

        # A palette command runs its action.
        command = next(c for c in app.get_system_commands(app.screen) if c.title == "ヘルプ")
        command.callback()
        await settle(app, pilot)
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await settle(app, pilot)

        # ctrl+c says how to quit, in Japanese.
        app.action_help_quit()
        await settle(app, pilot)
        shown = [(n.title, n.message) for n in notices(app)]
        assert ("終了しますか？", "q で終了します（ctrl+c はコピーです）") in shown
        assert not any("quit the app" in message for _, message in shown)
