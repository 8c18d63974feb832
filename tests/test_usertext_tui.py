"""Hostile text through every screen, form, dialog and notification of the TUI.

User text is data: a `[/]` never crashes the app, an `[@click=…]` in a staff name never runs an
action, and no escape sequence from the data reaches the screen.  The last test scans screens/
so the wrong way (a Static or Label reading markup, a bare DataTable) stays hard.
"""

from __future__ import annotations

import ast
import html
import re
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from xtalent_screens.app import XtalentApp
from xtalent.store import Store

from forms_support import TODAY, fill, settle
from hostile import MARKUP_CLOSE, MARKUP_QUIT, engagement, leaks
from tui_support import open_engagement, notices

SCREENS = Path(__file__).resolve().parent.parent / "screens"


def hostile_app(tmp_path: Path, lang: str = "ja") -> XtalentApp:
    store = Store.open(tmp_path / "db")
    store.save(engagement("en-hostile-a", 0))
    store.save(engagement("en-hostile-b", 5, long=True))
    app = XtalentApp(store=store, today=TODAY, lang=lang)
    app.session.clock = lambda: datetime(2026, 11, 23, 10, 0)
    return app


class Tripwire:
    """Records any action that data could have triggered."""

    def __init__(self, app: XtalentApp) -> None:
        self.ran: list[str] = []
        for name in ("action_screenshot", "deliver_screenshot", "save_screenshot", "action_quit", "exit"):
            original = getattr(app, name)
            setattr(app, name, self.wrap(name, original))

    def wrap(self, name: str, original: Any) -> Any:
        def called(*args: Any, **kwargs: Any) -> Any:
            self.ran.append(name)
            return None

        return called


def screen_text(app: XtalentApp) -> str:
    """The screen as Textual would draw it (an SVG: every character it writes is in it)."""
    return app.export_screenshot()


def screen_lines(app: XtalentApp) -> str:
    """The screen's text, line by line, read back from its SVG (the text pieces of each row)."""
    rows: dict[float, list[str]] = {}
    for y, piece in re.findall(r'<text [^>]*?y="([0-9.]+)"[^>]*>([^<]*)</text>', screen_text(app)):
        rows.setdefault(float(y), []).append(html.unescape(piece).replace("\xa0", " "))
    return "\n".join("".join(pieces) for _, pieces in sorted(rows.items()))


async def tour(app: XtalentApp, pilot, eid: str) -> None:
    """Every tab of the engagement, every table's cells under the cursor, each tab's edit form,
    and clicks across the know-how table's header, checking the screen after each; back to the
    dashboard at the end."""
    await open_engagement(app, pilot, eid)
    for tab in range(1, 7):
        await pilot.press(str(tab))
        await settle(app, pilot)
        assert leaks(screen_text(app)) == [], (eid, tab)
        # every cell of every table under the cursor: its detail pane too
        for _ in range(3):
            await pilot.press("down")
            await pilot.press("right")
        await settle(app, pilot)
        assert leaks(screen_text(app)) == [], (eid, tab)
        if tab in (1, 2, 3, 4, 5):  # the edit form of what is selected
            await pilot.press("e")
            await settle(app, pilot)
            assert leaks(screen_text(app)) == [], (eid, tab)
            await pilot.press("escape")
            await settle(app, pilot)
    # click across the know-how table's header: staff names hold [@click=…]
    await pilot.press("3")
    await settle(app, pilot)
    for x in range(0, 120, 4):
        await pilot.click("#items-table", offset=(x, 0))
    await settle(app, pilot)
    await pilot.press("escape")
    await settle(app, pilot)


# One app per language tours both engagements, the second opened from the dashboard the first
# left: an app and its dashboard less per engagement, and still two long tests to spread over
# the cores of a parallel run.
@pytest.mark.parametrize("lang", ["ja", "en"])
async def test_every_tab_shows_hostile_text_as_data(tmp_path: Path, lang: str) -> None:
    app = hostile_app(tmp_path, lang)
    async with app.run_test(size=(140, 40)) as pilot:
        wire = Tripwire(app)
        await settle(app, pilot)
        assert leaks(screen_text(app)) == []
        for eid in ("en-hostile-a", "en-hostile-b"):
            await tour(app, pilot, eid)
            assert wire.ran == [] and app.return_code is None, eid


