"""iCalendar (Outlook, Google, Apple): the term end and every item's due date, with reminders.

UIDs come from the engagement and item ids, which never change once assigned, and SEQUENCE
from the engagement's revision: importing a newer export updates the same events instead of
adding duplicates.  DTSTAMP is `today`, so the same data exports to the same bytes.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from icalendar import Alarm, Calendar, Event, vText

from ..i18n import t
from .checklist import Checklist, EngagementChecklist

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


def _alarm(summary: str, days: int, lang: str) -> Alarm:
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("trigger", timedelta(days=-days, hours=REMINDER_HOUR))
    alarm.add("description", text(t("export.ics.reminder", lang, days=days, summary=summary)))
    return alarm


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
    term.add_component(_alarm(summary, reminder_days, lang))
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
            event.add_component(_alarm(summary, reminder_days, lang))
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
    return cal.to_ical()
