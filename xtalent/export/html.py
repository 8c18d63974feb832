"""One self-contained, printable HTML page: inline CSS (A4 print rules), no scripts, no links out.

The page may be mailed around or opened from a shared drive, so it loads nothing from anywhere
and every piece of user text is escaped: a title like `<script>` shows as text.
"""

from __future__ import annotations

from html import escape

from ..i18n import t
from .checklist import Checklist, EngagementChecklist, TargetLine, column

CSS = """
:root { --line: #9aa3ad; --head: #e8eef5; --done: #eaf4e4; --muted: #5b6470; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body {
  font-family: "Noto Sans CJK JP", "Noto Sans JP", "Hiragino Kaku Gothic ProN", "Yu Gothic",
    "YuGothic", "Meiryo", sans-serif;
  font-size: 10.5pt; line-height: 1.5; color: #1d232a; margin: 0 auto; padding: 12mm;
  max-width: 210mm; background: #fff;
}
h1 { font-size: 16pt; margin: 0 0 2mm; }
h2 { font-size: 14pt; margin: 8mm 0 2mm; border-bottom: 2px solid #1d232a; }
h3 { font-size: 11.5pt; margin: 6mm 0 2mm; padding-left: 2mm; border-left: 4px solid #3b6ea8; }
p { margin: 1mm 0; }
.muted, .legend { color: var(--muted); font-size: 9pt; }
table { width: 100%; border-collapse: collapse; margin: 1mm 0 2mm; }
th, td { border: 1px solid var(--line); padding: 1mm 1.5mm; vertical-align: top; text-align: left;
  overflow-wrap: anywhere; }
thead th { background: var(--head); font-weight: bold; font-size: 9pt; }
table.fields th { width: 28%; background: #f3f5f7; font-weight: bold; }
td.num { text-align: right; white-space: nowrap; }
td.date, .nowrap { white-space: nowrap; }
.checklist td { font-size: 9.5pt; }
.checklist tr.ticked td { background: var(--done); }
.checklist .title { font-weight: bold; }
.checklist .sub { display: block; color: var(--muted); font-size: 8.5pt; }
.checklist col.c-box { width: 10mm; } .checklist col.c-item { width: 27%; }
.checklist col.c-recv { width: 21%; } .checklist col.c-due { width: 13%; }
td.boxcell { width: 10mm; text-align: center; vertical-align: middle; }
.box { display: inline-block; width: 4.5mm; height: 4.5mm; border: 1.5px solid #1d232a;
  line-height: 4mm; text-align: center; font-weight: bold; font-size: 10pt; }
.targets col.c-title { width: 19%; } .targets col.c-goal { width: 31%; }
.targets col.c-indicator { width: 19%; } .targets col.c-agreed { width: 13%; }
.targets th:nth-child(n+6), .warnings th:first-child,
.checklist th:first-child { white-space: nowrap; }
.overdue { color: #b00020; font-weight: bold; }
.sev { font-weight: bold; white-space: nowrap; }
.sev-critical { color: #b00020; }
.sev-warning { color: #9a5b00; }
.sev-info { color: #3b6ea8; }
.meter { display: inline-block; width: 40mm; height: 3mm; border: 1px solid var(--line);
  vertical-align: middle; margin-left: 2mm; }
.meter > span { display: block; height: 100%; background: #3b6ea8; }
ul { margin: 1mm 0; padding-left: 6mm; }
table.signoff td { height: 16mm; }
table.signoff th.role { width: 22%; background: #f3f5f7; }
@page { size: A4 portrait; margin: 12mm 10mm 14mm; }
@media print {
  /* 1px either side: a table 100% wide puts half its collapsed outer border outside the body,
     and Chromium's print clips it at the page's edge (no right-hand line on any table). */
  body { padding: 0 1px; max-width: none; font-size: 9.5pt; }
  section.engagement + section.engagement { break-before: page; }
  thead { display: table-header-group; }
  tr, .keep { break-inside: avoid; }
  h2, h3 { break-after: avoid; }
  .signoff-block { break-inside: avoid; }
}
""".strip()


