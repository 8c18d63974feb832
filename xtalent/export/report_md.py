"""The 年度実績報告 in Markdown: the totals first, then each engagement, every figure with how it
was computed.  User text escaped as in the checklist's Markdown."""

from __future__ import annotations

from ..i18n import t
from ..report import FiscalReport
from .md import _table, esc


def render(report: FiscalReport) -> bytes:
    lang = report.lang
    cols = [t(f"report.{c}_col", lang) for c in ("figure", "value", "how")]
    out = [f"# {esc(report.title)}", "", esc(t("export.label_value", lang, label=t("report.period", lang), value=report.period))]
    if report.as_of_note:
        out += ["", f"_{esc(report.as_of_note)}_"]
    out += ["", f"## {esc(t('report.totals', lang))}", ""]
    if not report.engagements:
        out.append(esc(t("report.no_engagements", lang)))
    else:
        out += _table(
            [t("report.person_col", lang), t("report.type_col", lang), *[f.label for f in report.totals]],
            [[p.person, p.type, *[f.value for f in p.figures]] for p in report.engagements]
            + [[t("report.totals", lang), "", *[f.value for f in report.totals]]],
        )
    for p in report.engagements:
        out += ["", f"## {esc(p.person)} — {esc(p.type)}", "", esc(t("export.label_value", lang, label=t("report.term_col", lang), value=p.term)), ""]
        out += _table(cols, [[f.label, f.value, f.how] for f in p.figures])
        out += ["", f"### {esc(t('report.departments', lang))}", ""]
        out += _table([t("report.department_col", lang), t("report.count_col", lang)], [[d, str(n)] for d, n in p.departments]) if p.departments else [esc(t("export.none", lang))]
        out += ["", f"### {esc(t('report.targets', lang))}", ""]
        out += _table([t(f"report.{c}_col", lang) for c in ("target", "status", "movement", "how")], [[x.title, x.status, x.movement, x.how] for x in p.targets]) if p.targets else [esc(t("export.none", lang))]
    out.append("")
    return "\n".join(out).encode("utf-8")
