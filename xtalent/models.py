"""The engagement of one external person, and everything the domain says it must hold.

Models validate themselves: dates as users type them, stable ids, and cross-references (an
item's receiver must be a named staff member, a log entry's target must exist).  Errors carry
catalog keys so `errors.from_validation_error` can say what is wrong and where in Japanese or English.
"""

# No `from __future__ import annotations`: pydantic reads each field's annotation as the object
# the module's byte code made, instead of compiling it from a string at every start
# (typing.ForwardRef: ~17 M instructions for the models, ~6 M for the settings and the
# appointment types, of every command that reads an engagement).  Names imported only for
# type checking are quoted.

from datetime import date
from functools import cache
from typing import TYPE_CHECKING, Annotated, Any, Iterable

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    PlainSerializer,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError, core_schema

from .dates import FIRST_DAY, LAST_DAY, DateParseError, in_range, parse_date
from .fielddefaults import empty_dict, empty_list
from .migrations import SCHEMA_VERSION  # noqa: F401 (re-exported)

if TYPE_CHECKING:
    from pydantic.json_schema import JsonSchemaValue
    from pydantic_core import CoreSchema
from .vocabulary import (  # noqa: F401 (re-exported: models are where the rest of the code looks)
    ID_PATTERN,
    INDEPENDENT_RANK,
    AfterTerm,
    ClosureOutcome,
    Lifecycle,
    TermChangeKind,
    STAGE_ORDER,
    STAGE_RANK,
    ContractForm,
    ItemKind,
    LogKind,
    Owner,
    Role,
    ScopeLevel,
    Stage,
    StaffStatus,
    StructureRole,
    TargetStatus,
)


def _to_date(value: object) -> object:
    if value is None:
        return value
    try:
        # Stored files hold ISO dates: parse those in C before the general user-text parser.
        if type(value) is str and len(value) == 10 and value[4] == "-":
            try:
                return in_range(date.fromisoformat(value))
            except ValueError as exc:
                if isinstance(exc, DateParseError):
                    raise
        return parse_date(value)
    except DateParseError as exc:
        raise PydanticCustomError("xt_date", "{reason}", {"reason": exc.reason}) from None


def _blank_to_none(value: object) -> object:
    if isinstance(value, str) and not value.strip():
        return None
    return value


