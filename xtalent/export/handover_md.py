"""The 事務引継書 in Markdown: every user text escaped, empty `[ ]` boxes for the signers."""

from __future__ import annotations

from typing import Sequence

from ..i18n import t
from .handover import HandoverRecord
from .md import _table, esc


def _h(key: str, lang: str) -> str:
    return t(f"handover.col.{key}", lang)


def _record(r: HandoverRecord) -> list[str]:
    lang = r.lang
    out = [f"# {esc(r.title)}", "", f"_{esc(r.revision_text)} · {esc(r.printed_text)}_", ""]
    out += [f"## {esc(t('handover.section.header', lang))}", ""]
    out += _table([_h("field", lang), _h("value", lang)], [[f.label, f.value] for f in r.header])

    def targets(rows) -> list[str]:
        return _table(
            [_h(c, lang) for c in ("title", "status", "agreed", "indicator", "movement")],
            [[x.title, x.status, x.agreed_text, x.indicator, x.movement] for x in rows],
        )

    out += ["", f"## {esc(t('handover.section.targets', lang))}", ""]
    out += targets(r.agreed_targets) if r.agreed_targets else [esc(t("handover.none", lang))]
    if r.proposed_targets:
        out += ["", f"## {esc(t('handover.section.proposed', lang))}", ""]
        out += targets(r.proposed_targets)

    out += ["", f"## {esc(t('handover.section.items', lang))}", "", f"_{esc(t('handover.box_note', lang))}_", ""]
    for x in r.rows:
        head = " · ".join(esc(p) for p in (x.receiver, x.stage, x.reached) if p)
        out.append(f"- [ ] **{esc(x.item)}** — {head}")
        details = [t("export.label_value", lang, label=_h("kind", lang), value=x.kind)]
        if x.target:
            details.append(t("export.label_value", lang, label=_h("target", lang), value=x.target))
        out.append("  - " + " · ".join(esc(d) for d in details))
        for ev in x.evidence:
            out.append(f"  - {esc(_h('evidence', lang))}: {esc(ev)}")
        # Who checked the line, and when: written on paper.
        out.append("  - " + t("export.label_value", lang, label=esc(_h("checked_by", lang)), value="＿＿＿＿＿＿＿＿　＿＿＿＿＿＿"))

    out += ["", f"## {esc(t('handover.section.open', lang))}", ""]
    if r.open_items:
        out += _table(
            [_h(c, lang) for c in ("item", "stage", "who", "how", "until")],
            [[x.item, x.stage, x.who, x.how, x.until] for x in r.open_items],
        )
    else:
        out.append(esc(t("handover.none", lang)))

    out += ["", f"## {esc(t('handover.section.remarks', lang))}", ""]
    # The 所見 keeps its paragraphs: each line its own escaped line, quoted.
    lines = r.remarks.splitlines() or [t("handover.no_remarks", lang)]
    out += [f"> {esc(line)}" if line.strip() else ">" for line in lines]

    out += ["", f"## {esc(t('handover.section.files', lang))}", ""]
    if r.files:
        out += _table([_h(c, lang) for c in ("file", "location", "note")], [[x.title, x.location, x.note] for x in r.files])
    else:
        out.append(esc(t("handover.none", lang)))

    out += ["", f"## {esc(t('handover.section.equipment', lang))}", ""]
    if r.equipment:
        out += _table(
            [_h(c, lang) for c in ("check", "equipment", "kind_of", "returned", "note")],
            [[x.box, x.name, x.kind, x.returned, x.note] for x in r.equipment],
        )
    else:
        out.append(esc(t("handover.none", lang)))

    out += ["", f"## {esc(t('handover.section.signatures', lang))}", ""]
    out += _table(
        [_h(c, lang) for c in ("signer", "name", "signed_on", "signature")],
        [[x.role, x.name, x.signed_on, ""] for x in r.signatures],
    )
    if r.signed_text:
        out += ["", esc(r.signed_text)]
    out += ["", f"_{esc(r.confidentiality)}_", "", f"_{esc(r.page_line)}_", ""]
    return out


def render(records: Sequence[HandoverRecord]) -> bytes:
    out: list[str] = []
    for n, r in enumerate(records):
        if n:
            out += ["---", ""]
        out += _record(r)
    return "\n".join(out).encode("utf-8")
