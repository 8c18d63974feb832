"""The vocabulary of the pitfall engine: severities, the guidance's four aspects, findings, rules.

A rule is a small named unit with a stable code (users script against it), the aspect of the
guidance it enforces, a catalog key giving the reason (which sentence of the guidance), and a
check function.  Rules share one `Snapshot` per engagement so that twenty rules looking at the
same items do not each recompute every item's stage.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any, Callable, Mapping

import math

from ..appointments import type_of
from ..contracted import days_left as contracted_days_left
from ..dates import add_days
from ..i18n import get_language, safe_values, t, template
from ..labels import label
from ..models import INDEPENDENT_RANK, ChangeTarget, Engagement, KnowHowItem, TargetStatus, item_rank  # noqa: F401 (re-exported to the rules)
from ..settings import PitfallSettings


class Severity(StrEnum):
    """Ordered by how soon someone must act; compares by rank, never alphabetically."""

    INFO = "info"
    WARNING = "warning"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]

    def label(self, lang: str | None = None) -> str:
        return t(f"pitfall.severity.{self.value}", lang)

    # str's own ordering would put "critical" before "info"; these keep severity a scale.
    def __lt__(self, other: object) -> bool:
        if isinstance(other, Severity):
            return self.rank < other.rank
        return NotImplemented

    def __le__(self, other: object) -> bool:
        if isinstance(other, Severity):
            return self.rank <= other.rank
        return NotImplemented

    def __gt__(self, other: object) -> bool:
        if isinstance(other, Severity):
            return self.rank > other.rank
        return NotImplemented

    def __ge__(self, other: object) -> bool:
        if isinstance(other, Severity):
            return self.rank >= other.rank
        return NotImplemented


_SEVERITY_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.CRITICAL: 2}


class Aspect(StrEnum):
    """The four aspects of the national guidebook's success points and pitfalls."""

    PERSONA = "persona"
    PROMOTION_STRUCTURE = "promotion_structure"
    INTERNAL_COORDINATION = "internal_coordination"
    RECEIVING_KNOWHOW = "receiving_knowhow"

    def label(self, lang: str | None = None) -> str:
        return t(f"pitfall.aspect.{self.value}", lang)


class Deferred:
    """Text rendered only when a finding's message is read, in the language asked for then."""

    __slots__ = ()

    def render(self, lang: str | None) -> str:
        raise NotImplementedError


class Phrase(Deferred):
    """A catalog message rendered only when a finding's text is read.

    Checking 1,000 engagements yields thousands of findings, but a screen shows the text of a
    few: deferring the formatting keeps the full check fast, and lets a finding be re-read in
    the other language.
    """

    __slots__ = ("key", "params", "_last")

    def __init__(self, key: str, params: Mapping[str, Any] | None = None, /, **more: Any) -> None:
        self.key = key
        self.params = {**params, **more} if params and more else params or more
        # (language, text) of the last rendering: the term's phrase is a value of every finding
        # of an engagement that names the term, twice each (message and action).
        self._last: tuple[str, str] | None = None

    def render(self, lang: str | None) -> str:
        lang = lang or get_language()
        last = self._last
        if last is not None and last[0] == lang:
            return last[1]
        text = self.format(lang, rendered(self.params, lang))
        self._last = (lang, text)
        return text

    def format(self, lang: str, values: Mapping[str, Any]) -> str:
        """The message with `values` already rendered (see `rendered`)."""
        return t(self.key, lang, **values)

    def __repr__(self) -> str:
        return f"Phrase({self.key!r}, {self.params!r})"


class Titles(Deferred):
    """「A」「B」「C」 他2件 — enough names to act on without flooding a line."""

    __slots__ = ("names", "total")
    LIMIT = 3

    def __init__(self, records: list[Any]) -> None:
        self.names = [r.title for r in records[: self.LIMIT]]
        self.total = len(records)

    def render(self, lang: str | None) -> str:
        quoted = template("pitfall.common.quoted", lang)  # looked up once for every name
        text = template("pitfall.common.list_sep", lang).join(
            [quoted.format_map(safe_values({"title": name})) for name in self.names])
        if self.total > len(self.names):
            text += t("pitfall.common.and_more", lang, n=self.total - len(self.names))
        return text