class _StoredDay:
    """A date in a stored file is read by pydantic-core alone: exactly YYYY-MM-DD within
    FIRST_DAY…LAST_DAY, the only way xtalent writes one.

    Only files are validated from JSON (models.StoredFile); anything else there (a 和暦, a
    timestamp, a day out of range) fails the fast path and the store reads that file the
    careful way, through `_to_date` as before.  An engagement holds ~250 dates: calling Python
    for each was a fifth of loading one (see docs/performance.md).  Forms and imports validate
    Python values, which keep `_to_date`.
    """

    def __init__(self, optional: bool = False) -> None:
        self.optional = optional

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> "CoreSchema":
        python = handler(source)
        iso = core_schema.chain_schema([
            core_schema.str_schema(pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$", strict=True, strip_whitespace=False),
            core_schema.date_schema(ge=FIRST_DAY, le=LAST_DAY),
        ])
        return core_schema.json_or_python_schema(
            json_schema=core_schema.nullable_schema(iso) if self.optional else iso,
            python_schema=python,
            serialization=python.get("serialization"),
        )

    def __get_pydantic_json_schema__(self, schema: "CoreSchema", handler: GetJsonSchemaHandler) -> "JsonSchemaValue":
        # `xtalent schema` describes a date as always: what a document may hold (the Python side).
        return handler(schema["python_schema"])  # type: ignore[typeddict-item]


Day = Annotated[
    date,
    BeforeValidator(_to_date),
    PlainSerializer(lambda d: d.isoformat(), return_type=str),
    _StoredDay(),
]
OptionalDay = Annotated[
    date | None,
    BeforeValidator(lambda v: _to_date(_blank_to_none(v))),
    PlainSerializer(lambda d: d.isoformat() if d else None, return_type=str | None),
    _StoredDay(optional=True),
]
# Validation context of data read from a file (an import), as opposed to typed into a form.
FROM_FILE = "from_file"


def _strict(schema: "CoreSchema") -> "CoreSchema":
    """A number's or a yes/no's schema that takes only a JSON number or true/false as it is."""
    if schema["type"] in ("int", "float", "bool"):
        return {**schema, "strict": True}  # type: ignore[typeddict-item]
    if schema["type"] == "nullable":
        return {**schema, "schema": _strict(schema["schema"])}  # type: ignore[typeddict-item]
    raise TypeError(f"no strict form of a {schema['type']} schema")


class _Exact:
    """In a file, a number or a yes/no must already be one.

    JSON has numbers and booleans, so "6" or true where minutes belong is a mistake in the
    file, not a way of writing 6 or 1 (pydantic would quietly convert both).  Forms hand over
    what was typed ("6") and keep that conversion: the validation context tells them apart.

    Only a stored file is validated from JSON (models.StoredFile): there pydantic-core takes a
    JSON number or true/false as it is (strict) and refuses anything else without calling Python
    — the store then reads that file the careful way (codec.parse), where `check` below says
    what is wrong.  A file holds ~165 of them per engagement: a Python call each was ~6 % of the
    instructions of loading one (bench/load_cost.py).
    """

    def __init__(self, *types: type, refusal: str) -> None:
        self.types = types
        self.refusal = refusal

    def check(self, value: object, info: ValidationInfo) -> object:
        if value is None or type(value) in self.types:
            return value
        # A yes/no is never a number, typed or not (pydantic reads true as 1).
        if not (info.context or {}).get(FROM_FILE) and type(value) is not bool:
            return value
        refusal = self.refusal
        key = "validation.not_whole" if refusal == "validation.not_a_number" and type(value) is float else refusal
        raise PydanticCustomError("xt_type", key)

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> "CoreSchema":
        inner = handler(source)
        return core_schema.json_or_python_schema(
            json_schema=_strict(inner),
            python_schema=core_schema.with_info_before_validator_function(self.check, inner),
        )


def _exact(*types: type, refusal: str) -> _Exact:
    return _Exact(*types, refusal=refusal)


_WHOLE = _exact(int, refusal="validation.not_a_number")
_NUMBER = _exact(int, float, refusal="validation.not_a_number")
_YES_NO = _exact(bool, refusal="validation.not_bool")
Text = Annotated[str, Field(max_length=2000)]
Name = Annotated[str, Field(min_length=1, max_length=200)]
Id = Annotated[str, Field(pattern=ID_PATTERN)]
# A 年度 as the year it starts in (令和8年度 = 2026).
FiscalYearNumber = Annotated[int, Field(ge=1989, le=2200), _WHOLE]
# The key of an appointment type (xtalent/appointments.py, or one a settings file adds).
TypeKey = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,39}$")]


def new_id(prefix: str) -> str:
    """A short random id; stable once assigned (never derived from a name that can change)."""
    import secrets  # only where ids are made: reading files needs none (base64, random, hmac)

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


class Reading(Model):
    """One measured value of an indicator, and the day it was recorded for."""

    on: Day
    value: Annotated[float, _NUMBER]


class Indicator(Model):
    name: Name
    unit: Annotated[str, Field(max_length=40)] = ""
    baseline: Annotated[float | None, _NUMBER] = None
    target: Annotated[float | None, _NUMBER] = None
    current: Annotated[float | None, _NUMBER] = None
    # Every value `current` has had, with its day (xtalent/indicators.py reads a value on a day
    # from them); the targets form appends one each time the current value changes.
    readings: list[Reading] = Field(default_factory=empty_list)


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
    staff_ids: list[Id] = Field(default_factory=empty_list)
    fiscal_year: FiscalYearNumber | None = None  # the 年度 it should be achieved by


class StageEvent(Model):
    on: Day
    stage: Stage


class Reception(Model):
    """One staff member receiving one know-how item, and how far they have climbed."""

    staff_id: Id
    stage: Stage = Stage.NOT_STARTED
    history: list[StageEvent] = Field(default_factory=empty_list)

    def last_change(self) -> date | None:
        return max((e.on for e in self.history), default=None)


class Evidence(Model):
    on: Day
    note: Annotated[str, Field(min_length=1, max_length=2000)]
    link: Annotated[str, Field(max_length=1000)] = ""  # where it is: a file path or a URL


