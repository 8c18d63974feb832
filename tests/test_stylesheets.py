"""Every screen's stylesheet is read with the app's, so that no screen's first opening makes
Textual parse every stylesheet again and restyle the screens below it (screens/app.py CSS_PATH)."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

from textual.screen import Screen

import xtalent_screens
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


def test_every_screens_stylesheet_is_read_with_the_apps() -> None:
    app_paths = _paths(XtalentApp, XtalentApp.CSS_PATH)
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
    assert {p.resolve() for p in folder.rglob("*.tcss")} == _paths(XtalentApp, XtalentApp.CSS_PATH)