class Label(Deferred):
    __slots__ = ("value",)

    def __init__(self, value: StrEnum) -> None:
        self.value = value

    def render(self, lang: str | None) -> str:
        return label(self.value, lang)


class Month(Deferred):
    """"2029年7月" / "July 2029": a projection is a month, not a day."""

    __slots__ = ("day",)

    def __init__(self, day: date) -> None:
        self.day = day

    def render(self, lang: str | None) -> str:
        if (lang or get_language()) == "ja":
            return f"{self.day.year}年{self.day.month}月"
        return f"{_MONTHS[self.day.month - 1]} {self.day.year}"


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")


class Span(Deferred):
    """A length of time as people say it: "約3週間", "約5か月", "約2年7か月"."""

    __slots__ = ("days",)

    def __init__(self, days: int) -> None:
        self.days = days

    def render(self, lang: str | None) -> str:
        days = max(self.days, 0)
        if days < 14:
            return t("pitfall.common.span_days", lang, n=days)
        if days < 61:
            return t("pitfall.common.span_weeks", lang, n=round(days / 7))
        months = round(days / (365.25 / 12))
        if months < 12:
            return t("pitfall.common.span_months", lang, n=months)
        years, rest = divmod(months, 12)
        if not rest:
            return t("pitfall.common.span_years", lang, n=years)
        return t("pitfall.common.span_years_months", lang, y=years, m=rest)


class Days(Deferred):
    """Contracted days left, rounded as a person would say them ("約2.4日")."""

    __slots__ = ("value",)

    def __init__(self, value: float) -> None:
        self.value = value

    def render(self, lang: str | None) -> str:
        return f"{self.value:.1f}".rstrip("0").rstrip(".") if self.value < 10 else str(round(self.value))


def rendered(params: Mapping[str, Any], lang: str | None) -> dict[str, Any]:
    """`params` with every deferred value rendered in `lang`."""
    return {k: v.render(lang) if isinstance(v, Deferred) else v for k, v in params.items()}


@dataclass(frozen=True, slots=True)
class Finding:
    """One pitfall found in one engagement.

    `message` and `action` are in the language the check ran in (`lang`; None means the UI's
    current language when read); `text(lang)` gives both in any language.
    """

    code: str
    severity: Severity
    aspect: Aspect
    engagement_id: str
    subject_id: str | None
    # JSON-safe values only (dates as ISO text), so exporters and `check --format json` can dump them.
    # Left out of the hash (a dict is unhashable) so findings can be set members and dict keys.
    facts: Mapping[str, Any] = field(hash=False)
    message_phrase: Phrase = field(repr=False, compare=False)
    action_phrase: Phrase = field(repr=False, compare=False)
    lang: str | None = field(default=None, repr=False, compare=False)
    # Every record the finding is about, when one cause covers several (the first is subject_id).
    subject_ids: tuple[str, ...] = field(default=(), compare=False)

    @property
    def subjects(self) -> tuple[str, ...]:
        if self.subject_ids:
            return self.subject_ids
        return (self.subject_id,) if self.subject_id else ()

    @property
    def message(self) -> str:
        return self.message_phrase.render(self.lang)

    @property
    def action(self) -> str:
        return self.action_phrase.render(self.lang)

    @property
    def reason(self) -> str:
        """Which part of the guidance this finding enforces (the rule's reason)."""
        return self.reason_text(self.lang)

    def reason_text(self, lang: str | None = None) -> str:
        return reason_text(self.code, lang or self.lang or get_language())

    def text(self, lang: str | None = None) -> tuple[str, str]:
        """(message, action) in `lang` (default: the language the check ran in)."""
        lang = lang or self.lang or get_language()
        message, action = self.message_phrase, self.action_phrase
        if message.params and message.params is action.params:
            # As Rule.finding makes them: their values rendered, and made safe, once for both.
            values = safe_values(rendered(message.params, lang))
            return template(message.key, lang).format_map(values), template(action.key, lang).format_map(values)
        return message.render(lang), action.render(lang)

    def to_dict(self, lang: str | None = None) -> dict[str, Any]:
        message, action = self.text(lang)
        return {
            "code": self.code,
            "severity": self.severity.value,
            "aspect": self.aspect.value,
            "engagement_id": self.engagement_id,
            "subject_id": self.subject_id,
            "subject_ids": list(self.subjects),
            "message": message,
            "action": action,
            "reason": self.reason_text(lang),
            "facts": dict(self.facts),
        }