class KnowHowItem(Model):
    id: Id = Field(default_factory=lambda: new_id("kh"))
    title: Name
    kind: ItemKind = ItemKind.DOCUMENT
    description: Text = ""
    target_id: Id | None = None
    receivers: list[Reception] = Field(default_factory=empty_list)
    due: OptionalDay = None
    evidence: list[Evidence] = Field(default_factory=empty_list)

    @property
    def stage(self) -> Stage:
        """The item's stage is the furthest any receiver has climbed."""
        return STAGE_ORDER[item_rank(self)]

    @property
    def transferred(self) -> bool:
        # By rank (as is_overdue), not through self.stage: every dashboard row counts its items,
        # and the stage goes through two Stage lookups per item.
        return item_rank(self) >= INDEPENDENT_RANK

    @field_validator("receivers")
    @classmethod
    def _one_reception_per_staff(cls, value: list[Reception]) -> list[Reception]:
        seen: set[str] = set()
        for reception in value:
            if reception.staff_id in seen:
                raise PydanticCustomError("xt_duplicate_receiver", "model.duplicate_receiver")
            seen.add(reception.staff_id)
        return value


def item_rank(item: KnowHowItem, gone: frozenset[str] | set[str] = frozenset()) -> int:
    """The furthest rank any receiver reached (KnowHowItem.stage as a number); with `gone`
    (Engagement.gone_ids), the furthest any receiver still here reached: the capacity left.

    A plain loop: the rules and metrics call it for every item of every engagement, and it is
    several times faster than comparing Stage members through their properties.
    """
    best = 0
    for reception in item.receivers:
        if gone and reception.staff_id in gone:
            continue
        rank = STAGE_RANK[reception.stage]
        if rank > best:
            best = rank
    return best


def is_overdue(item: KnowHowItem, today: date, gone: frozenset[str] = frozenset()) -> bool:
    """Past its due date and no receiver still here at 自立 yet (the checklist's 期限超過, the overdue rule)."""
    return item.due is not None and item.due < today and item_rank(item, gone) < INDEPENDENT_RANK


class ReceivingStaff(Model):
    id: Id = Field(default_factory=lambda: new_id("st"))
    name: Name
    department: Annotated[str, Field(max_length=200)] = ""
    position: Annotated[str, Field(max_length=200)] = ""
    role: StructureRole = StructureRole.MEMBER
    rotation_expected: OptionalDay = None  # 異動予定
    # The employee record (people.json) this receiver is; the fields above and below are that
    # record as of the last change to it, so one engagement file still names its receivers.
    employee_id: Id | None = None
    status: StaffStatus = StaffStatus.ACTIVE  # 在籍 / 異動済み / 退職
    left_on: OptionalDay = None  # the day they left (異動済み / 退職)

    @property
    def here(self) -> bool:
        """Still with the organisation: the one definition of who counts as capacity."""
        return self.status is StaffStatus.ACTIVE

    def here_on(self, day: date) -> bool:
        """Still with the organisation on `day` (one who left counts up to the day before)."""
        return self.status is StaffStatus.ACTIVE or (self.left_on is not None and day < self.left_on)


class Employee(Model):
    """One employee of the organisation (職員), whatever engagements they receive know-how in."""

    id: Id = Field(default_factory=lambda: new_id("em"))
    name: Name
    name_kana: Annotated[str, Field(max_length=200)] = ""  # ふりがな
    organisation: Annotated[str, Field(max_length=200)] = ""
    department: Annotated[str, Field(max_length=200)] = ""
    position: Annotated[str, Field(max_length=200)] = ""
    rotation_expected: OptionalDay = None  # 異動予定
    status: StaffStatus = StaffStatus.ACTIVE
    left_on: OptionalDay = None

    @model_validator(mode="after")
    def _left_has_day(self) -> "Employee":
        if self.status is StaffStatus.ACTIVE and self.left_on is not None:
            raise PydanticCustomError("xt_left_on", "model.left_on_while_here")
        return self


class PeopleRegistry(Model):
    """The employees of the database (people.json), and the merge proposals the user rejected."""

    employees: list[Employee] = Field(default_factory=empty_list)
    # Groups of employee ids the user said are different people (a rejected merge proposal).
    distinct: list[list[Id]] = Field(default_factory=empty_list)
    revision: Annotated[int, Field(ge=0), _WHOLE] = 0

    @model_validator(mode="after")
    def _unique_ids(self) -> "PeopleRegistry":
        _unique("employees", (e.id for e in self.employees))
        return self

    def by_id(self) -> dict[str, Employee]:
        return {e.id: e for e in self.employees}


