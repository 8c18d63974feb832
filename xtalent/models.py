"""The engagement of one external person, and everything DOMAIN.md says it must hold.

Models validate themselves: dates as users type them, stable ids, and cross-references (an
item's receiver must be a named staff member, a log entry's target must exist).  Errors carry
catalog keys so `errors.describe` can say what is wrong and where in Japanese or English.
"""

from __future__ import annotations

import secrets
from datetime import date
from typing import Annotated, Any, Iterable

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from .dates import DateParseError, parse_date
from .migrations import SCHEMA_VERSION  # noqa: F401 (re-exported)
from .vocabulary import (  # noqa: F401 (re-exported: models are where the rest of the code looks)
    ID_PATTERN,
    INDEPENDENT_RANK,
    STAGE_ORDER,
    STAGE_RANK,
    ContractForm,
    ItemKind,
    LogKind,
    Owner,
    Role,
    ScopeLevel,
    Stage,
    StructureRole,
    TargetStatus,
)


def _to_date(value: object) -> object:
    # Stored files hold ISO dates: parse those in C before the general user-text parser.
    if type(value) is str and len(value) == 10 and value[4] == "-":
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    if value is None or isinstance(value, date):
        return value
    try:
        return parse_date(value)
    except DateParseError as exc:
        raise PydanticCustomError("xt_date", "{reason}", {"reason": exc.reason}) from None


def _blank_to_none(value: object) -> object:
    if isinstance(value, str) and not value.strip():
        return None
    return value


Day = Annotated[
    date,
    BeforeValidator(_to_date),
    PlainSerializer(lambda d: d.isoformat(), return_type=str),
]
OptionalDay = Annotated[
    date | None,
    BeforeValidator(lambda v: _to_date(_blank_to_none(v))),
    PlainSerializer(lambda d: d.isoformat() if d else None, return_type=str | None),
]
Text = Annotated[str, Field(max_length=2000)]
Name = Annotated[str, Field(min_length=1, max_length=200)]
Id = Annotated[str, Field(pattern=ID_PATTERN)]


def new_id(prefix: str) -> str:
    """A short random id; stable once assigned (never derived from a name that can change)."""
    return f"{prefix}-{secrets.token_hex(4)}"


class Model(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        validate_assignment=True,
        use_enum_values=False,
        # "nan" typed into an indicator would pass and then poison every comparison.
        allow_inf_nan=False,
        # Validators are built on first use: a dashboard painted from its row cache needs none.
        defer_build=True,
    )


class Person(Model):
    name: Name
    name_kana: Annotated[str, Field(max_length=200)] = ""
    affiliation: Annotated[str, Field(max_length=200)] = ""  # 本業・所属
    email: Annotated[str, Field(max_length=200)] = ""


class Indicator(Model):
    name: Name
    unit: Annotated[str, Field(max_length=40)] = ""
    baseline: float | None = None
    target: float | None = None
    current: float | None = None


class ChangeTarget(Model):
    id: Id = Field(default_factory=lambda: new_id("tg"))
    title: Name
    scope_level: ScopeLevel = ScopeLevel.DEPARTMENT
    goal: Text = ""
    indicator: Indicator | None = None
    agreed_on: OptionalDay = None
    agreed_by: Annotated[str, Field(max_length=200)] = ""
    status: TargetStatus = TargetStatus.PROPOSED
    owner: Owner = Owner.JOINT
    field_department: Annotated[str, Field(max_length=200)] = ""
    staff_ids: list[Id] = Field(default_factory=list)


class StageEvent(Model):
    on: Day
    stage: Stage


class Reception(Model):
    """One staff member receiving one know-how item, and how far they have climbed."""

    staff_id: Id
    stage: Stage = Stage.NOT_STARTED
    history: list[StageEvent] = Field(default_factory=list)

    def last_change(self) -> date | None:
        return max((e.on for e in self.history), default=None)


class Evidence(Model):
    on: Day
    note: Annotated[str, Field(min_length=1, max_length=2000)]


