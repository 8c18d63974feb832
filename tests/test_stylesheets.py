"""Every screen's stylesheet is read by the app, so that no screen's first opening makes Textual
parse every stylesheet again and restyle the screens below it: the dashboard's with the app's
(screens/app.py CSS_PATH), every other one by the warm-up after the first paint (LATER_CSS_PATH)."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

from textual.screen import Screen

import xtalent_screens
from tui_support import running, settle, workers_done

from xtalent_screens.app import XtalentApp


def _screen_classes() -> list[type[Screen]]:
    for module in pkgutil.walk_packages(xtalent_screens.__path__, "xtalent_screens."):
        importlib.import_module(module.name)
    found: list[type[Screen]] = []
    todo: list[type] = [Screen]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("xtalent_screens."):
                found.append(sub)
    return found


def _paths(owner: type, css_path: object) -> set[Path]:
    """CSS_PATH as Textual resolves it: relative to the file of the class that declares it."""
    import inspect

    declaring = next(c for c in owner.__mro__ if "CSS_PATH" in vars(c))
    base = Path(inspect.getfile(declaring)).parent
    paths = css_path if isinstance(css_path, list) else [css_path]
    return {(base / Path(p)).resolve() for p in paths}


def _read_by_the_app() -> set[Path]:
    return _paths(XtalentApp, XtalentApp.CSS_PATH) | _paths(XtalentApp, XtalentApp.LATER_CSS_PATH)


def test_every_screens_stylesheet_is_read_with_the_apps() -> None:
    app_paths = _read_by_the_app()
    screens = _screen_classes()
    assert len(screens) >= 10  # the walk found the screens and dialogs
    with_css = [s for s in screens if s.CSS_PATH]
    assert with_css, "no screen declares a stylesheet: the walk is wrong"
    for screen in with_css:
        missing = _paths(screen, screen.CSS_PATH) - app_paths
        assert not missing, f"{screen.__module__}.{screen.__qualname__}: {sorted(map(str, missing))} not in XtalentApp.CSS_PATH"
        assert not getattr(screen, "CSS", ""), f"{screen.__qualname__}.CSS is parsed at its first push"


def test_every_stylesheet_of_the_ui_is_read_with_the_apps() -> None:
    folder = Path(xtalent_screens.__file__).parent
    assert {p.resolve() for p in folder.rglob("*.tcss")} == _read_by_the_app()


def _stylesheets_read(app) -> set[Path]:
    return {Path(path) for path, _ in app.stylesheet.source if path.endswith(".tcss")}


async def test_the_first_paint_parses_only_the_dashboards_stylesheets(tmp_path, monkeypatch) -> None:
    import xtalent_screens.app as app_module

    monkeypatch.setattr(app_module, "WARM_UP_DELAY", 3600)
    async with running(tmp_path) as (app, pilot):
        assert app.screen.query_one("#engagements").row_count == 7
        assert _stylesheets_read(app) == _paths(XtalentApp, ["app.tcss", "dashboard.tcss"])


async def test_the_warm_up_reads_the_other_stylesheets_so_no_first_opening_parses_all_again(tmp_path,
                                                                                          monkeypatch) -> None:
    import asyncio

    import xtalent_screens.app as app_module

    monkeypatch.setattr(app_module, "WARM_UP_DELAY", 0.05)
    async with running(tmp_path) as (app, pilot):
        for _ in range(100):
            if _stylesheets_read(app) == _read_by_the_app():
                break
            await asyncio.sleep(0.02)
            await workers_done(app)
        assert _stylesheets_read(app) == _read_by_the_app()
        reparsed: list[str] = []
        monkeypatch.setattr(app.stylesheet, "reparse", lambda: reparsed.append(type(app.screen).__name__))
        for key in ("question_mark", "escape", "w", "escape", "p", "escape", "enter"):
            await pilot.press(key)
            await settle(app, pilot)
        assert type(app.screen).__name__ == "EngagementScreen"
        assert reparsed == []
