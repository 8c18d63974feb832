"""The 実施報告書 in Markdown: one section per dispatch, every user text escaped, the advice and
next steps kept as written (each line its own quoted line)."""

from __future__ import annotations

from typing import Sequence

from ..i18n import t
from .dispatch import DispatchReport
from .md import _table, esc


def _c(key: str, lang: str) -> str:
    return t(f"dispatch.col.{key}", lang)


def _block(text: str, lang: str) -> list[str]:
    lines = text.splitlines() or [t("dispatch.not_written", lang)]
    return [f"> {esc(line)}" if line.strip() else ">" for line in lines]


def _report(r: DispatchReport) -> list[str]:
    lang = r.lang
    out = [f"# {esc(r.title)}", "", f"_{esc(r.printed_text)}_", ""]
    out += [f"## {esc(t('dispatch.section.header', lang))}", ""]
    out += _table([_c("field", lang), _c("value", lang)], [[f.label, f.value] for f in r.header])
    out += ["", f"## {esc(t('dispatch.section.consultations', lang))}"]
    for n, x in enumerate(r.rows, start=1):
        head = t("dispatch.consultation_head", lang, n=n, kind=x.kind, department=x.department or t("dispatch.not_written", lang))
        out += ["", f"### {esc(head)}", ""]
        facts = [(_c("attendees", lang), x.attendees), (_c("topic", lang), x.topic), (_c("target", lang), x.target),
                 (_c("time", lang), x.time)]
        out += [f"- {esc(t('export.label_value', lang, label=k, value=v))}" for k, v in facts if v]
        out += ["", f"**{esc(_c('advice', lang))}**", ""] + _block(x.advice, lang)
        out += ["", f"**{esc(_c('next_steps', lang))}**", ""] + _block(x.next_steps, lang)
    out += ["", f"## {esc(t('dispatch.section.signatures', lang))}", "", esc(t("dispatch.sign_note", lang)), ""]
    out += _table([_c(c, lang) for c in ("signer", "name", "signed_on", "signature")], [[x.role, x.name, "", ""] for x in r.signatures])
    out += ["", f"_{esc(r.page_line)}_", ""]
    return out


def render(reports: Sequence[DispatchReport], lang: str) -> bytes:
    if not reports:
        return (f"# {esc(t('dispatch.title', lang))}\n\n{esc(t('dispatch.none', lang))}\n").encode("utf-8")
    out: list[str] = []
    for n, r in enumerate(reports):
        if n:
            out += ["---", ""]
        out += _report(r)
    return "\n".join(out).encode("utf-8")
