"""The 実施報告書 as one printable HTML page (A4): inline CSS, no scripts, every user text
escaped; each dispatch starts a new page and carries its title and printed date at the foot."""

from __future__ import annotations

from typing import Sequence

from ..i18n import t
from .dispatch import DispatchReport
from .handover_html import CSS as HANDOVER_CSS
from .html import _table, e, page, td

CSS = HANDOVER_CSS + """
.consultation { border: 1px solid var(--line); margin: 0 0 4mm; padding: 2mm 3mm; break-inside: avoid; }
.consultation h3 { margin: 0 0 1.5mm; font-size: 10.5pt; }
.consultation dl { display: grid; grid-template-columns: 32mm 1fr; gap: 1mm 3mm; margin: 0; }
.consultation dt { font-weight: bold; color: var(--muted); }
.consultation dd { margin: 0; }
.consultation dd.text { min-height: 12mm; }
/* One report per dispatch, each on its own pages: its title line closes it in the flow (a fixed
   footer would print the last report's line on every page). */
@media print { .dispatch .pageline { position: static; margin-top: 6mm; } }
""".rstrip()


def _c(key: str, lang: str) -> str:
    return t(f"dispatch.col.{key}", lang)


def _report(r: DispatchReport) -> list[str]:
    lang = r.lang
    out = [f'<section class="record dispatch" data-engagement="{e(r.id)}" data-date="{r.on.isoformat()}">']
    out.append(f"<h1>{e(r.title)}</h1>")
    out.append(f'<p class="muted">{e(r.printed_text)}</p>')
    out.append(f"<h2>{e(t('dispatch.section.header', lang))}</h2>")
    out.append('<table class="fields"><tbody>')
    out += [f'<tr data-field="{e(f.key)}"><th>{e(f.label)}</th><td>{e(f.value)}</td></tr>' for f in r.header]
    out.append("</tbody></table>")
    out.append(f"<h2>{e(t('dispatch.section.consultations', lang))}</h2>")
    missing = t("dispatch.not_written", lang)
    for n, x in enumerate(r.rows, start=1):
        head = t("dispatch.consultation_head", lang, n=n, kind=x.kind, department=x.department or missing)
        out.append(f'<div class="consultation" data-log="{e(x.log_id)}">')
        out.append(f"<h3>{e(head)}</h3><dl>")
        for key, value, cls in (("attendees", x.attendees, ""), ("topic", x.topic, ""), ("target", x.target, ""),
                                ("time", x.time, ""), ("advice", x.advice, "text"), ("next_steps", x.next_steps, "text")):
            if value or cls:
                out.append(f'<dt>{e(_c(key, lang))}</dt><dd class="{cls}" data-col="{key}">{e(value or missing)}</dd>')
        out.append("</dl></div>")
    out.append('<div class="signoff-block">')
    out.append(f"<h2>{e(t('dispatch.section.signatures', lang))}</h2>")
    out.append(f'<p class="note">{e(t("dispatch.sign_note", lang))}</p>')
    out += _table(
        [_c(c, lang) for c in ("signer", "name", "signed_on", "signature")],
        [[f'<th class="role" data-signer="{e(x.key)}">{e(x.role)}</th>', td(x.name), td(""), td("")] for x in r.signatures],
        "grid signatures",
        colgroup=("signer", "name", "signed_on", "signature"),
    )
    out.append("</div>")
    out.append(f'<p class="pageline">{e(r.page_line)}</p>')
    out.append("</section>")
    return out


def render(reports: Sequence[DispatchReport], lang: str) -> bytes:
    title = reports[0].title if len(reports) == 1 else t("dispatch.title", lang)
    body: list[str] = [] if reports else [f"<h1>{e(title)}</h1><p>{e(t('dispatch.none', lang))}</p>"]
    for r in reports:
        body += _report(r)
    return page(lang, title, CSS, body)
