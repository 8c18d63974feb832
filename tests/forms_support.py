"""Helpers of the form / undo Pilot tests: start the app on a store, fill a form, wait for saves."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from textual.widgets import Input, Select, SelectionList, Checkbox, TextArea

from xtalent_screens.app import XtalentApp
from xtalent_screens.forms.fields import read_value
from xtalent.models import Engagement
from xtalent.store import Store
from tui_support import workers_done

TODAY = date(2026, 11, 23)


def make_app(folder: Path, lang: str = "ja", *seed: Engagement) -> XtalentApp:
    """The app on a new store holding `seed` (saved before the app starts watching the files)."""
    store = Store.open(folder / "db")
    for engagement in seed:
        store.save(engagement)
    app = XtalentApp(store=store, today=TODAY, lang=lang)
    app.session.clock = lambda: datetime(2026, 11, 23, 10, 0)  # deterministic history times
    return app


def fill(form: Any, **values: Any) -> None:
    """Set fields by name (dots as __): text, dates as typed, select values, staff ids, switches."""
    for name, value in values.items():
        spec = next(s for s in form.specs if s.name == name.replace("__", "."))
        widget = form.query_one("#" + spec.dom_id)
        if isinstance(widget, Input):
            widget.value = value
        elif isinstance(widget, TextArea):
            widget.text = value
        elif isinstance(widget, Select):
            widget.value = value
        elif isinstance(widget, SelectionList):
            widget.deselect_all()
            for selected in value:
                widget.select(selected)
        elif isinstance(widget, Checkbox):
            widget.value = value


def error_beside(form: Any, name: str) -> str:
    spec = next(s for s in form.specs if s.name == name)
    widget = form.problem_line(spec)  # None: the field never had a problem
    return str(widget.content) if widget is not None and widget.display else ""  # a str, or cells.Marked (str() is its text)


def value_of(form: Any, name: str) -> Any:
    spec = next(s for s in form.specs if s.name == name)
    return read_value(spec, form.query_one("#" + spec.dom_id))


async def settle(app: XtalentApp, pilot: Any) -> None:
    """Let messages run and background saves finish, twice (a save's callback may start a load).

    pause(0) processes the messages waiting in the screen without an idle wait; the last pause
    waits until the app is idle (as tui_support.settle)."""
    for _ in range(2):
        await pilot.pause(0)
        await workers_done(app)
    await pilot.pause()


def reopen(app: XtalentApp) -> Store:
    return Store.open(app.store.root)


async def submit(app: XtalentApp, pilot: Any, **values: Any) -> Any:
    """Fill the open form, press ctrl+s and wait for the save; returns the form."""
    form = app.screen
    fill(form, **values)
    await pilot.press("ctrl+s")
    await settle(app, pilot)
    return form


async def open_form(app: XtalentApp, pilot: Any, engagement_id: str, collection: str, record: Any = None) -> Any:
    """Open the add/edit form of a record of the engagement, as the engagement screen does."""
    from xtalent_screens.forms import open_record_form

    open_record_form(app, app.session.current(engagement_id), collection, record)
    await settle(app, pilot)
    return app.screen


async def new_engagement_form(app: XtalentApp, pilot: Any) -> Any:
    """The dashboard's n: the onboarding form."""
    await settle(app, pilot)
    await pilot.press("n")
    await settle(app, pilot)
    return app.screen
