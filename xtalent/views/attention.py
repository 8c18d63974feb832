"""The attention view: everything across all engagements that needs someone this week.

One list for a DX lead (or a prefecture supporting its towns): every open warning, and every
know-how item overdue or due within N days, most serious first, then the nearest date.  Each
row names its engagement and subject, so Enter (TUI) goes straight there; the same rows are
filtered by organisation, department, 年度, role and rule, and exported (CSV, xlsx, JSON).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, Iterable

from ..dates import format_fiscal_year
from ..i18n import t
from ..labels import label
from ..textwidth import cell_width
from .engagement import subject_tab

if TYPE_CHECKING:
    from ..models import Engagement

SEVERITY_RANK = {"critical": 0, "warning": 1, "info": 2}
DUE_SOON_DAYS = 30
FILTERS = ("organisation", "department", "fiscal_year", "role", "rule")
COLUMNS = ("severity", "when", "person", "organisation", "rule", "subject", "message")
# How narrow a column may be made to fit the terminal: the subject and the message (read whole
# in the detail below the list) give way first, a name keeps enough to be told apart.
MIN_WIDTH = {"person": 12, "organisation": 8, "rule": 16, "subject": 10, "message": 10}


@dataclass(frozen=True)
class AttentionRow:
    severity: str  # critical / warning / info
    when: date | None  # the date it is about (a due date, the term end); None: now
    engagement_id: str
    person: str
    organisation: str
    department: str
    fiscal_year: str  # 年度 of the term's end, as shown ("令和8年度" / "FY2026")
    role: str
    code: str  # the rule's code, or item.overdue / item.due_soon
    rule: str  # the rule in words (what to filter by)
    subject: str  # the record it is about ("" for the engagement as a whole)
    subject_id: str | None
    tab: str  # where Enter goes
    message: str
    action: str

    def filter_value(self, name: str) -> str:
        return str(getattr(self, name))

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["when"] = self.when.isoformat() if self.when else None
        return data

    def to_list(self) -> list[Any]:
        """The fields in order, as JSON data (the row cache keeps rows so: a third of the bytes
        of to_dict's, read the faster).  Every field is a plain value: the row's own `vars`, not
        dataclasses.astuple, whose deep copy was 40 % of computing a row for the cache."""
        values = list(vars(self).values())
        values[1] = self.when.isoformat() if self.when else None
        return values

    @classmethod
    def from_list(cls, values: list[Any]) -> AttentionRow:
        when = values[1]
        return cls(values[0], date.fromisoformat(when) if when else None, *values[2:])


def _item_rows(
    engagement: Engagement, today: date, within: int, lang: str | None, base: dict[str, Any], said: set[str]
) -> list[AttentionRow]:
    rows = []
    for item in engagement.items:
        if item.due is None or item.transferred or item.id in said:
            continue
        days = (item.due - today).days
        if days < 0:
            code, severity = "item.overdue", "warning"
            message = t("attention.overdue", lang, item=item.title, days=-days, stage=label(item.stage, lang))
        elif days <= within:
            code, severity = "item.due_soon", "info"
            message = t("attention.due_soon", lang, item=item.title, days=days, stage=label(item.stage, lang))
        else:
            continue
        rows.append(AttentionRow(
            severity=severity, when=item.due, code=code, rule=t(f"attention.rule.{code}", lang), subject=item.title,
            subject_id=item.id, tab="items", message=message, action=t(f"attention.action.{code}", lang), **base,
        ))
    return rows


def attention_rows(
    engagements: Iterable[Engagement],
    today: date,
    settings: Any = None,
    lang: str | None = None,
    *,
    due_within: int = DUE_SOON_DAYS,
) -> list[AttentionRow]:
    """Every open finding and every overdue / due-soon item, most serious first, then by date."""
    rows = [row for e in engagements for row in engagement_rows(e, today, settings, lang, due_within=due_within)]
    return ordered(rows, today)


def order_key(row: AttentionRow, today: date) -> tuple[Any, ...]:
    """Where a row goes in the list: most serious first, then the nearest date (none: today),
    then the person and the rule."""
    return SEVERITY_RANK.get(row.severity, 9), row.when or today, row.person, row.code


def ordered(rows: Iterable[AttentionRow], today: date) -> list[AttentionRow]:
    """The rows in order_key's order; rows alike in it stay in the order given (file order)."""
    return sorted(rows, key=lambda r: order_key(r, today))


def engagement_rows(
    engagement: Engagement, today: date, settings: Any = None, lang: str | None = None, *, due_within: int = DUE_SOON_DAYS
) -> list[AttentionRow]:
    """One engagement's rows, unordered: they depend on its file, the day, the settings and
    the language alone (views/rowcache.py keeps them by exactly that)."""
    from ..pitfalls import evaluate
    from .signals import severity_of

    if engagement.closure is not None:
        return []  # a closed engagement is a record, not an alarm
    findings = evaluate(engagement, today, settings, lang)
    base = {
        "engagement_id": engagement.id, "person": engagement.person.name,
        "organisation": engagement.organisation, "department": engagement.department,
        "fiscal_year": format_fiscal_year(engagement.term_end, lang or "ja"), "role": label(engagement.role, lang),
    }
    names: dict[str, str] = {target.id: target.title for target in engagement.targets}
    names.update({i.id: i.title for i in engagement.items})
    names.update({s.id: s.name for s in engagement.staff})
    rows: list[AttentionRow] = []
    for finding in findings:
        when = _date_fact(finding.facts) or (engagement.term_end if engagement.term_end >= today else None)
        message, action = finding.text(lang)
        rows.append(AttentionRow(
            severity=severity_of(finding), when=when, code=finding.code,
            rule=rule_name(finding.code, lang),
            subject=names.get(finding.subject_id or "", ""), subject_id=finding.subject_id,
            tab=subject_tab(engagement, finding.subject_id, finding.code),
            message=message, action=action, **base,
        ))
    # Items the overdue and ended rules already name are one cause, said once (by the rule).
    said = {sid for f in findings if f.code in ("item-overdue", "term-ended-untransferred") for sid in f.subjects}
    return rows + _item_rows(engagement, today, due_within, lang, base, said)


def rule_name(code: str, lang: str | None = None) -> str:
    """A rule as HR names it ("丸投げ", "期限超過"); its code where the catalog has no name."""
    from ..i18n import has

    key = f"pitfall.{code.replace('-', '_')}.name"
    return t(key, lang) if has(key) else code


def _date_fact(facts: Any) -> date | None:
    for key in ("due", "term_end", "ends_on", "date"):
        value = facts.get(key) if hasattr(facts, "get") else None
        if isinstance(value, str):
            try:
                return date.fromisoformat(value)
            except ValueError:
                continue
    return None


def filter_choices(rows: list[AttentionRow]) -> dict[str, list[str]]:
    """The values each filter can take, in the rows' order of first appearance."""
    seen: dict[str, dict[str, None]] = {name: {} for name in FILTERS}
    for row in rows:
        for name in FILTERS:
            value = row.filter_value(name)
            if value:
                seen[name].setdefault(value)
    return {name: list(values) for name, values in seen.items()}


def cell_text(row: AttentionRow, column: str) -> str:
    """What a column of the list shows of a row (the severity is drawn by the screen: its mark)."""
    if column == "when":
        return row.when.isoformat() if row.when else "—"
    if column == "subject":
        return row.subject or "—"
    return str(getattr(row, column))


def natural_widths(rows: Iterable[AttentionRow], columns: Iterable[str] = COLUMNS) -> dict[str, int]:
    """The cells each text column needs to show every row whole (the widths are fitted to the
    terminal from these, once for the whole list: filtering keeps the columns where they are)."""
    widths = {c: 0 for c in columns if c != "severity"}
    for row in rows:
        for column, width in widths.items():
            text = cell_text(row, column)
            if 2 * len(text) > width:  # a character takes at most two cells: else it cannot be wider
                needed = cell_width(text)
                if needed > width:
                    widths[column] = needed
    return widths


def filtered(rows: list[AttentionRow], **chosen: str | None) -> list[AttentionRow]:
    """The rows matching every chosen filter (None or "": any)."""
    wanted = {name: value for name, value in chosen.items() if value}
    unknown = set(wanted) - set(FILTERS)
    if unknown:
        raise ValueError(f"unknown filter {sorted(unknown)}")
    from .. import organisations  # the one way organisations compare (dashboard, staff, --org)

    return [r for r in rows if all(organisations.matches(r.organisation, value) if name == "organisation"
                                   else r.filter_value(name) == value for name, value in wanted.items())]


@dataclass(frozen=True)
class Opening:
    """What the list shows above and in its first rows: the rows (in order; the first screenful
    of them when kept for the next opening, views/firstscreen.py), how many are shown and how many
    there are in all, how many of each severity are shown, the one organisation of every row (named
    once above the list instead of in a column; None: several), each text column's natural width."""

    rows: list[AttentionRow]
    shown: int
    total: int
    counts: dict[str, int]
    single: str | None
    widths: dict[str, int]

    def to_json(self) -> dict[str, Any]:
        return {"rows": [row.to_list() for row in self.rows], "shown": self.shown, "total": self.total,
                "counts": self.counts, "single": self.single, "widths": self.widths}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Opening:
        return cls([AttentionRow.from_list(row) for row in data["rows"]], int(data["shown"]), int(data["total"]),
                   {str(k): int(v) for k, v in data["counts"].items()}, data["single"],
                   {str(k): int(v) for k, v in data["widths"].items()})

    def head(self, size: int) -> Opening:
        """The same, with only the first `size` rows."""
        return Opening(self.rows[:size], self.shown, self.total, self.counts, self.single, self.widths)


def opening(shown: list[AttentionRow], widths: dict[str, int], every: list[AttentionRow] | None = None) -> Opening:
    """The Opening of the rows `shown` (filtered from `every`, by default all of them)."""
    every = shown if every is None else every
    organisations = {r.organisation for r in every}
    counts = {s: 0 for s in SEVERITY_RANK}
    for row in shown:
        counts[row.severity] = counts.get(row.severity, 0) + 1
    return Opening(shown, len(shown), len(every), counts, organisations.pop() if len(organisations) == 1 else None,
                   widths)


# ----- the head of the list, kept between openings and brought up to date --------------------------
WIDTH_COLUMNS = tuple(c for c in COLUMNS if c != "severity")  # the columns natural_widths measures


@dataclass(frozen=True)
class Part:
    """What one engagement file adds to the list's opening: the file's (mtime, size) it was
    computed from, its rows' count per severity (SEVERITY_RANK's order), the widths its rows need
    (WIDTH_COLUMNS' order) and the organisations they name."""

    stamp: tuple[int, int]
    counts: tuple[int, ...]
    widths: tuple[int, ...]
    organisations: tuple[str, ...]


def part_of(stamp: tuple[int, int], rows: list[AttentionRow], widths: tuple[int, ...] | None = None) -> Part:
    """One file's Part, from its rows (and their widths, when measured already)."""
    counts = dict.fromkeys(SEVERITY_RANK, 0)
    for row in rows:
        counts[row.severity] += 1  # another severity than these has no place in the summary line
    if widths is None:
        measured = natural_widths(rows)
        widths = tuple(measured[c] for c in WIDTH_COLUMNS)
    return Part(stamp, tuple(counts.values()), widths, tuple(sorted({r.organisation for r in rows})))


def _file_order(row: AttentionRow) -> str:
    # The engagement's file name: the order rows alike in order_key keep (ordered is stable and
    # is given the rows file by file, in the order the store lists the files: by name).
    return row.engagement_id + ".json"


@dataclass(frozen=True)
class Head:
    """The first rows of the whole list in order, and each engagement file's Part: enough to show
    the list's opening (Opening: a screenful, the counts, the widths, the one organisation)
    without reading every engagement's rows, and to bring it up to date when some files changed
    (`updated`) by computing only theirs.  `whole`: `rows` is every row."""

    parts: dict[str, Part]
    rows: list[AttentionRow]
    whole: bool

    def changed(self, fingerprint: Iterable[tuple[str, int, int]]) -> list[str]:
        """The engagement files on disk whose rows are not those kept (changed or new), in file order."""
        parts = self.parts
        return [eid for eid, mtime, size in fingerprint if (p := parts.get(eid)) is None or p.stamp != (mtime, size)]

    def updated(self, fingerprint: Iterable[tuple[str, int, int]], fresh: dict[str, list[AttentionRow]],
                today: date) -> Head:
        """The head for the files of `fingerprint`, given the rows of every file `changed` lists
        (`fresh`): the changed and deleted engagements' rows leave the head, their new ones are
        merged in.  Of the merge, the first as many as stayed (k rows left a head of H: H - k) are
        the list's: every row of an unchanged engagement outside the head ranks after those that
        stayed."""
        fingerprint = list(fingerprint)
        stamps = {eid: (mtime, size) for eid, mtime, size in fingerprint}
        parts = {eid: p for eid, p in self.parts.items() if stamps.get(eid) == p.stamp}
        stayed = [row for row in self.rows if row.engagement_id in parts]
        new: list[AttentionRow] = []
        for eid, mtime, size in fingerprint:
            if eid not in parts:
                rows = fresh[eid]
                parts[eid] = part_of((mtime, size), rows)
                new.extend(rows)
        merged = sorted(stayed + new, key=lambda r: (*order_key(r, today), _file_order(r)))
        return Head(parts, merged if self.whole else merged[: len(stayed)], self.whole)

    def opening(self, size: int) -> Opening:
        """What opening(every row, natural_widths(every row)).head(size) is, from the parts."""
        counts = [0] * len(SEVERITY_RANK)
        widths = [0] * len(WIDTH_COLUMNS)
        organisations: set[str] = set()
        for part in self.parts.values():
            counts = [a + b for a, b in zip(counts, part.counts)]
            widths = [max(a, b) for a, b in zip(widths, part.widths)]
            organisations.update(part.organisations)
        total = sum(counts)
        return Opening(self.rows[:size], total, total, dict(zip(SEVERITY_RANK, counts)),
                       organisations.pop() if len(organisations) == 1 else None, dict(zip(WIDTH_COLUMNS, widths)))

    def to_json(self) -> dict[str, Any]:
        return {"whole": self.whole, "rows": [row.to_list() for row in self.rows],
                "parts": {eid: [*p.stamp, p.counts, p.widths, p.organisations] for eid, p in self.parts.items()}}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Head:
        parts = {eid: Part((mtime, size), tuple(counts), tuple(widths), tuple(organisations))
                 for eid, (mtime, size, counts, widths, organisations) in data["parts"].items()}
        # Read back as written (this module's own file): only its shape is checked, once for all.
        if not all(len(p.counts) == len(SEVERITY_RANK) and len(p.widths) == len(WIDTH_COLUMNS)
                   and all(type(n) is int for n in (*p.stamp, *p.counts, *p.widths))
                   and all(type(o) is str for o in p.organisations) for p in parts.values()):
            raise ValueError("not the parts this module writes")
        return cls(parts, [AttentionRow.from_list(row) for row in data["rows"]], bool(data["whole"]))


def whole(fingerprint: Iterable[tuple[str, int, int]], files: dict[str, tuple[list[AttentionRow], tuple[int, ...]]],
          today: date, size: int) -> tuple[list[AttentionRow], Head]:
    """Every row, ordered, and their Head (the first `size` of them), from each engagement file's
    rows and widths (`files`, as views/rowcache.attention_files gives them: computed from the
    files of `fingerprint`)."""
    fingerprint = [entry for entry in fingerprint if entry[0] in files]
    rows = ordered((row for eid, _, _ in fingerprint for row in files[eid][0]), today)
    parts = {eid: part_of((mtime, size_), *files[eid]) for eid, mtime, size_ in fingerprint}
    return rows, Head(parts, rows[:size], len(rows) <= size)
