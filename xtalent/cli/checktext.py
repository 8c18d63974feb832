"""`check`'s text for people: each engagement's header and findings wrapped to the terminal, and
the summary line.  Apart from cli/check.py, so `check --format json` (what scripts run, and the
day's first check at a thousand engagements) imports no text measuring or wrapping."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from ..i18n import t
from ..labels import label
from ..textwidth import cell_width, column_width, pad, truncate
from ..usertext import shown
from ..views.text import wrap  # kinsoku: no line starts with 。、）, dates stay whole

if TYPE_CHECKING:
    from ..models import Engagement
    from ..pitfalls import Finding

SUBJECT_WIDTH = 24
# Messages carry the facts: they are wrapped to the terminal, never cut.


def engagement_block(engagement: Engagement, findings: list[Finding], today: date, lang: str, width: int) -> str:
    """One engagement's header and findings (or, closed, how it was closed), then a blank line."""
    lines = wrapped_header(_header(engagement, today, lang), width)
    if engagement.closure is not None:
        closure = engagement.closure
        text = t("check.closed", lang, status=label(engagement.lifecycle(today), lang), on=closure.on.isoformat(),
                 by=closure.by)
        lines.extend("  " + line for line in wrap(text, width - 2))
    else:
        lines.append(_table(engagement, findings, lang, width) if findings else "  " + t("check.none", lang))
    lines.append("")
    return "\n".join(lines)


def summary(engagements: int, findings: list[Finding], today: date, lang: str, closed: int = 0) -> str:
    from ..pitfalls import Severity, count_by_severity

    counts = count_by_severity(findings)
    text = t(
        "check.summary", lang, engagements=engagements, today=today.isoformat(),
        critical=counts[Severity.CRITICAL], warning=counts[Severity.WARNING], info=counts[Severity.INFO],
    )
    if closed:
        text += t("check.closed_skipped", lang, n=closed)
    return text


def wrapped_header(text: str, width: int) -> list[str]:
    # Its parts are set apart by two spaces; wrapped, a line break does that and one space will do.
    return [text] if cell_width(text) <= width else wrap(" ".join(text.split()), width)


def _header(engagement: Engagement, today: date, lang: str) -> str:
    from ..metrics import bunshin, readiness

    days = engagement.days_left(today)
    end = engagement.term_end.isoformat()
    term = (
        t("pitfall.common.term_left", lang, days=days, date=end)
        if days >= 0
        else t("pitfall.common.term_over", lang, days=-days, date=end)
    )
    return t(
        "check.engagement", lang, id=engagement.id, person=engagement.person.name, role=label(engagement.role, lang),
        status=label(engagement.lifecycle(today), lang),
        readiness=readiness(engagement, today, lang).value, bunshin=bunshin(engagement).total, term=term,
    )


def _subject(engagement: Engagement, finding: Finding, lang: str) -> str:
    """The record a finding is about; for one cause covering several, the first and how many more."""
    from ..views.engagement import subject_title

    subjects = finding.subjects
    if not subjects:
        return "-"
    record = engagement.find(subjects[0])
    name = shown(subject_title(record) if record is not None else subjects[0])
    if len(subjects) == 1:
        return truncate(name, SUBJECT_WIDTH)
    more = t("pitfall.common.and_more", lang, n=len(subjects) - 1).strip()
    return truncate(name, SUBJECT_WIDTH - cell_width(more) - 1) + " " + more


MIN_MESSAGE_WIDTH = 30
STACK_INDENT = "    "


def _table(engagement: Engagement, findings: list[Finding], lang: str, width: int) -> str:
    """Severity, code and subject, then the message and its action wrapped to the terminal."""
    headers = [t("pitfall.severity.name", lang)] + [t(f"check.col_{c}", lang) for c in ("code", "subject", "message")]
    rows: list[tuple[list[str], str, str]] = []
    for finding in findings:
        # Names inside are shown safe before they are measured: a control character becomes a
        # one-cell picture (␛) where the terminal would have drawn nothing.
        message, action = (shown(part) for part in finding.text(lang))
        cells = [finding.severity.label(lang), finding.code, _subject(engagement, finding, lang)]
        rows.append((cells, message, t("check.action", lang, action=action)))
    fixed = [column_width(headers[c], (r[0][c] for r in rows)) for c in range(3)]
    indent = sum(fixed) + 2 * 3
    longest = column_width(headers[3], (text for r in rows for text in r[1:]))
    if width - indent >= MIN_MESSAGE_WIDTH:
        message_width = min(longest, width - indent)
        widths = [*fixed, message_width]
        lines = ["  ".join(pad(headers[c], widths[c]) for c in range(4)).rstrip()]
        lines.append("  ".join("-" * w for w in widths))
        for cells, message, action in rows:
            first = True
            for text in (message, action):
                for piece in wrap(text, message_width):
                    left = [pad(c, w) for c, w in zip(cells, fixed)] if first else [" " * w for w in fixed]
                    lines.append("  ".join([*left, piece]).rstrip())
                    first = False
        return "\n".join(lines)
    # Too narrow for a column: the message and action go on their own lines under the row.
    lines = ["  ".join(pad(headers[c], fixed[c]) for c in range(3)).rstrip()]
    lines.append("-" * min(indent - 2, width))
    for cells, message, action in rows:
        lines.append("  ".join(pad(c, w) for c, w in zip(cells, fixed)).rstrip())
        for text in (message, action):
            lines.extend(STACK_INDENT + piece for piece in wrap(text, width - len(STACK_INDENT)))
    return "\n".join(lines)