def e(text: object) -> str:
    """Escaped text, its line breaks kept."""
    return escape("" if text is None else str(text), quote=True).replace("\r\n", "\n").replace("\r", "\n").replace("\n", "<br>")


def _table(headers: list[str], rows: list[list[str]], cls: str = "grid", colgroup: tuple[str, ...] = ()) -> list[str]:
    """Rows hold ready HTML cells (<td>...</td>); headers are plain text."""
    cols = "<colgroup>" + "".join(f'<col class="c-{c}">' for c in colgroup) + "</colgroup>" if colgroup else ""
    out = [f'<table class="{cls}">{cols}<thead><tr>' + "".join(f"<th>{e(h)}</th>" for h in headers) + "</tr></thead><tbody>"]
    out += ["<tr>" + "".join(row) + "</tr>" for row in rows]
    out.append("</tbody></table>")
    return out


def td(text: object, cls: str = "") -> str:
    return f'<td class="{cls}">{e(text)}</td>' if cls else f"<td>{e(text)}</td>"


def _agreed(g: TargetLine) -> str:
    # The date on a line of its own: a broken "2025-05-/20" misreads on paper.
    parts = [f'<span class="nowrap">{e(g.agreed_on)}</span>' if g.agreed_on else "", e(g.agreed_by)]
    return "<td>" + "<br>".join(p for p in parts if p) + "</td>"


def _engagement(x: EngagementChecklist, lang: str, single: bool) -> list[str]:
    out = [f'<section class="engagement" id="{e(x.id)}" data-engagement="{e(x.id)}">']
    if not single:
        out.append(f"<h2>{e(x.title)}</h2>")
    out.append('<table class="fields"><tbody>')
    out += [f'<tr data-field="{e(f.key)}"><th>{e(f.label)}</th><td>{e(f.value)}</td></tr>' for f in x.header]
    out.append("</tbody></table>")

    out.append(f"<h3>{e(t('export.section.targets', lang))}</h3>")
    if x.targets:
        cols = [t(f"export.col.{c}", lang) for c in ("title", "scope", "goal", "indicator", "agreed", "status", "owner")]
        rows = [
            [td(g.title, "title"), td(g.scope), td(g.goal), td(g.indicator), _agreed(g), td(g.status, "nowrap"), td(g.owner, "nowrap")]
            for g in x.targets
        ]
        out += _table(cols, rows, "grid targets", colgroup=("title", "scope", "goal", "indicator", "agreed", "status", "owner"))
    else:
        out.append(f'<p class="muted">{e(t("export.no_targets", lang))}</p>')

    out.append(f"<h3>{e(t('export.section.checklist', lang))}</h3>")
    if x.lines:
        out.append(f'<p class="legend">{e(t("export.legend", lang))}</p>')
        cols = [t(f"export.col.{c}", lang) for c in ("done", "item", "receivers", "stage", "due", "evidence")]
        out.append(
            '<table class="grid checklist"><colgroup><col class="c-box"><col class="c-item"><col class="c-recv">'
            '<col class="c-stage"><col class="c-due"><col class="c-evidence"></colgroup><thead><tr>'
            + "".join(f"<th>{e(h)}</th>" for h in cols)
            + "</tr></thead><tbody>"
        )
        for line in x.lines:
            state = "done" if line.ticked else "open"
            mark = "✓" if line.ticked else ""
            sub = " · ".join(p for p in (line.kind, line.target) if p)
            due = e(line.due_text or t("export.none", lang))
            if line.overdue:
                due = f'<span class="overdue">{due}<br>{e(t("export.overdue", lang))}</span>'
            evidence = (
                f'<span class="nowrap">{e(line.evidence_on.isoformat())}</span><br>{e(line.evidence)}'
                if line.evidence_on
                else e(t("export.none", lang))
            )
            out.append(
                f'<tr class="line{" ticked" if line.ticked else ""}" data-item="{e(line.item_id)}" '
                f'data-ticked="{"true" if line.ticked else "false"}" data-stage="{e(line.stage_value)}">'
                f'<td class="boxcell"><span class="box" role="img" aria-label="{e(t(f"export.box.{state}", lang))}">{mark}</span></td>'
                f'<td><span class="title">{e(line.title)}</span><span class="sub">{e(sub)}</span></td>'
                f"{td(line.receivers or t('export.none', lang))}{td(line.stage, 'nowrap')}"
                f'<td class="date">{due}</td><td>{evidence}</td></tr>'
            )
        out.append("</tbody></table>")
    else:
        out.append(f'<p class="muted">{e(t("export.no_items", lang))}</p>')

    out.append(f"<h3>{e(t('export.section.staff', lang))}</h3>")
    if x.staff:
        cols = [t(f"export.col.{c}", lang) for c in ("name", "department", "position", "structure_role", "rotation", "received", "independent")]
        rows = [
            [td(s.name), td(s.department), td(s.position), td(s.role), td(s.rotation_text, "date"), td(s.received, "num"), td(s.independent, "num")]
            for s in x.staff
        ]
        out += _table(cols, rows, "grid staff")
    else:
        out.append(f'<p class="muted">{e(t("export.no_staff", lang))}</p>')

    out.append(f"<h3>{e(t('export.section.warnings', lang))}</h3>")
    if not x.warnings_evaluated:
        out.append(f'<p class="muted">{e(t("export.not_evaluated", lang))}</p>')
    elif not x.warnings:
        out.append(f'<p class="muted">{e(t("export.no_warnings", lang))}</p>')
    else:
        cols = [column(c, lang) for c in ("severity", "warning", "action", "subject")]
        rows = [
            [
                f'<td class="sev sev-{e(w.severity_value)}">{e(w.severity)}</td>',
                td(w.message),
                td(w.action),
                td(w.subject),
            ]
            for w in x.warnings
        ]
        out += _table(cols, rows, "grid warnings")

    out.append(f"<h3>{e(t('export.section.readiness', lang))}</h3>")
    out.append('<ul class="readiness keep">')
    score = x.readiness.score
    meter = f'<span class="meter"><span style="width:{max(0, min(100, int(score)))}%"></span></span>' if score is not None else ""
    out.append(f"<li>{e(x.header_line('readiness'))}{meter}")
    if x.readiness.parts:
        out.append("<ul>" + "".join(f"<li>{e(n)}</li>" for n in x.readiness.parts) + "</ul>")
    out.append("</li>")
    out.append(f"<li>{e(x.header_line('bunshin'))}</li>")
    out.append(f"<li>{e(x.header_line('transferred'))}</li></ul>")

    out.append('<div class="signoff-block">')
    out.append(f"<h3>{e(t('export.section.signoff', lang))}</h3>")
    out.append(f"<p>{e(t('export.signoff.note', lang))}</p>")
    cols = [t(f"export.col.signoff_{c}", lang) for c in ("role", "name", "date", "signature")]
    rows = [[f'<th class="role">{e(s.role)}</th>', td(s.name), td(""), td("")] for s in x.signoff]
    out += _table(cols, rows, "grid signoff")
    out.append("</div></section>")
    return out