# (code, language): the rule's reason, the same text for every finding of the rule.
_REASONS: dict[tuple[str, str], str] = {}


def reason_text(code: str, lang: str) -> str:
    """Which part of the guidance the rule `code` enforces, in `lang`."""
    text = _REASONS.get((code, lang))
    if text is None:
        text = _REASONS[code, lang] = t(f"pitfall.{code.replace('-', '_')}.reason", lang)
    return text


CheckFunction = Callable[[Engagement, date, "PitfallSettings", "str | None"], list[Finding]]


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    aspect: Aspect
    reason: str  # catalog key: which part of the guidance this rule enforces
    check: CheckFunction
    severities: tuple[Severity, ...]  # what it can emit, for documentation and filtering
    # Catalog keys use underscores: a hyphen would end the key in the catalog's key checks.
    key: str = field(init=False)
    _prefix: str = field(init=False, repr=False)

    def __post_init__(self) -> None:
        key = self.code.replace("-", "_")
        object.__setattr__(self, "key", key)
        object.__setattr__(self, "_prefix", f"pitfall.{key}.")

    def reason_text(self, lang: str | None = None) -> str:
        return t(self.reason, lang)

    def finding(
        self,
        engagement: Engagement,
        severity: Severity,
        lang: str | None,
        *,
        subject_id: str | None = None,
        subjects: list[Any] | None = None,
        variant: str = "message",
        action: str = "action",
        facts: Mapping[str, Any],
        **params: Any,
    ) -> Finding:
        """A finding whose message is `pitfall.<code>.<variant>` formatted with `params`.

        `subjects`: the records one cause covers (one line for all of them, not one each); the
        first is the finding's subject, the one Enter jumps to.
        """
        prefix = self._prefix
        ids: tuple[str, ...] = ()
        if subjects:
            ids = tuple(record.id for record in subjects)
            subject_id = ids[0]
        return Finding(
            self.code,
            severity,
            self.aspect,
            engagement.id,
            subject_id,
            facts,
            Phrase(prefix + variant, params),
            Phrase(prefix + action, params),
            lang,
            ids,
        )


# ----- what rules share about one engagement on one day ----------------------------------------


@dataclass(slots=True)
class Snapshot:
    engagement: Engagement
    today: date
    days_left: int
    in_term: bool
    ended: bool
    live_targets: list[ChangeTarget]  # every target except the dropped ones
    open_targets: list[ChangeTarget]  # live and not yet achieved: what can still be fixed
    ranks: list[int]  # item_rank of engagement.items[n], over the receivers still here
    receivers_here: list[list[Any]]  # engagement.items[n]'s receivers still here (receivers_here)
    untransferred: list[KnowHowItem]
    steps_climbed: int  # ladder steps climbed toward "independent", summed over items
    steps_remaining: int  # steps still to climb to "independent", summed over items
    term_end_iso: str
    term: Phrase  # 'the term ends in 41 days (2027-03-31)', shared by every finding that says it
    kind: Any = None  # the engagement's AppointmentType
    types: Any = None  # every appointment type in force {key: AppointmentType}
    contracted_left: float | None = None  # contracted days left (xtalent.contracted.days_left)
    elapsed_share: float = 0.0  # the share of the term already passed, 0..1
    elapsed_days: int = 0
    projected: date | None = None  # when every item reaches 自立 at the pace so far (None: no pace yet)
    gone: frozenset[str] = frozenset()  # receiving staff who left (Engagement.gone_ids)

    @property
    def behind(self) -> bool:
        """The pace so far will not bring every item to 自立 by the term end (or there is no pace)."""
        if not self.untransferred:
            return False
        return self.projected is None or self.projected > self.engagement.term_end


