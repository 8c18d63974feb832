"""The engagement screen: the tabs, loading in a worker, jumping to a warning's subject.

The actions that change the engagement are functions of this screen in the module of their
subject: fast paths (advance/regress a stage, log a consultation, add evidence) in fastpaths.py,
a / e / d in records.py, closing in closing.py, the 事務引継書 in handover.py; export (x) in
../export_dialog.py.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Header, Static, TabbedContent

from xtalent.dispatch import is_dispatched
from xtalent.i18n import t
from xtalent.labels import label
from xtalent.store import ConflictError, StoreError
from xtalent.views.engagement import TABS, EngagementView, build_view
from xtalent.views.text import countdown
from xtalent.usertext import shown

from ..base import XScreen
from ..footer import XFooter
from ..keys import with_fullwidth
from ..cells import badges
from ..usertext import show_in
from . import closing, fastpaths, handover, records
from .closing import BINDING as CLOSE_BINDING
from .handover import BINDING as HANDOVER_BINDING
from .items import ItemsPane
from .log import LogPane
from .overview import OverviewPane
from .pane import Pane
from .stagekeys import StageKeys
from .structure import StructurePane
from .targets import TargetsPane
from .warnings import WarningsPane


class EngagementScreen(XScreen):
    CSS_PATH = "engagement.tcss"
    BINDINGS = with_fullwidth([
        Binding("escape", "back", "bind.eng_back", id="eng_back"),
        Binding("l", "quick_log", "bind.eng_log", id="eng_log"),
        *records.BINDINGS,
        CLOSE_BINDING,
        HANDOVER_BINDING,
        Binding("x", "export", "bind.export_checklist", id="eng_export", show=False),  # in ? and ctrl+p
        Binding("r", "reload", "bind.reload", id="reload", show=False),
        *(Binding(str(n + 1), f"show_tab('{tab}')", f"eng.tab.{tab}", id=f"eng_tab_{tab}", show=False)
          for n, tab in enumerate(TABS)),
    ])

    def __init__(self, engagement_id: str, tab: str = "overview") -> None:
        super().__init__()
        self.engagement_id = engagement_id
        self.initial_tab = tab
        self.view: EngagementView | None = None
        self.pending: tuple[str, str] | None = None  # (tab, record id) to select once reloaded
        self.filled: set[str] = set()  # the tabs showing the current view
        # The view of a copy a key of this screen just saved, built in that key's worker (keep_view).
        self.prepared: EngagementView | None = None
        self.stage_keys = StageKeys()

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(t("dash.loading"), id="eng-heading", markup=False)
        with TabbedContent(initial=f"tab-{self.initial_tab}", id="eng-tabs"):  # labelled in label_tabs
            yield OverviewPane()
            yield TargetsPane()
            yield ItemsPane()
            yield StructurePane()
            yield LogPane()
            yield WarningsPane()
        yield XFooter()

    def on_mount(self) -> None:
        self.action_reload()

    # ----- data -----------------------------------------------------------------------------
    def action_reload(self) -> None:
        session, eid, today, lang = self.app.session, self.engagement_id, self.app.today, self.app.lang
        settings = self.app.settings
        self.run_io(lambda: build_view(session.load(eid), today, lang, settings), self.show, name="load-engagement",
                    on_error=self.load_failed)

    def refresh_data(self, changed: set[str] | None = None) -> None:
        """After our own edit: the view of the copy just saved (no file read), if this
        engagement is among those written; otherwise nothing.  None: reload from the store."""
        if changed is not None:
            if self.engagement_id not in changed:
                return
            saved = self.app.session.saved_copy(self.engagement_id)
            prepared, self.prepared = self.prepared, None
            if saved is not None and prepared is not None and prepared.engagement is saved:
                self.show(prepared)
                return
            if saved is not None:
                today, lang, settings = self.app.today, self.app.lang, self.app.settings
                self.run_io(lambda: build_view(saved, today, lang, settings), self.show, name="load-engagement",
                            on_error=self.load_failed)
                return
        self.action_reload()

    def label_tabs(self) -> None:
        """Tab names in the UI language, with the number key that shows each; the warnings tab
        says how many there are."""
        tabs = self.query_one("#eng-tabs", TabbedContent)
        for n, tab in enumerate(TABS):
            text = t(f"eng.tab.{tab}")
            if tab == "warnings" and self.view is not None and self.view.warnings:
                text = t("eng.tab.warnings_count", n=len(self.view.warnings))
            found = tabs.get_tab(f"tab-{tab}")
            if found.label_text != f"{n + 1} {text}":  # a relabel lays the screen out again
                found.label = f"{n + 1} {text}"

    def refresh_language(self) -> None:
        self.label_tabs()
        if self.view is not None:
            engagement, today, lang = self.view.engagement, self.app.today, self.app.lang
            settings = self.app.settings
            self.run_io(lambda: build_view(engagement, today, lang, settings), self.show, name="relabel")

    def keep_view(self, view: EngagementView) -> None:
        """A view of the copy just saved, built by the saving worker itself (a stage move): the
        refresh after the save shows it instead of starting a worker to build it again."""
        self.prepared = view

    def load_failed(self, error: BaseException) -> None:
        if self not in self.app.screen_stack:
            return  # already closed (e.g. the engagement was just deleted from here)
        self.app.show_error(error)
        if isinstance(error, StoreError) and not isinstance(error, ConflictError) and self.is_current:
            self.dismiss_to_dashboard()  # gone (undone creation, deleted elsewhere)

    def show(self, view: EngagementView) -> None:
        first = self.view is None
        self.view = view
        e = view.engagement
        # Who, how long is left and the warnings first: a narrow terminal cuts the rest with "…".
        head = Text(shown(e.person.name), style="bold", end="", no_wrap=True, overflow="ellipsis")
        head.append("  " + countdown(e.term_start, e.term_end, self.app.today), style="bold")
        head.append("  " + label(e.lifecycle(self.app.today)), style="bold cyan" if e.closure is None else "bold green")
        counts = view.signals.severity_counts()
        pairs = [(s, n) for s, n in counts.items() if n]
        if pairs:
            head.append("  ")
            head.append_text(badges(pairs))
        head.append(shown(f"  {label(e.role)} · {e.organisation} {e.department}".rstrip()), style="dim")
        show_in(self.query_one("#eng-heading", Static), head)
        # Only the tab on screen is filled now; the others when they are shown (show_pane).
        self.filled = set()
        self.show_pane(self.active_pane())
        self.label_tabs()
        if first:
            self.active_pane().focus_content()
        if self.pending is not None:
            tab, record_id = self.pending
            if self.view.engagement.find(record_id) is not None:
                self.pending = None
                self.call_after_refresh(self.pane(tab).select, record_id)

    def show_pane(self, pane: Pane) -> None:
        """Fill a tab from the current view, unless it already shows it."""
        if self.view is not None and pane.tab not in self.filled:
            self.filled.add(pane.tab)
            self.app.report_errors(pane.show, self.view)

    def on_resize(self) -> None:
        # The tables fit their columns to the width: lay them out again (the others when shown).
        if self.view is not None:
            self.filled = set()
            self.show_pane(self.active_pane())

    def select_when_shown(self, tab: str, record_id: str) -> None:
        """Put the cursor on a record just saved, once the reload after the save has shown it."""
        self.action_show_tab(tab)
        self.pending = (tab, record_id)
        if self.view is not None and self.view.engagement.find(record_id) is not None:
            self.pending = None
            self.call_after_refresh(self.pane(tab).select, record_id)

    # ----- tabs -----------------------------------------------------------------------------
    def active_pane(self) -> Pane:
        pane = self.query_one("#eng-tabs", TabbedContent).active_pane
        assert isinstance(pane, Pane)
        return pane

    def active_tab(self) -> str:
        return self.active_pane().tab

    def pane(self, tab: str) -> Pane:
        return self.query_one(f"#tab-{tab}", Pane)

    def action_show_tab(self, tab: str) -> None:
        self.query_one("#eng-tabs", TabbedContent).active = f"tab-{tab}"
        self.show_pane(self.pane(tab))
        self.pane(tab).focus_content()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return records.allowed(self, action)

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        self.show_pane(self.active_pane())
        self.refresh_bindings()

    @on(WarningsPane.JumpTo)
    def jump_to_subject(self, message: WarningsPane.JumpTo) -> None:
        self.jump_to(message.tab, message.subject_id)

    def jump_to(self, tab: str, subject_id: str | None) -> None:
        """Show a warning's subject: switch to its tab and put the cursor on its row."""
        self.action_show_tab(tab)
        if subject_id:
            self.call_after_refresh(self.pane(tab).select, subject_id)

    # ----- changing it: each action in the module of its subject -------------------------------
    def action_add_record(self) -> None:
        records.add(self)

    def action_edit_record(self) -> None:
        records.edit(self)

    def action_delete_record(self) -> None:
        records.delete(self)

    def action_step_stage(self, delta: int) -> None:
        fastpaths.step_stage(self, delta)

    def action_add_evidence(self) -> None:
        fastpaths.add_evidence(self)

    def action_quick_log(self) -> None:
        fastpaths.quick_log(self)

    def action_close_engagement(self) -> None:
        closing.close_or_reopen(self)

    def action_handover(self) -> None:
        handover.open_handover(self)

    # ----- leaving ----------------------------------------------------------------------------
    def action_back(self) -> None:
        self.dismiss_to_dashboard()

    def dismiss_to_dashboard(self) -> None:
        if self.is_current and len(self.app.screen_stack) > 1:
            self.app.pop_screen()

    def action_export(self) -> None:
        """x: on the log tab of a dispatched advisor, the 実施報告書 of the selected entry's day;
        elsewhere the checklist first (the dialog offers every record)."""
        from ..export_dialog import open_export

        if self.active_tab() == "log" and self.view is not None and is_dispatched(self.view.engagement, self.app.settings):
            entry = self.view.engagement.find(self.query_one(LogPane).selected_id() or "")
            open_export(self, self.engagement_id, record="dispatch", dispatch_on=entry.on if entry is not None else None)
            return
        open_export(self, self.engagement_id)