class KnowHowItem(Model):
    id: Id = Field(default_factory=lambda: new_id("kh"))
    title: Name
    kind: ItemKind = ItemKind.DOCUMENT
    description: Text = ""
    target_id: Id | None = None
    receivers: list[Reception] = Field(default_factory=list)
    due: OptionalDay = None
    evidence: list[Evidence] = Field(default_factory=list)

    @property
    def stage(self) -> Stage:
        """The item's stage is the furthest any receiver has climbed."""
        return max((r.stage for r in self.receivers), key=lambda s: s.rank, default=Stage.NOT_STARTED)

    @property
    def transferred(self) -> bool:
        return self.stage.transferred

    @field_validator("receivers")
    @classmethod
    def _one_reception_per_staff(cls, value: list[Reception]) -> list[Reception]:
        seen: set[str] = set()
        for reception in value:
            if reception.staff_id in seen:
                raise PydanticCustomError("xt_duplicate_receiver", "model.duplicate_receiver")
            seen.add(reception.staff_id)
        return value


def item_rank(item: KnowHowItem) -> int:
    """The furthest rank any receiver reached (KnowHowItem.stage as a number).

    A plain loop: the rules and metrics call it for every item of every engagement, and it is
    several times faster than comparing Stage members through their properties.
    """
    best = 0
    for reception in item.receivers:
        rank = STAGE_RANK[reception.stage]
        if rank > best:
            best = rank
    return best


class ReceivingStaff(Model):
    id: Id = Field(default_factory=lambda: new_id("st"))
    name: Name
    department: Annotated[str, Field(max_length=200)] = ""
    position: Annotated[str, Field(max_length=200)] = ""
    role: StructureRole = StructureRole.MEMBER
    rotation_expected: OptionalDay = None  # 異動予定


class LogEntry(Model):
    id: Id = Field(default_factory=lambda: new_id("lg"))
    on: Day
    kind: LogKind = LogKind.CONSULTATION
    from_department: Annotated[str, Field(max_length=200)] = ""
    topic: Annotated[str, Field(max_length=500)] = ""
    in_scope: bool = True
    target_id: Id | None = None
    minutes: Annotated[int, Field(ge=0, le=24 * 60)] = 0


class Engagement(Model):
    id: Id = Field(default_factory=lambda: new_id("en"))
    person: Person
    role: Role
    role_note: Annotated[str, Field(max_length=200)] = ""
    contract_form: ContractForm = ContractForm.SPECIAL_PART_TIME
    organisation: Name
    department: Annotated[str, Field(max_length=200)] = ""
    sponsor: Annotated[str, Field(max_length=200)] = ""
    term_start: Day
    term_end: Day
    days_per_month: Annotated[float | None, Field(ge=0, le=31)] = None
    hours_per_month: Annotated[float | None, Field(ge=0, le=744)] = None
    notes: Text = ""
    targets: list[ChangeTarget] = Field(default_factory=list)
    items: list[KnowHowItem] = Field(default_factory=list)
    staff: list[ReceivingStaff] = Field(default_factory=list)
    log: list[LogEntry] = Field(default_factory=list)
    revision: Annotated[int, Field(ge=0)] = 0

    @model_validator(mode="after")
    def _consistent(self) -> "Engagement":
        if self.term_end < self.term_start:
            raise PydanticCustomError("xt_term_order", "model.term_end_before_start")
        _unique("targets", (t.id for t in self.targets))
        _unique("items", (i.id for i in self.items))
        _unique("staff", (s.id for s in self.staff))
        _unique("log", (e.id for e in self.log))
        target_ids = {t.id for t in self.targets}
        staff_ids = {s.id for s in self.staff}
        for n, target in enumerate(self.targets):
            for staff_id in target.staff_ids:
                if staff_id not in staff_ids:
                    _dangling(("targets", n, "staff_ids"), staff_id)
        for n, item in enumerate(self.items):
            if item.target_id is not None and item.target_id not in target_ids:
                _dangling(("items", n, "target_id"), item.target_id)
            for m, reception in enumerate(item.receivers):
                if reception.staff_id not in staff_ids:
                    _dangling(("items", n, "receivers", m, "staff_id"), reception.staff_id)
        for n, entry in enumerate(self.log):
            if entry.target_id is not None and entry.target_id not in target_ids:
                _dangling(("log", n, "target_id"), entry.target_id)
        return self

    # Lookups the UI, rules and exporters share.
    def staff_by_id(self) -> dict[str, ReceivingStaff]:
        return {s.id: s for s in self.staff}

    def target_by_id(self) -> dict[str, ChangeTarget]:
        return {t.id: t for t in self.targets}

    def find(self, record_id: str) -> Any | None:
        for collection in (self.targets, self.items, self.staff, self.log):
            for record in collection:
                if record.id == record_id:
                    return record
        return None

    def days_left(self, today: date) -> int:
        return (self.term_end - today).days

    def in_term(self, today: date) -> bool:
        return self.term_start <= today <= self.term_end

    def transferred_count(self) -> int:
        return sum(1 for item in self.items if item.transferred)