def page(lang: str, title: str, css: str, body: list[str], *, body_class: str = "", viewport: bool = False) -> bytes:
    """One self-contained HTML page: inline CSS, and no scripts and no fetches, so it renders the
    same offline and from a mail.  `title` and `body` are already escaped where they hold text."""
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{e(lang)}">',
        "<head>",
        '<meta charset="utf-8">',
        *(['<meta name="viewport" content="width=device-width, initial-scale=1">'] if viewport else []),
        '<meta name="generator" content="xtalent">',
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        f"<title>{e(title)}</title>",
        f"<style>\n{css}\n</style>",
        "</head>",
        f'<body class="{body_class}">' if body_class else "<body>",
        *body,
        "</body>",
        "</html>",
        "",
    ]
    return "\n".join(out).encode("utf-8")


def render(checklist: Checklist) -> bytes:
    lang = checklist.lang
    single = len(checklist.engagements) == 1
    body = [f"<header><h1>{e(checklist.title)}</h1><p class=\"muted\">{e(checklist.exported_text)}</p></header>"]
    if not checklist.engagements:
        body.append(f'<p class="muted">{e(t("export.no_engagements", lang))}</p>')
    for x in checklist.engagements:
        body += _engagement(x, lang, single)
    return page(lang, checklist.title, CSS, body, viewport=True)