class LogEntry(Model):
    id: Id = Field(default_factory=lambda: new_id("lg"))
    on: Day
    kind: LogKind = LogKind.CONSULTATION
    from_department: Annotated[str, Field(max_length=200)] = ""
    topic: Annotated[str, Field(max_length=500)] = ""
    in_scope: Annotated[bool, _YES_NO] = True
    target_id: Id | None = None
    minutes: Annotated[int, Field(ge=0, le=24 * 60), _WHOLE] = 0
    online: Annotated[bool, _YES_NO] = False  # a dispatch scheme counts online-only advice in hours, not days
    report_on: OptionalDay = None  # the dispatch's 実施報告書 was filed on this day
    # What a dispatch's 実施報告書 says beyond the day and the hours (xtalent/dispatch.py).
    attendees: Annotated[str, Field(max_length=500)] = ""  # 相談者・出席者
    advice: Text = ""  # 助言内容
    next_steps: Text = ""  # 次回までの課題・今後の進め方


class SupportPlan(Model):
    """Who supports an item still open when the engagement closes, how, and until when."""

    item_id: Id
    who: Name
    how: Annotated[str, Field(min_length=1, max_length=2000)]
    until: Day


class Closure(Model):
    """Closing an engagement: who closed it and when, and how each open item is carried on."""

    on: Day
    by: Name
    outcome: ClosureOutcome
    note: Text = ""
    support: list[SupportPlan] = Field(default_factory=empty_list)


class TermChange(Model):
    """An earlier term, kept when the term was extended or renewed."""

    kind: TermChangeKind
    start: Day  # the term as it was before the change
    end: Day
    decided_on: OptionalDay = None
    note: Text = ""


class AfterTermDecision(Model):
    """Extension, successor or post-term support, decided before the budget request."""

    decision: AfterTerm
    decided_on: Day
    note: Text = ""


class Signature(Model):
    """One signer of the 事務引継書: a name known before the meeting, the date once signed."""

    name: Annotated[str, Field(max_length=200)] = ""
    signed_on: OptionalDay = None


class HandoverFile(Model):
    """A document or file handed over (書類・帳簿の目録), and where it is."""

    title: Name
    location: Annotated[str, Field(max_length=1000)] = ""  # a cabinet, a shared folder, a URL
    note: Text = ""


class HandoverEquipment(Model):
    """Lent equipment (物品) or an account to return or close at the end of the term."""

    name: Name
    account: Annotated[bool, _YES_NO] = False  # an account (mail, VPN, SaaS) rather than a thing
    returned_on: OptionalDay = None
    note: Text = ""


class Handover(Model):
    """The 事務引継 at the end of the term: what the record needs beyond the items.

    The signatures are typed in after the meeting; recording the sign-off (`signed_on`, and the
    scanned file as evidence) is what closes the engagement (xtalent/lifecycle.py `sign_off`).
    """

    on: OptionalDay = None  # 引継年月日
    remarks: Annotated[str, Field(max_length=8000)] = ""  # 所見: the external person's closing remarks
    files: list[HandoverFile] = Field(default_factory=empty_list)
    equipment: list[HandoverEquipment] = Field(default_factory=empty_list)
    external: Signature = Field(default_factory=Signature)  # 外部人材 (the one handing over)
    lead: Signature = Field(default_factory=Signature)  # 受入れリーダー (the one receiving)
    head: Signature = Field(default_factory=Signature)  # 所属長
    hr: Signature = Field(default_factory=Signature)  # 人事課
    witness: Signature | None = None  # 立会人, when there is one
    signed_on: OptionalDay = None  # the sign-off was recorded on this day
    scan: Annotated[str, Field(max_length=1000)] = ""  # the signed paper's scanned file


