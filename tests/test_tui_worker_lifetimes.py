"""Work belongs to its screen: closing a screen while its load or save runs is safe.

Reproduced before: Esc while a form saved gave "unexpected error (NoMatches): #form-save" though
the entry was saved; Esc while an engagement loaded gave NoMatches on #eng-heading.
"""

from __future__ import annotations

import threading
from pathlib import Path

from xtalent_screens.engagement.screen import EngagementScreen
from xtalent_screens.forms import StaffForm

from forms_support import fill, make_app, open_form, reopen, settle
from tui_support import SIZE, engagement, notices


def errors(app) -> list[str]:
    return [n.message for n in notices(app) if n.severity == "error"]


async def test_esc_while_an_engagement_loads_leaves_no_error(tmp_path: Path) -> None:
    app = make_app(tmp_path, "ja", engagement())
    release = threading.Event()
    load = app.session.load

    def slow_load(eid: str):
        release.wait(5)
        return load(eid)

    app.session.load = slow_load
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.push_screen(EngagementScreen("en-test"))
        await pilot.pause()
        await pilot.press("escape")  # back before the load has finished
        await pilot.pause()
        release.set()
        await settle(app, pilot)
        assert not isinstance(app.screen, EngagementScreen)
        assert errors(app) == []


async def test_esc_while_a_form_saves_waits_for_the_save(tmp_path: Path) -> None:
    app = make_app(tmp_path, "ja", engagement())
    release = threading.Event()
    apply = app.session.apply

    def slow_apply(*args, **kwargs):
        release.wait(5)
        return apply(*args, **kwargs)

    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        form = await open_form(app, pilot, "en-test", "staff")
        fill(form, name="新井 一子")
        app.session.apply = slow_apply
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("escape")  # while the save runs: refused with a word
        await pilot.pause()
        assert app.screen is form
        assert any("保存中" in n.message for n in notices(app))
        release.set()
        await settle(app, pilot)
        assert not isinstance(app.screen, StaffForm)  # closed once saved
        assert errors(app) == []
    assert "新井 一子" in [s.name for s in reopen(app).get("en-test").staff]
