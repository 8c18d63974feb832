"""The 事務引継書 as one printable HTML page (A4): inline CSS, no scripts, every user text escaped.

On paper every page repeats the table headings, and carries the record's title, revision and
printed date (a fixed footer line) and its page number (the @page margin box).
"""

from __future__ import annotations

from typing import Sequence

from ..i18n import t
from .handover import HandoverRecord, TargetRow
from .html import CSS as BASE_CSS
from .html import _table, e, page, td

CSS = BASE_CSS + """
.pageline { color: var(--muted); font-size: 8.5pt; border-top: 1px solid var(--line); margin-top: 6mm; padding-top: 1mm; }
.record td.boxcell { width: 10mm; }
.items col.c-box { width: 10mm; } .items col.c-item { width: 21%; } .items col.c-receiver { width: 12%; }
.items col.c-stage { width: 11%; } .items col.c-reached { width: 12%; } .items col.c-checked_by { width: 14%; }
.items td:nth-child(3) { white-space: nowrap; }
.signatures col.c-signer { width: 24%; } .signatures col.c-name { width: 26%; }
.signatures col.c-signed_on { width: 18%; } .signatures col.c-signature { width: 32%; }
.record .evidence { margin: 0; padding-left: 4mm; }
.record .evidence li { font-size: 8.5pt; }
.remarks { border: 1px solid var(--line); padding: 2mm 3mm; min-height: 20mm; white-space: normal; }
.note { color: var(--muted); font-size: 9pt; }
table.signatures td { height: 16mm; }
table.signatures th.role { width: 26%; background: #f3f5f7; }
@page { @bottom-right { content: counter(page) " / " counter(pages); font-size: 8pt; color: #5b6470; } }
@media print {
  /* One record: its line is on every page. Several: each closes its own record in the flow
     (a fixed line would print the last record's on every page). */
  body.one .pageline { position: fixed; bottom: 0; left: 0; right: 0; margin: 0; background: #fff; }
  section.record { padding-bottom: 8mm; }
  section.record + section.record { break-before: page; }
}
""".rstrip()


def _h(key: str, lang: str) -> str:
    return t(f"handover.col.{key}", lang)


def _box(lang: str) -> str:
    # Empty, always: the people signing tick it on paper.
    return f'<td class="boxcell"><span class="box" role="img" aria-label="{e(t("export.box.open", lang))}"></span></td>'


def _targets(rows: Sequence[TargetRow], lang: str) -> list[str]:
    cols = [_h(c, lang) for c in ("title", "status", "agreed", "indicator", "movement")]
    body = [[td(x.title, "title"), td(x.status, "nowrap"), td(x.agreed_text), td(x.indicator), td(x.movement)] for x in rows]
    return _table(cols, body, "grid targets")


def _record(r: HandoverRecord) -> list[str]:
    lang = r.lang
    none = f'<p class="muted">{e(t("handover.none", lang))}</p>'
    out = [f'<section class="record" data-engagement="{e(r.id)}" data-revision="{r.revision}">']
    out.append(f"<h1>{e(r.title)}</h1>")
    out.append(f'<p class="muted" data-revision="{r.revision}">{e(r.revision_text)}　{e(r.printed_text)}</p>')
    out.append('<table class="fields"><tbody>')
    out += [f'<tr data-field="{e(f.key)}"><th>{e(f.label)}</th><td>{e(f.value)}</td></tr>' for f in r.header]
    out.append("</tbody></table>")

    out.append(f"<h2>{e(t('handover.section.targets', lang))}</h2>")
    out += _targets(r.agreed_targets, lang) if r.agreed_targets else [none]
    if r.proposed_targets:
        out.append(f"<h2>{e(t('handover.section.proposed', lang))}</h2>")
        out += _targets(r.proposed_targets, lang)

    out.append(f"<h2>{e(t('handover.section.items', lang))}</h2>")
    out.append(f'<p class="note">{e(t("handover.box_note", lang))}</p>')
    if r.rows:
        cols = [_h(c, lang) for c in ("check", "item", "receiver", "stage", "reached", "evidence", "checked_by")]
        body = []
        for x in r.rows:
            sub = " · ".join(p for p in (x.kind, x.target) if p)
            evidence = "<ul class=\"evidence\">" + "".join(f"<li>{e(ev)}</li>" for ev in x.evidence) + "</ul>" if x.evidence else e(t("export.none", lang))
            body.append([
                _box(lang),
                f'<td><span class="title">{e(x.item)}</span><span class="sub">{e(sub)}</span></td>',
                td(x.receiver), td(x.stage, "nowrap"), td(x.reached, "date"), f"<td>{evidence}</td>",
                '<td class="checked-by"></td>',  # who checked, and when: written on paper
            ])
        out += _table(cols, body, "grid checklist items",
                      colgroup=("box", "item", "receiver", "stage", "reached", "evidence", "checked_by"))
    else:
        out.append(none)

    out.append(f"<h2>{e(t('handover.section.open', lang))}</h2>")
    if r.open_items:
        cols = [_h(c, lang) for c in ("item", "stage", "who", "how", "until")]
        out += _table(cols, [[td(x.item), td(x.stage, "nowrap"), td(x.who), td(x.how), td(x.until, "date")] for x in r.open_items], "grid open")
    else:
        out.append(none)

    out.append(f"<h2>{e(t('handover.section.remarks', lang))}</h2>")
    out.append(f'<div class="remarks">{e(r.remarks) if r.remarks else e(t("handover.no_remarks", lang))}</div>')

    out.append(f"<h2>{e(t('handover.section.files', lang))}</h2>")
    if r.files:
        out += _table([_h(c, lang) for c in ("file", "location", "note")], [[td(x.title), td(x.location), td(x.note)] for x in r.files], "grid files")
    else:
        out.append(none)

    out.append(f"<h2>{e(t('handover.section.equipment', lang))}</h2>")
    if r.equipment:
        cols = [_h(c, lang) for c in ("check", "equipment", "kind_of", "returned", "note")]
        out += _table(cols, [[_box(lang), td(x.name), td(x.kind), td(x.returned, "date"), td(x.note)] for x in r.equipment], "grid equipment")
    else:
        out.append(none)

    out.append('<div class="signoff-block">')
    out.append(f"<h2>{e(t('handover.section.signatures', lang))}</h2>")
    out.append(f'<p class="note">{e(r.confidentiality)}</p>')
    cols = [_h(c, lang) for c in ("signer", "name", "signed_on", "signature")]
    out += _table(
        cols,
        [[f'<th class="role" data-signer="{e(x.key)}">{e(x.role)}</th>', td(x.name), td(x.signed_on, "date"), td("")] for x in r.signatures],
        "grid signatures",
        colgroup=("signer", "name", "signed_on", "signature"),
    )
    if r.signed_text:
        out.append(f"<p>{e(r.signed_text)}</p>")
    out.append("</div>")
    out.append(f'<p class="pageline">{e(r.page_line)}</p>')
    out.append("</section>")
    return out


def render(records: Sequence[HandoverRecord]) -> bytes:
    lang = records[0].lang if records else "ja"
    title = records[0].title if len(records) == 1 else t("handover.title", lang)
    body = [line for r in records for line in _record(r)]
    return page(lang, title, CSS, body, body_class="one" if len(records) == 1 else "")
