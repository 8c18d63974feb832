"""The 事務引継書's data (j): handover date, 所見, documents and files, equipment and accounts,
and the signers' names — typed before the meeting, so the printed record (x) is complete.
Saved through app.session, so ctrl+z undoes it.  Recording the sign-off is the closing (c).

Documents and equipment are typed one per line, fields separated by "|":

    documents:  名称 | 保管場所 | 備考
    equipment:  名称 | 区分 (物品 / アカウント) | 返却・停止日 | 備考
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Input, Label, Static, TextArea

from xtalent.dates import DateParseError, parse_date
from xtalent.i18n import t
from xtalent.models import Engagement, Handover, HandoverEquipment, HandoverFile, Signature
from xtalent.usertext import shown

from ..base import FormDialog, form_buttons
from ..footer import XFooter

if TYPE_CHECKING:
    from ..host import XtalentHost
    from .host import EngagementHost

BINDING = Binding("j", "handover", "bind.eng_handover", id="eng_handover", show=False)  # in ? and ctrl+p
SIGNERS = ("external", "lead", "head", "hr", "witness")
ACCOUNT_WORDS = {"アカウント", "account", "acct"}


def files_text(h: Handover | None) -> str:
    return "\n".join(" | ".join(p for p in (f.title, f.location, f.note)) .rstrip(" |") for f in (h.files if h else []))


def equipment_text(h: Handover | None, lang: str | None = None) -> str:
    lines = []
    for x in h.equipment if h else []:
        kind = t("handover.account" if x.account else "handover.thing", lang)
        lines.append(" | ".join((x.name, kind, x.returned_on.isoformat() if x.returned_on else "", x.note)).rstrip(" |"))
    return "\n".join(lines)


def parse_lines(files: str, equipment: str, today: date | None = None) -> tuple[list[HandoverFile], list[HandoverEquipment], list[str]]:
    """The typed lists, and what is wrong with them (messages in the UI language)."""
    problems: list[str] = []
    out_files, out_equipment = [], []
    for n, line in enumerate(files.splitlines(), start=1):
        parts = [p.strip() for p in line.split("|")]
        if not any(parts):
            continue
        title, location, note = (parts + ["", ""])[:3]
        try:
            out_files.append(HandoverFile(title=title, location=location, note=note))
        except ValidationError:
            problems.append(t("handoverui.bad_file_line", n=n))
    for n, line in enumerate(equipment.splitlines(), start=1):
        parts = [p.strip() for p in line.split("|")]
        if not any(parts):
            continue
        name, kind, returned, note = (parts + ["", "", ""])[:4]
        try:
            on = parse_date(returned, today) if returned else None
        except DateParseError as exc:
            problems.append(t("handoverui.bad_equipment_line", n=n) + " " + t(exc.reason))
            continue
        try:
            account = kind.lower() in ACCOUNT_WORDS or kind == t("handover.account")
            out_equipment.append(HandoverEquipment(name=name, account=account, returned_on=on, note=note))
        except ValidationError:
            problems.append(t("handoverui.bad_equipment_line", n=n))
    return out_files, out_equipment, problems


class HandoverDialog(FormDialog[Handover | None]):
    CSS_PATH = "../forms/forms.tcss"
    DEFAULT_CSS = """
    HandoverDialog { align: center middle; background: $background 60%; }
    HandoverDialog TextArea { height: 5; }
    HandoverDialog .handover-hint { color: $text-muted; margin-bottom: 1; }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", "bind.save", id="handover_save"),
        Binding("escape", "cancel", "bind.cancel", id="cancel"),
    ]

    def __init__(self, engagement: Engagement) -> None:
        super().__init__()
        self.engagement = engagement

    def defaults(self) -> dict[str, str]:
        e, h = self.engagement, self.engagement.handover
        leads = t("export.list_sep").join(s.name for s in e.staff if s.role.value == "lead")
        known = {"external": e.person.name, "lead": leads}
        out = {"on": h.on.isoformat() if h and h.on else ""}
        for role in SIGNERS:
            sig = getattr(h, role) if h else None
            out[role] = (sig.name if sig else "") or known.get(role, "")
        return out

    def compose(self) -> ComposeResult:
        h = self.engagement.handover
        with Vertical(id="form-box"):
            yield Static(t("handoverui.title", name=self.engagement.person.name), id="form-title", markup=False)
            yield Static(id="form-error", classes="form-error", markup=False)
            with VerticalScroll(id="form-fields", can_focus=False):
                for name, value in self.defaults().items():
                    with Horizontal(classes="form-row"):
                        key = "close.sign_handover_on" if name == "on" else f"close.sign_{name}"
                        yield Label(t(key), classes="form-label signers", markup=False)
                        with Vertical(classes="form-cell"):
                            placeholder = t("form.date_example") if name == "on" else ""
                            yield Input(shown(value), placeholder=placeholder, id=f"handover-{name}", compact=True)
                for name, value, hint in (
                    ("remarks", h.remarks if h else "", ""),
                    ("files", files_text(h), "handoverui.files_hint"),
                    ("equipment", equipment_text(h), "handoverui.equipment_hint"),
                ):
                    with Horizontal(classes="form-row"):
                        yield Label(t(f"handoverui.{name}"), classes="form-label signers", markup=False)
                        with Vertical(classes="form-cell"):
                            yield TextArea(shown(value, multiline=True), id=f"handover-{name}", soft_wrap=True, compact=True)
                            if hint:
                                yield Static(t(hint), classes="handover-hint", markup=False)
            yield from form_buttons(t("bind.save"))
        yield XFooter()

    def on_mount(self) -> None:
        self.query_one("#handover-on", Input).focus()

    def build(self) -> tuple[Handover | None, list[str]]:
        value = lambda name: self.query_one(f"#handover-{name}", Input).value.strip()  # noqa: E731
        area = lambda name: self.query_one(f"#handover-{name}", TextArea).text  # noqa: E731
        problems: list[str] = []
        on = None
        if value("on"):
            try:
                on = parse_date(value("on"), self.app.today)
            except DateParseError as exc:
                problems.append(f"{t('close.sign_handover_on')}: {t(exc.reason)}")
        files, equipment, bad = parse_lines(area("files"), area("equipment"), self.app.today)
        problems += bad
        if problems:
            return None, problems
        base = self.engagement.handover or Handover()
        try:
            handover = Handover.model_validate({
                **base.model_dump(),
                "on": on, "remarks": area("remarks").strip(), "files": [f.model_dump() for f in files],
                "equipment": [x.model_dump() for x in equipment],
                # A name changed after signing is a new signature: its date goes with the old name.
                **{role: Signature(name=value(role), signed_on=getattr(base, role).signed_on
                                   if getattr(base, role) and getattr(base, role).name == value(role) else None).model_dump()
                   for role in SIGNERS if role != "witness"},
                "witness": Signature(name=value("witness")).model_dump() if value("witness") else None,
            })
        except ValidationError as exc:
            return None, [str(err["msg"]) for err in exc.errors()]
        return handover, []

    def action_save(self) -> None:
        handover, problems = self.build()
        self.show_problems(problems)
        if handover is not None:
            self.dismiss(handover)



def open_handover(screen: EngagementHost) -> None:
    """j: the 事務引継書's data in a dialog; recorded when saved."""
    view = screen.view
    if view is None:
        return
    engagement: Engagement = view.engagement
    app = screen.app

    def saved(handover: Handover | None) -> None:
        if handover is not None:
            record_handover(app, engagement, handover)

    app.push_screen(HandoverDialog(engagement), saved)


def record_handover(app: XtalentHost, engagement: Engagement, handover: Handover) -> None:
    """The handover's data on the engagement as the user saw it, undoably."""
    from xtalent import lifecycle

    session, eid, name = app.session, engagement.id, engagement.person.name

    def change(e: Engagement) -> Engagement:
        return lifecycle.record_handover(e, handover)

    def done(_: Any) -> None:
        app.notify(t("form.undo_hint", what=t("edit.handover", name=name)))

    app.run_edit(lambda: session.apply(eid, change, "edit.handover", base=engagement, name=name), done, name="record-handover")
