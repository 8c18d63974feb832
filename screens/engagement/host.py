"""The engagement screen as its actions see it (records.py, fastpaths.py, closing.py,
handover.py): the engagement shown, its tabs, the app.

`EngagementScreen` (screen.py) is the one implementation; stated here so the action modules
take it as a parameter without importing the screen (which imports them: a circle).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from xtalent.views.engagement import EngagementView

    from ..host import XtalentHost
    from .stagekeys import StageKeys
    from .pane import Pane


class EngagementHost(Protocol):
    engagement_id: str
    view: EngagementView | None  # None until the first load is shown
    stage_keys: StageKeys  # the stage keys' saves, in turn

    @property
    def app(self) -> XtalentHost: ...

    def pane(self, tab: str) -> Pane: ...

    def active_tab(self) -> str: ...

    def active_pane(self) -> Pane: ...

    def select_when_shown(self, tab: str, record_id: str) -> None:
        """Put the cursor on a record once the reload after its save has shown it."""

    def dismiss_to_dashboard(self) -> None: ...

    def keep_view(self, view: EngagementView) -> None:
        """The view of a copy just saved, built in the saving worker, for the refresh to show."""
