"""Closing an engagement (c): who closes it and when, and a post-term support plan for every item
still open; c again reopens it.  Both go through app.session, so ctrl+z undoes them.

The same dialog records the signed 事務引継書: the handover date, the 所見, the signers
(the external person and the receiving lead filled from the record) and the scanned copy.  With
the 所属長 and 人事課 named, the closing is recorded as the sign-off (`lifecycle.sign_off`)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Input, Label, Static

from xtalent.dates import DateParseError, parse_date
from xtalent.i18n import t
from xtalent.labels import label
from xtalent.lifecycle import closing_problems, open_items, outcome
from xtalent.models import Closure, Engagement, Handover, Signature, SupportPlan

from ..base import FormDialog, form_buttons
from ..footer import XFooter

if TYPE_CHECKING:
    from ..host import XtalentHost
    from .host import EngagementHost

BINDING = Binding("c", "close_engagement", "bind.eng_close", id="eng_close")


SIGN_FIELDS = ("handover_on", "external", "lead", "head", "hr", "witness", "scan", "remarks")


class CloseDialog(FormDialog[tuple[Closure, Handover | None] | None]):
    """The closing, as a typed result: a Closure to record (with the 事務引継書's signatures when
    they were typed), or None when cancelled."""

    CSS_PATH = "../forms/forms.tcss"
    DEFAULT_CSS = """
    CloseDialog { align: center middle; background: $background 60%; }
    CloseDialog .close-intro { margin-bottom: 1; }
    CloseDialog .close-item { margin-bottom: 1; }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", "bind.close_record", id="close_record"),
        Binding("escape", "cancel", "bind.cancel", id="cancel"),
    ]

    def __init__(self, engagement: Engagement, today: date) -> None:
        super().__init__()
        self.engagement = engagement
        self.today = today
        self.open = open_items(engagement)
        self.handover: Handover | None = None
        self.signing = False

    def compose(self) -> ComposeResult:
        status = label(outcome(self.engagement))
        with Vertical(id="form-box"):
            yield Static(t("close.title", status=status), id="form-title", markup=False)
            yield Static(id="form-error", classes="form-error", markup=False)
            with VerticalScroll(id="form-fields", can_focus=False):
                yield Static(t("close.intro_open" if self.open else "close.intro_done", n=len(self.open)),
                             classes="close-intro", markup=False)
                for name, key, value in (("by", "close.by", ""), ("on", "close.on", self.today.isoformat()),
                                         ("note", "close.note", "")):
                    with Horizontal(classes="form-row"):
                        yield Label(t(key), classes="form-label signers", markup=False)
                        with Vertical(classes="form-cell"):
                            yield Input(value, id=f"close-{name}", compact=True)
                for n, item in enumerate(self.open):
                    # The item's title is user text: a Text, never markup.
                    yield Static(Text(t("close.plan_for", n=n + 1) + " " + item.title, style="bold"),
                                 classes="close-item", markup=False)
                    for part in ("who", "how", "until"):
                        with Horizontal(classes="form-row"):
                            yield Label(t(f"close.plan_{part}"), classes="form-label signers", markup=False)
                            with Vertical(classes="form-cell"):
                                placeholder = t("form.date_example") if part == "until" else ""
                                yield Input(placeholder=placeholder, id=f"plan-{n}-{part}", compact=True)
                yield Static(Text(t("close.sign_heading"), style="bold"), classes="close-item", markup=False)
                yield Static(t("close.sign_intro"), classes="close-intro", markup=False)
                for name, value in self.sign_defaults().items():
                    with Horizontal(classes="form-row"):
                        yield Label(t(f"close.sign_{name}"), classes="form-label signers", markup=False)
                        with Vertical(classes="form-cell"):
                            placeholder = t("form.date_example") if name == "handover_on" else ""
                            yield Input(value, placeholder=placeholder, id=f"sign-{name}", compact=True)
            yield from form_buttons(t("close.record"))
        yield XFooter()

    def on_mount(self) -> None:
        self.query_one("#close-by", Input).focus()

    def sign_defaults(self) -> dict[str, str]:
        """What the record already knows: the signers' names, and what was typed before."""
        e, h = self.engagement, self.engagement.handover
        leads = t("export.list_sep").join(s.name for s in e.staff if s.role.value == "lead")
        known = {"external": e.person.name, "lead": leads}
        out = {}
        for name in SIGN_FIELDS:
            if name in ("external", "lead", "head", "hr", "witness"):
                sig = getattr(h, name) if h else None
                out[name] = (sig.name if sig else "") or known.get(name, "")
            elif name == "handover_on":
                out[name] = h.on.isoformat() if h and h.on else ""
            else:
                out[name] = getattr(h, name) if h else ""
        return out

    def build_handover(self, problems: list[str]) -> tuple[Handover | None, bool]:
        """The 事務引継書's data as typed, and whether it is a sign-off (所属長 and 人事課 named)."""
        typed = {name: self.value(f"sign-{name}") for name in SIGN_FIELDS}
        extra = ("handover_on", "head", "hr", "witness", "scan", "remarks")
        if self.engagement.handover is None and not any(typed[name] for name in extra):
            return None, False  # nothing of the record was typed: a plain closing
        signing = bool(typed["head"] or typed["hr"])
        if signing:
            problems += [t(f"handover.error.missing_{name}") for name in ("head", "hr") if not typed[name]]
        on = None
        if typed["handover_on"]:
            try:
                on = parse_date(typed["handover_on"], self.app.today)
            except DateParseError as exc:
                problems.append(f"{t('close.sign_handover_on')}: {t(exc.reason)}")
        base = self.engagement.handover or Handover()
        try:
            handover = base.model_copy(update={
                "on": on, "remarks": typed["remarks"], "scan": typed["scan"],
                # A name kept as it was keeps its signing date; a changed name is a new signer.
                **{name: Signature(name=typed[name], signed_on=getattr(base, name).signed_on
                                   if getattr(base, name).name == typed[name] else None)
                   for name in ("external", "lead", "head", "hr")},
                "witness": Signature(name=typed["witness"]) if typed["witness"] else None,
            })
            handover = Handover.model_validate(handover.model_dump())
        except ValidationError as exc:
            problems += [str(err["msg"]) for err in exc.errors()]
            return None, False
        return handover, signing

    def value(self, widget_id: str) -> str:
        return self.query_one(f"#{widget_id}", Input).value.strip()

    def build(self) -> tuple[Closure | None, list[str]]:
        """The closing as typed, or why it cannot be recorded (messages in the UI language)."""
        problems: list[str] = []

        def day(text: str, what: str) -> date | None:
            try:
                return parse_date(text, self.app.today)
            except DateParseError as exc:
                problems.append(f"{what}: {t(exc.reason)}")
                return None

        by = self.value("close-by")
        if not by:
            problems.append(t("close.need_by"))
        on = day(self.value("close-on"), t("close.on"))
        plans: list[dict[str, Any]] = []  # SupportPlan fields, validated below
        for n, item in enumerate(self.open):
            who, how, until = (self.value(f"plan-{n}-{part}") for part in ("who", "how", "until"))
            if not (who and how and until):
                problems.append(t("lifecycle.error.plan_missing", title=item.title))
                continue
            until_day = day(until, item.title)
            if until_day is not None:
                plans.append({"item_id": item.id, "who": who, "how": how, "until": until_day})
        self.handover, self.signing = self.build_handover(problems)
        if problems or on is None:
            return None, problems
        try:
            closure = Closure(on=on, by=by, outcome=outcome(self.engagement), note=self.value("close-note"),
                              support=[SupportPlan(**plan) for plan in plans])
        except ValidationError as exc:
            return None, [str(err["msg"]) for err in exc.errors()]
        found = closing_problems(self.engagement, closure)
        return (None, [t(p.key, **p.params) for p in found]) if found else (closure, [])

    def action_save(self) -> None:
        closure, problems = self.build()
        self.show_problems(problems)
        if closure is not None:
            self.dismiss((closure, self.handover))



