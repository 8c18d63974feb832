"""Hostile text: what an imported file or a careless paste can put in any text field.

Shared by the user-text tests of the core, the CLI and the TUI (tests/test_usertext_*.py).
"""

from __future__ import annotations

from typing import Any

from xtalent.models import Engagement

# Each planted payload carries a marker, so a test can tell the data's bytes from Textual's own.
TITLE = "\x1b]0;PWNED-TITLE\x07"  # window title (OSC 0)
CLIPBOARD = "\x1b]52;c;UFdORUQ=\x07"  # clipboard write (OSC 52)
CLEAR = "\x1b[2J"  # clear the screen (CSI)
LINK = "\x1b]8;;http://evil.example/\x1b\\link\x1b]8;;\x1b\\"  # OSC 8 hyperlink
C1_CSI = "\x9b31mRED"  # a C1 control: CSI on some terminals
BIDI = "\u202eevil\u202c"  # right-to-left override
ZERO_WIDTH = "ze\u200bro"
CRLF = "one\r\ntwo"
MARKUP_CLOSE = "X[/]Y"
MARKUP_QUIT = "[@click=app.quit]中村[/]"
MARKUP_SCREENSHOT = "[@click=app.screenshot('victim.txt','/tmp')]高橋[/]"
MARKUP_STYLE = "[bold red]赤[/bold red]"

PAYLOADS = [TITLE, CLIPBOARD, CLEAR, LINK, C1_CSI, BIDI, ZERO_WIDTH, CRLF, MARKUP_CLOSE, MARKUP_QUIT,
            MARKUP_SCREENSHOT, MARKUP_STYLE]

# Raw bytes that must never reach a terminal from data (as they would be written, UTF-8).
FORBIDDEN = ["\x1b]0;PWNED", "\x1b]52;", "\x1b]8;;http://evil", "\x9b", "\u202e", "PWNED-TITLE\x07"]


def hostile(n: int) -> str:
    """A name-sized hostile string: one payload around a readable core (≤ 200 characters)."""
    return f"名{n}{PAYLOADS[n % len(PAYLOADS)]}前"


def engagement(eid: str = "en-hostile", start: int = 0, long: bool = False) -> Engagement:
    """An engagement with a hostile value in every text field (payloads rotated by `start`)."""
    n = iter(range(start, start + 100))

    def h() -> str:
        return hostile(next(n))

    memo = "\n".join(PAYLOADS) + ("長" * 1500 if long else "")
    data: dict[str, Any] = {
        "id": eid,
        "person": {"name": h(), "name_kana": h(), "affiliation": h(), "email": h()},
        "role": "advisor", "role_note": h(), "contract_form": "outsourcing",
        "organisation": h(), "department": h(), "sponsor": h(),
        "term_start": "2026-04-01", "term_end": "2027-03-31", "days_per_month": 2, "notes": memo,
        "targets": [{"id": "tg-1", "title": h(), "goal": memo, "agreed_by": h(), "status": "agreed",
                     "agreed_on": "2026-05-01", "field_department": h(), "staff_ids": ["st-1"],
                     "indicator": {"name": h(), "unit": h(), "baseline": 1, "target": 2, "current": 1}}],
        "staff": [{"id": "st-1", "name": MARKUP_SCREENSHOT, "department": h(), "position": h(), "role": "lead"},
                  {"id": "st-2", "name": MARKUP_QUIT, "department": h(), "position": h()}],
        "items": [{"id": "kh-1", "title": h(), "description": memo, "target_id": "tg-1", "due": "2026-10-01",
                   "receivers": [{"staff_id": "st-1", "stage": "documented"}, {"staff_id": "st-2"}],
                   "evidence": [{"on": "2026-06-01", "note": h()}]}],
        "log": [{"id": "lg-1", "on": "2026-11-01", "topic": h(), "from_department": h(), "minutes": 30}],
    }
    return Engagement.model_validate(data)


def leaks(text: str) -> list[str]:
    """The forbidden sequences found in `text` (empty: nothing from the data reached it raw)."""
    return [f for f in FORBIDDEN if f in text]