class Engagement(Model):
    id: Id = Field(default_factory=lambda: new_id("en"))
    person: Person
    role: Role
    role_note: Annotated[str, Field(max_length=200)] = ""
    contract_form: ContractForm = ContractForm.SPECIAL_PART_TIME
    appointment_type: TypeKey = "other"
    organisation: Name
    department: Annotated[str, Field(max_length=200)] = ""
    sponsor: Annotated[str, Field(max_length=200)] = ""
    term_start: Day
    term_end: Day
    days_per_month: Annotated[Annotated[float, Field(ge=0, le=31)] | None, _NUMBER] = None
    hours_per_month: Annotated[Annotated[float, Field(ge=0, le=744)] | None, _NUMBER] = None
    notes: Text = ""
    targets: list[ChangeTarget] = Field(default_factory=empty_list)
    items: list[KnowHowItem] = Field(default_factory=empty_list)
    staff: list[ReceivingStaff] = Field(default_factory=empty_list)
    log: list[LogEntry] = Field(default_factory=empty_list)
    term_history: list[TermChange] = Field(default_factory=empty_list)
    after_term: AfterTermDecision | None = None
    closure: Closure | None = None
    handover: Handover | None = None
    revision: Annotated[int, Field(ge=0), _WHOLE] = 0

    @model_validator(mode="after")
    def _consistent(self) -> "Engagement":
        self._check_consistent()
        return self

    def _check_consistent(self) -> None:
        """The term in order, every id unique, every reference to a record that exists."""
        if self.term_end < self.term_start:
            raise PydanticCustomError("xt_term_order", "model.term_end_before_start")
        # Each collection's ids as a set, taken once (every file read runs this): a duplicate
        # leaves the set shorter than the list, and `_unique` then names the first one.
        target_ids = {t.id for t in self.targets}
        if len(target_ids) < len(self.targets):
            _unique("targets", (t.id for t in self.targets))
        item_ids = {i.id for i in self.items}
        if len(item_ids) < len(self.items):
            _unique("items", (i.id for i in self.items))
        staff_ids = {s.id for s in self.staff}
        if len(staff_ids) < len(self.staff):
            _unique("staff", (s.id for s in self.staff))
        if len({e.id for e in self.log}) < len(self.log):
            _unique("log", (e.id for e in self.log))
        # Every reference at once (set operations, no loop in Python per record); only when one
        # points nowhere are the records walked in order, to name the first that does.
        closure = self.closure
        if not (
            staff_ids.issuperset([staff_id for target in self.targets for staff_id in target.staff_ids])
            and staff_ids.issuperset([r.staff_id for item in self.items for r in item.receivers])
            and target_ids.issuperset([i.target_id for i in self.items if i.target_id is not None])
            and target_ids.issuperset([e.target_id for e in self.log if e.target_id is not None])
            and (closure is None or item_ids.issuperset([plan.item_id for plan in closure.support]))
        ):
            self._first_dangling(target_ids, staff_ids, item_ids)
        for n, change in enumerate(self.term_history):
            if change.end < change.start:
                raise PydanticCustomError("xt_term_order", "model.term_end_before_start")

    def _first_dangling(self, target_ids: set[str], staff_ids: set[str], item_ids: set[str]) -> None:
        """Raise for the first reference that points nowhere, in record order."""
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
        if self.closure is not None:
            for n, plan in enumerate(self.closure.support):
                if plan.item_id not in item_ids:
                    _dangling(("closure", "support", n, "item_id"), plan.item_id)

    # Lookups the UI, rules and exporters share.
    def staff_by_id(self) -> dict[str, ReceivingStaff]:
        return {s.id: s for s in self.staff}

    def gone_ids(self) -> frozenset[str]:
        """Receiving staff no longer here (異動済み / 退職): their stages stay on record, but they
        count for nothing — not as 分身, not as a receiver (ReceivingStaff.here)."""
        return frozenset(s.id for s in self.staff if not s.here)

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

    def lifecycle(self, today: date) -> Lifecycle:
        """予定 → 在任 → 任期終了・引継ぎ中 from the term; 完了 / 終了（未了あり） once closed."""
        if self.closure is not None:
            return Lifecycle.COMPLETED if self.closure.outcome is ClosureOutcome.COMPLETED else Lifecycle.CLOSED_OPEN
        if today < self.term_start:
            return Lifecycle.PLANNED
        if today <= self.term_end:
            return Lifecycle.IN_TERM
        return Lifecycle.ENDED

    @property
    def closed(self) -> bool:
        return self.closure is not None


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
    engagements: list[Engagement] = Field(default_factory=empty_list)
    # The employee records the engagements' receivers refer to (schema 4; older documents have
    # none: an import makes one per receiver, never merging two on its own).
    people: list[Employee] = Field(default_factory=empty_list)
    # Groups of employee ids the user said are different people (a rejected merge proposal): an
    # import keeps the answer, so the proposal does not come back.
    distinct_people: list[list[Id]] = Field(default_factory=empty_list)

    @model_validator(mode="after")
    def _unique_engagements(self) -> "InterchangeDocument":
        _unique("engagements", (e.id for e in self.engagements))
        _unique("people", (p.id for p in self.people))
        return self