def receivers_here(item: KnowHowItem, gone: frozenset[str]) -> list[Any]:
    """The item's receivers still with the organisation: who counts (ReceivingStaff.here)."""
    return [r for r in item.receivers if r.staff_id not in gone] if gone else item.receivers


def build_snapshot(engagement: Engagement, today: date, settings: "PitfallSettings | None" = None) -> Snapshot:
    settings = settings or _defaults(PitfallSettings)
    ranks = []
    untransferred = []
    climbed = remaining = 0
    gone = engagement.gone_ids()
    for item in engagement.items:
        best = item_rank(item, gone)
        ranks.append(best)
        if best < INDEPENDENT_RANK:
            untransferred.append(item)
            climbed += best
            remaining += INDEPENDENT_RANK - best
        else:
            climbed += INDEPENDENT_RANK
    days_left = (engagement.term_end - today).days
    live = [tg for tg in engagement.targets if tg.status is not TargetStatus.DROPPED]
    end = engagement.term_end.isoformat()
    if days_left >= 0:
        term = Phrase("pitfall.common.term_left", days=days_left, date=end)
    else:
        term = Phrase("pitfall.common.term_over", days=-days_left, date=end)
    types = settings.appointment_types_in_force()
    kind = type_of(engagement.appointment_type, types)
    length = (engagement.term_end - engagement.term_start).days + 1
    elapsed = min(max((today - engagement.term_start).days, 0), length)
    projected = None
    if climbed and remaining and today >= engagement.term_start and elapsed:
        # The pace of the term so far (ladder steps a day), applied to the steps still to climb.
        projected = add_days(today, math.ceil(remaining * elapsed / climbed))
    return Snapshot(
        engagement=engagement,
        today=today,
        days_left=days_left,
        in_term=engagement.term_start <= today <= engagement.term_end,
        ended=days_left < 0,
        live_targets=live,
        open_targets=[tg for tg in live if tg.status is not TargetStatus.ACHIEVED],
        ranks=ranks,
        receivers_here=[receivers_here(item, gone) for item in engagement.items],
        gone=gone,
        untransferred=untransferred,
        steps_climbed=climbed,
        steps_remaining=remaining,
        term_end_iso=end,
        term=term,
        kind=kind,
        types=types,
        contracted_left=contracted_days_left(
            engagement, today, hours_per_day=settings.hours_per_day, closed=settings.closed_days, kind=kind
        ),
        elapsed_share=elapsed / length,
        elapsed_days=elapsed,
        projected=projected,
    )


_DEFAULT_SETTINGS: list[Any] = []


def _defaults(cls: Any) -> Any:
    if not _DEFAULT_SETTINGS:
        _DEFAULT_SETTINGS.append(cls())
    return _DEFAULT_SETTINGS[0]


# The engine publishes the snapshot it built for the engagement being checked; a rule called on
# its own (as in its tests) builds a fresh one.  A context variable keeps threads apart.
_current: ContextVar[Snapshot | None] = ContextVar("xtalent_pitfall_snapshot", default=None)


def snapshot(engagement: Engagement, today: date, settings: "PitfallSettings | None" = None) -> Snapshot:
    snap = _current.get()
    if snap is not None and snap.engagement is engagement and snap.today == today:
        return snap
    return build_snapshot(engagement, today, settings)


def publish(snap: Snapshot | None) -> object:
    return _current.set(snap)


def unpublish(token: object) -> None:
    _current.reset(token)  # type: ignore[arg-type]


def term_facts(snap: Snapshot) -> dict[str, Any]:
    """The days-left and term-end facts most messages end with."""
    return {"days_left": snap.days_left, "term_end": snap.term_end_iso}


def term_clause(snap: Snapshot) -> Phrase:
    """'the term ends in 41 days (2027-03-31)' or 'the term ended 12 days ago (...)'."""
    return snap.term