def _unique(collection: str, ids: Iterable[str]) -> None:
    seen: set[str] = set()
    for record_id in ids:
        if record_id in seen:
            raise PydanticCustomError(
                "xt_duplicate_id", "model.duplicate_id", {"collection": collection, "id": record_id}
            )
        seen.add(record_id)


def _dangling(loc: tuple[object, ...], ref: str) -> None:
    raise PydanticCustomError(
        "xt_dangling", "model.dangling_reference", {"where": ".".join(map(str, loc)), "id": ref}
    )


class InterchangeDocument(Model):
    """The one JSON document for backup, import and export: lossless, versioned."""

    model_config = ConfigDict(extra="forbid", title="xtalent interchange document")

    format: Annotated[str, Field(pattern=r"^xtalent$")] = "xtalent"
    schema_version: Annotated[int, Field(ge=1)] = SCHEMA_VERSION
    exported_at: str | None = None
    engagements: list[Engagement] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique_engagements(self) -> "InterchangeDocument":
        _unique("engagements", (e.id for e in self.engagements))
        return self


# ----- an engagement file as stored (xtalent/store.py), validated straight from its bytes -----
# Row ids as TinyDB writes them; anything else (" 1", "01") is left to the store's careful path.
RowId = Annotated[str, Field(pattern=r"^(0|[1-9][0-9]*)$")]


class StoredMeta(Model):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)

    schema_version: Annotated[int, Field(strict=True)]
    revision: Annotated[int, Field(strict=True, ge=0)] = 0
    id: str = ""


class StoredFile(Model):
    """The tables of one engagement file (store.engagement_to_tables) as pydantic-core reads them
    from JSON bytes: the records are validated while the JSON is parsed, with no dicts made first.
    Only files exactly as xtalent writes them fit; the store reads anything else the careful way."""

    model_config = ConfigDict(extra="forbid")

    meta: dict[RowId, StoredMeta]
    engagement: dict[RowId, dict[str, Any]]
    targets: dict[RowId, ChangeTarget] = Field(default_factory=dict)
    items: dict[RowId, KnowHowItem] = Field(default_factory=dict)
    staff: dict[RowId, ReceivingStaff] = Field(default_factory=dict)
    log: dict[RowId, LogEntry] = Field(default_factory=dict)

    def engagement_at(self, schema_version: int) -> Engagement | None:
        """The engagement, if the file is at `schema_version` and holds one; None otherwise."""
        if len(self.meta) != 1 or len(self.engagement) != 1:
            return None
        (meta,) = self.meta.values()
        (core,) = self.engagement.values()
        if meta.schema_version != schema_version or not _only_text_keys(core):
            return None
        # The records are already models: pydantic takes them as they are and checks the whole.
        return Engagement.model_validate({
            **core,
            "targets": list(self.targets.values()),
            "items": list(self.items.values()),
            "staff": list(self.staff.values()),
            "log": list(self.log.values()),
            "revision": meta.revision,
        })


def _only_text_keys(core: dict[str, Any]) -> bool:
    # The record tables and the revision come from their own tables, never from this row.
    return not ({"targets", "items", "staff", "log", "revision"} & core.keys())


class StoredRevisionMeta(Model):
    # Built with the module (in the launch's warm-up), not by the session's first save.
    model_config = ConfigDict(extra="ignore", defer_build=False)

    revision: Annotated[int, Field(strict=True, ge=0)] = 0


class StoredRevision(Model):
    """An engagement file's revision, read without validating the rest (Store.revision)."""

    model_config = ConfigDict(extra="ignore", defer_build=False)

    meta: dict[RowId, StoredRevisionMeta]


class StoredName(Model):
    """Who an engagement file is about, read without validating the rest (Store.find)."""

    model_config = ConfigDict(extra="ignore")

    id: str
    person: "StoredPerson"


class StoredPerson(Model):
    model_config = ConfigDict(extra="ignore")

    name: str
    name_kana: str = ""


class StoredNames(Model):
    model_config = ConfigDict(extra="ignore")

    engagement: dict[RowId, StoredName]