# ----- an engagement file as stored (xtalent/codec.py), validated straight from its bytes -----
# Row ids as TinyDB writes them; anything else (" 1", "01") is left to the careful path (codec.decode).
RowId = Annotated[str, Field(pattern=r"^(0|[1-9][0-9]*)$")]


class StoredMeta(Model):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)

    schema_version: Annotated[int, Field(strict=True)]
    revision: Annotated[int, Field(strict=True, ge=0)] = 0
    id: str = ""


class StoredFile(Model):
    """The tables of one engagement file (codec.engagement_to_tables) as pydantic-core reads them
    from JSON bytes: the records and the engagement's own row are validated while the JSON is
    parsed, with no dicts made first.  Only files exactly as xtalent writes them fit; the store
    reads anything else the careful way."""

    model_config = ConfigDict(extra="forbid")

    meta: dict[RowId, StoredMeta]
    # The engagement's row is an engagement without its records and revision (their own tables
    # hold them): validated as one, its fields take the file's strict JSON forms like the records'.
    engagement: dict[RowId, Engagement]
    targets: dict[RowId, ChangeTarget] = Field(default_factory=empty_dict)
    items: dict[RowId, KnowHowItem] = Field(default_factory=empty_dict)
    staff: dict[RowId, ReceivingStaff] = Field(default_factory=empty_dict)
    log: dict[RowId, LogEntry] = Field(default_factory=empty_dict)

    def engagement_at(self, schema_version: int) -> Engagement | None:
        """The engagement, if the file is at `schema_version` and holds one; None otherwise.
        `PydanticCustomError` (a ValueError) when the records do not fit together."""
        if len(self.meta) != 1 or len(self.engagement) != 1:
            return None
        (meta,) = self.meta.values()
        (core,) = self.engagement.values()
        if meta.schema_version != schema_version or _FROM_OTHER_TABLES & core.model_fields_set:
            return None
        # Every field is validated already: the records and the revision are put in as they are
        # (no second validation of the whole), then the engagement's model validator's checks,
        # which ran on the row without them, run on the whole.
        engagement = core.model_copy(update={
            "targets": list(self.targets.values()),
            "items": list(self.items.values()),
            "staff": list(self.staff.values()),
            "log": list(self.log.values()),
            "revision": meta.revision,
        })
        engagement._check_consistent()
        return engagement


# The record tables and the revision come from their own tables, never from the engagement's row.
_FROM_OTHER_TABLES = frozenset({"targets", "items", "staff", "log", "revision"})


@cache
def build_file_validators() -> None:
    """Build the record models' validators before the file's: it then uses them as built instead
    of building its own copy of the four (with defer_build, a model's validator builds every
    model it holds that is not yet built).  Every command or launch that reads a file builds them:
    the copies were ~20 % of it (76 → 60 M instructions)."""
    for model in (ChangeTarget, KnowHowItem, ReceivingStaff, LogEntry):
        model.model_rebuild()


class StoredRevisionMeta(Model):
    model_config = ConfigDict(extra="ignore")

    revision: Annotated[int, Field(strict=True, ge=0)] = 0


class StoredRevision(Model):
    """An engagement file's revision, read without validating the rest (Store.revision)."""

    model_config = ConfigDict(extra="ignore")

    meta: dict[RowId, StoredRevisionMeta]


class StoredPerson(Model):
    model_config = ConfigDict(extra="ignore")

    name: str
    name_kana: str = ""


class StoredName(Model):
    """Who an engagement file is about, read without validating the rest (Store.find)."""

    model_config = ConfigDict(extra="ignore")

    id: str
    person: StoredPerson


class StoredNames(Model):
    model_config = ConfigDict(extra="ignore")

    engagement: dict[RowId, StoredName]
