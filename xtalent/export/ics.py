"""iCalendar (Outlook, Google, Apple): the term end and every item's due date, with reminders.

UIDs come from the engagement and item ids, which never change once assigned, and SEQUENCE
from the engagement's revision: importing a newer export updates the same events instead of
adding duplicates.  DTSTAMP is `today`, so the same data exports to the same bytes.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from icalendar import Alarm, Calendar, Event, vText

from ..i18n import t
from .checklist import Checklist, EngagementChecklist, date_text

PRODID = "-//xtalent//handover checklist//{lang}"
# All-day events start at local midnight; a reminder at 09:00 reaches people at their desks.
REMINDER_HOUR = 9


# iCalendar TEXT may hold no control character but a tab (RFC 5545 3.3.11); line breaks are
# written escaped ("\\n").  Every other C0, DEL and C1 character becomes U+FFFD.
_NOT_TEXT = {code: 0xFFFD for code in [*range(0x20), 0x7F, *range(0x80, 0xA0)] if code not in (0x09, 0x0A)}


def text(value: str) -> vText:
    """User text as an iCalendar TEXT value, always escaped by us.

    icalendar escapes the properties it knows as text but writes an X- property (X-WR-CALNAME)
    as given, and guards that only with an `assert`: under `python -O` a name holding CR/LF
    then ended the line and started properties of its own.  Wrapping every value in vText
    escapes it whatever the property, and a line break can no longer reach the file raw.
    """
    return vText(value.replace("\r\n", "\n").replace("\r", "\n").translate(_NOT_TEXT))


def uid(engagement_id: str, what: str) -> str:
    return f"xtalent-{engagement_id}-{what}@xtalent"


def _all_day(event: Event, day: date) -> None:
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))
    event.add("transp", "TRANSPARENT")  # a deadline, not a meeting: it blocks no time


def _alarm(summary: str, days: int, day: date, lang: str) -> Alarm:
    """A reminder at 09:00, `days` days before `day`: its text says "before", and which day."""
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("trigger", timedelta(days=-days, hours=REMINDER_HOUR))
    key = "export.ics.reminder" if days else "export.ics.reminder_same_day"
    alarm.add("description", text(t(key, lang, days=days, summary=summary, date=date_text(day, lang))))
    return alarm


# A folded line may break only where a reader would: after a space or punctuation, or before an
# opening bracket (RFC 5545 3.1 folds lines longer than 75 octets; any place is legal, but a
# title cut "（地域情報化アドバイザー（\n 総務省派遣））" reads as cut to whoever opens the file).
FOLD_OCTETS = 75
_BREAK_AFTER = frozenset(" 、。，,．.：:;；）)」』】〕］]・/")
_BREAK_BEFORE = frozenset("（(「『【〔［[")  # the opening brackets
_CLOSE = frozenset("）)」』】〕］]")


def fold(line: str, limit: int = FOLD_OCTETS) -> str:
    """One unfolded content line folded into lines of at most `limit` octets.

    Each break is at a sensible boundary that fits, outside brackets if it can be ("…智明" /
    "（地域情報化アドバイザー（総務省派遣））"), else as shallow in them as it can, the latest
    of those; at the last whole character only when there is no boundary at all.
    """
    out: list[str] = []
    rest = line
    room = limit
    depth = 0  # brackets open at the start of `rest`
    while len(rest.encode("utf-8")) > room:
        size = 0
        fits = 0  # characters that fit in this physical line
        best: tuple[int, int] | None = None  # (-depth, position) of the best break so far
        level = depth
        for n, ch in enumerate(rest):
            size += len(ch.encode("utf-8"))
            if size > room:
                break
            fits = n + 1
            if ch in _BREAK_BEFORE:
                level += 1
            elif ch in _CLOSE and level:
                level -= 1
            nxt = rest[n + 1] if n + 1 < len(rest) else ""
            if nxt and ch != "\\" and (ch in _BREAK_AFTER or nxt in _BREAK_BEFORE):
                if best is None or (-level, n + 1) >= best:
                    best = (-level, n + 1)
        cut = best[1] if best else fits
        for ch in rest[:cut]:
            depth += 1 if ch in _BREAK_BEFORE else -1 if ch in _CLOSE and depth else 0
        out.append(rest[:cut])
        rest = rest[cut:]
        room = limit - 1  # a continuation line starts with the space that marks it
    out.append(rest)
    return "\r\n ".join(out)


def _events(x: EngagementChecklist, lang: str, stamp: datetime, reminder_days: int) -> list[Event]:
    out = []
    term = Event()
    term.add("uid", uid(x.id, "term-end"))
    term.add("dtstamp", stamp)
    term.add("sequence", x.revision)
    summary = t("export.ics.term_end", lang, person=x.person, role=x.role)
    term.add("summary", text(summary))
    term.add(
        "description",
        text(t("export.ics.term_end_body", lang, organisation=x.organisation, person=x.person, transferred=x.transferred_text)),
    )
    _all_day(term, x.term_end)
    term.add_component(_alarm(summary, reminder_days, x.term_end, lang))
    out.append(term)

    for line in x.lines:
        if line.due is None:
            continue
        event = Event()
        event.add("uid", uid(x.id, f"{line.item_id}-due"))
        event.add("dtstamp", stamp)
        event.add("sequence", x.revision)
        key = "export.ics.item_due_done" if line.ticked else "export.ics.item_due"
        summary = t(key, lang, item=line.title, person=x.person)
        event.add("summary", text(summary))
        event.add(
            "description",
            text(t("export.ics.item_body", lang, receivers=line.receivers or t("export.none", lang), stage=line.stage)),
        )
        _all_day(event, line.due)
        # Kept (so a re-import updates it) but silent once the know-how has been handed over.
        if not line.ticked:
            event.add_component(_alarm(summary, reminder_days, line.due, lang))
        out.append(event)
    return out


def render(checklist: Checklist, *, reminder_days: int = 14) -> bytes:
    lang = checklist.lang
    cal = Calendar()
    cal.add("prodid", PRODID.format(lang=lang.upper()))
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    if len(checklist.engagements) == 1:
        name = t("export.ics.calendar", lang, person=checklist.engagements[0].person)
    else:
        name = t("export.ics.calendar_all", lang)
    cal.add("x-wr-calname", text(name))
    today = checklist.today
    stamp = datetime(today.year, today.month, today.day, tzinfo=timezone.utc)
    for x in checklist.engagements:
        for event in _events(x, lang, stamp, reminder_days):
            cal.add_component(event)
    lines = cal.content_lines()
    return b"".join(fold(str(line)).encode("utf-8") + b"\r\n" for line in lines if line)
