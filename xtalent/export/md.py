"""GitHub-flavoured Markdown: `- [x]` boxes, pipe tables, every user text escaped."""

from __future__ import annotations

import re

from ..i18n import t
from .checklist import Checklist, EngagementChecklist

# Punctuation GFM reads as inline syntax: emphasis, code, links, tables, raw HTML, entities,
# strikethrough, a heading's closing #.  Block syntax (-, +, 1.) only counts at a line's start,
# and every line here starts with our own marker, so those stay readable unescaped.
_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&#])")
_WS = re.compile(r"\s+")


def esc(text: str) -> str:
    """One line of user text as literal Markdown (newlines folded: a list item stays one line)."""
    return _SPECIAL.sub(r"\\\1", _WS.sub(" ", text or "").strip())


def _table(headers: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(esc(h) for h in headers) + " |", "|" + "---|" * len(headers)]
    out += ["| " + " | ".join(esc(c) for c in row) + " |" for row in rows]
    return out


def _engagement(e: EngagementChecklist, lang: str, level: int) -> list[str]:
    h = "#" * level
    out: list[str] = []
    out += _table([t("export.col.field", lang), t("export.col.value", lang)], [[f.label, f.value] for f in e.header])

    out += ["", f"{h} {esc(t('export.section.targets', lang))}", ""]
    if e.targets:
        out += _table(
            [t(f"export.col.{c}", lang) for c in ("title", "scope", "goal", "indicator", "agreed", "status", "owner")],
            [[g.title, g.scope, g.goal, g.indicator, g.agreed, g.status, g.owner] for g in e.targets],
        )
    else:
        out.append(esc(t("export.no_targets", lang)))

    out += ["", f"{h} {esc(t('export.section.checklist', lang))}", ""]
    if e.lines:
        out += [f"_{esc(t('export.legend', lang))}_", ""]
    none = t("export.none", lang)
    for line in e.lines:
        box = "[x]" if line.ticked else "[ ]"
        due = line.due_text or none
        if line.overdue:
            due += f" ({t('export.overdue', lang)})"
        def lv(key: str, value: str) -> str:
            return t("export.label_value", lang, label=t(key, lang), value=value)

        details = [lv("export.kind_label", line.kind), lv("export.stage_summary", line.stage), lv("export.due_label", due)]
        if line.target:
            details.append(lv("export.target_label", line.target))
        evidence = f"{line.evidence_on.isoformat()} {line.evidence}" if line.evidence_on else none
        out.append(f"- {box} **{esc(line.title)}** — " + " · ".join(esc(d) for d in details))
        # Continuation lines indented under the item keep the list (and its box) intact.
        out.append(f"  - {esc(lv('export.receivers_label', line.receivers or none))}")
        out.append(f"  - {esc(lv('export.evidence_label', evidence))}")
    if not e.lines:
        out.append(esc(t("export.no_items", lang)))

    out += ["", f"{h} {esc(t('export.section.staff', lang))}", ""]
    if e.staff:
        out += _table(
            [t(f"export.col.{c}", lang) for c in ("name", "department", "position", "structure_role", "rotation", "received", "independent")],
            [[s.name, s.department, s.position, s.role, s.rotation_text, str(s.received), str(s.independent)] for s in e.staff],
        )
    else:
        out.append(esc(t("export.no_staff", lang)))

    out += ["", f"{h} {esc(t('export.section.warnings', lang))}", ""]
    if not e.warnings_evaluated:
        out.append(esc(t("export.not_evaluated", lang)))
    elif not e.warnings:
        out.append(esc(t("export.no_warnings", lang)))
    for w in e.warnings:
        # Most messages already name their subject; repeat it only when they do not.
        subject = f" ({w.subject})" if w.subject and w.subject not in w.message else ""
        out.append(f"- **{esc(w.severity)}** {esc(w.message + subject)}")
        if w.action:
            out.append(f"  - {esc(t('export.action', lang, action=w.action))}")

    out += ["", f"{h} {esc(t('export.section.readiness', lang))}", ""]
    out.append(f"- {esc(e.header_line('readiness'))}")
    for name in e.readiness.parts:
        out.append(f"  - {esc(name)}")
    out.append(f"- {esc(e.header_line('bunshin'))}")
    out.append(f"- {esc(e.header_line('transferred'))}")

    out += ["", f"{h} {esc(t('export.section.signoff', lang))}", "", esc(t("export.signoff.note", lang)), ""]
    out += _table(
        [t(f"export.col.signoff_{c}", lang) for c in ("role", "name", "date", "signature")],
        [[s.role, s.name, "", ""] for s in e.signoff],
    )
    return out


def render(checklist: Checklist) -> bytes:
    lang = checklist.lang
    out = [f"# {esc(checklist.title)}", ""]
    if len(checklist.engagements) != 1:
        # A single engagement's header table already carries the export date.
        out += [esc(checklist.exported_text), ""]
    if not checklist.engagements:
        out.append(esc(t("export.no_engagements", lang)))
    single = len(checklist.engagements) == 1
    for e in checklist.engagements:
        if not single:
            out += [f"## {esc(e.title)}", ""]
        out += _engagement(e, lang, 2 if single else 3)
        out.append("")
    return ("\n".join(out).rstrip("\n") + "\n").encode("utf-8")