def close_or_reopen(screen: EngagementHost) -> None:
    """c: the closing dialog, or, for a closed engagement, whether to reopen it."""
    view = screen.view
    if view is None:
        return
    engagement: Engagement = view.engagement
    app = screen.app
    if engagement.closure is not None:
        from ..forms.confirm import ConfirmDialog

        def answered(yes: bool | None) -> None:
            if yes:
                record_closing(app, engagement, None)

        app.push_screen(
            ConfirmDialog("reopen.title", "reopen.message", "reopen.yes", keys_key="reopen.keys",
                          name=engagement.person.name, status=label(engagement.lifecycle(app.today))),
            answered,
        )
        return

    def closed(result: tuple[Closure, Handover | None] | None) -> None:
        if result:
            record_closing(app, engagement, result[0], result[1])

    app.push_screen(CloseDialog(engagement, app.today), closed)


def record_closing(app: XtalentHost, engagement: Engagement, closure: Closure | None,
                   handover: Handover | None = None) -> None:
    """Close (or, with no closure, reopen) the engagement as the user saw it, undoably."""
    from xtalent import lifecycle

    session, eid, name = app.session, engagement.id, engagement.person.name
    if closure is None:
        key = "edit.reopen"

        def change(e: Engagement) -> Engagement:
            return lifecycle.reopen(e)
    else:
        key = "edit.close"

        def change(e: Engagement) -> Engagement:
            if handover is not None and handover.head.name and handover.hr.name:
                # The signed 事務引継書: the signatures dated, the closing recorded with them.
                return lifecycle.sign_off(e, handover, closure.on, closure.by, closure.support, closure.note)
            closed = lifecycle.close(e, closure.on, closure.by, closure.support, closure.note)
            return lifecycle.record_handover(closed, handover) if handover is not None else closed

    def done(_: Any) -> None:
        app.notify(t("form.undo_hint", what=t(key, name=name)))

    app.run_edit(lambda: session.apply(eid, change, key, base=engagement, name=name), done, name="close-engagement")