@pytest.mark.parametrize("lang", ["ja", "en"])
async def test_the_dashboard_history_and_help_show_hostile_text_as_data(tmp_path: Path, lang: str) -> None:
    app = hostile_app(tmp_path, lang)
    async with app.run_test(size=(140, 40)) as pilot:
        wire = Tripwire(app)
        await settle(app, pilot)
        assert leaks(screen_text(app)) == []
        await pilot.press("h")  # the history
        await settle(app, pilot)
        assert leaks(screen_text(app)) == []
        await pilot.press("escape")
        await pilot.press("question_mark")
        await settle(app, pilot)
        assert leaks(screen_text(app)) == []
        assert wire.ran == [] and app.return_code is None


async def test_a_typed_log_topic_with_markup_is_saved_and_shown_not_run(tmp_path: Path) -> None:
    app = hostile_app(tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        wire = Tripwire(app)
        await settle(app, pilot)
        await open_engagement(app, pilot, "en-hostile-a", "log")
        await pilot.press("l")
        await settle(app, pilot)
        fill(app.screen, topic=f"{MARKUP_CLOSE} {MARKUP_QUIT}\x1b]0;PWNED-TITLE\x07")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert leaks(screen_text(app)) == []
        toasts = [n for n in notices(app)]
        assert any(MARKUP_CLOSE in n.message and not n.markup for n in toasts)
        assert MARKUP_CLOSE in screen_lines(app)  # the log table shows it as typed
        assert wire.ran == [] and app.return_code is None
    topics = [e.topic for e in Store.open(tmp_path / "db").get("en-hostile-a").log]
    assert f"{MARKUP_CLOSE} {MARKUP_QUIT}\x1b]0;PWNED-TITLE\x07" in topics  # stored as typed


async def test_a_notification_quoting_user_text_carries_no_action(tmp_path: Path) -> None:
    app = hostile_app(tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        wire = Tripwire(app)
        app.notify(f"{MARKUP_QUIT} X[/]Y", title=MARKUP_CLOSE, markup=True)  # even when a caller asks for markup
        await settle(app, pilot)
        [toast] = notices(app)
        assert not toast.markup and toast.message == f"{MARKUP_QUIT} X[/]Y" and toast.title == MARKUP_CLOSE
        for y in range(30, 40):
            for x in range(100, 140, 6):
                await pilot.click(offset=(x, y))
        await settle(app, pilot)
        assert wire.ran == [] and app.return_code is None


def _calls(tree: ast.AST, names: set[str]) -> list[ast.Call]:
    return [n for n in ast.walk(tree) if isinstance(n, ast.Call)
            and (getattr(n.func, "id", None) in names or getattr(n.func, "attr", None) in names)]


def test_no_screen_reads_text_as_markup() -> None:
    """The wrong way made hard: every Static/Label is made with markup=False, every table is a
    TextTable (str cells are data), no markup is parsed by hand, toasts never read markup."""
    problems = []
    for path in sorted(SCREENS.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        where = path.relative_to(SCREENS.parent)
        for call in _calls(tree, {"Static", "Label"}):
            markup = [k for k in call.keywords if k.arg == "markup"]
            if not markup or not (isinstance(markup[0].value, ast.Constant) and markup[0].value.value is False):
                problems.append(f"{where}:{call.lineno} Static/Label without markup=False")
        for call in _calls(tree, {"DataTable"}):
            if path.name != "usertext.py":
                problems.append(f"{where}:{call.lineno} DataTable instead of usertext.TextTable")
        for call in _calls(tree, {"from_markup", "render_markup"}):
            problems.append(f"{where}:{call.lineno} markup parsed by hand")
        for call in _calls(tree, {"notify"}):
            if any(k.arg == "markup" and not (isinstance(k.value, ast.Constant) and k.value.value is False)
                   for k in call.keywords) and path.name != "app.py":
                problems.append(f"{where}:{call.lineno} notify(markup=True)")
    assert problems == []
