"""User settings: the pitfall thresholds and the exports' options, read from one TOML file.

    # settings.toml  (--config PATH, else XTALENT_CONFIG, else the platform's config folder)
    [pitfalls]
    term_ending_days = 120     # warn four months before the term ends instead of three
    disabled = ["underused"]   # codes of rules not to run
    [export]
    reminder_days = 7          # the calendar export reminds a week ahead

The CLI and the TUI read both sections through `Settings`, never the TOML by hand.

Every threshold has a default chosen from the guidance (documented on each field); a missing
file means all defaults.  A file that exists but cannot be used is an error naming the file and
the key, never silently ignored: a typo in a threshold must not switch a warning off.
The loader takes the path explicitly, so tests and tools never read the user's own file.
"""

# No `from __future__ import annotations`, as in models.py: pydantic reads the fields'
# annotations as objects instead of compiling each from a string at every start.

from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator, model_validator
from pydantic_core import PydanticCustomError

from .appointments import BUILTIN, AppointmentType, AppointmentTypeSettings, merged
from .contracted import DEFAULT_CLOSED_DAYS, HOURS_PER_DAY
from .errors import XtalentError, format_path, from_validation_error
from .fielddefaults import empty_dict, empty_list
from .i18n import t

Days = Annotated[int, Field(ge=1, le=3650)]
Share = Annotated[float, Field(gt=0, le=1)]
MonthDay = Annotated[str, Field(pattern=r"^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")]


class PitfallSettings(BaseModel):
    """Thresholds of the pitfall rules; each default is what the rule uses without a settings file."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    term_ending_days: Days = 90
    """term-ending-untransferred warns this many days before the term end (inclusive): about one
    quarter, long enough to still schedule shadowing and joint work."""

    term_ending_critical_days: Days = 30
    """... and turns critical this many days before the end (inclusive)."""

    stalled_days: Days = 60
    """transfer-stalled: an item's stage has not moved for this many days (inclusive) in term."""

    pace_min_elapsed_days: Days = 60
    """transfer-pace-behind judges the pace only after this many days of the term."""

    underused_days: Days = 45
    """underused: no consultation or check-in for this many days (inclusive) while in term."""

    overload_window_days: Days = 90
    """consultation-overload looks at the log of this many most recent days."""

    overload_share: Share = 0.3
    """consultation-overload fires when out-of-scope consultations take at least this share of
    the contracted time in the window (of all logged time when no contracted time is recorded)."""

    hours_per_day: Annotated[float, Field(gt=0, le=24)] = HOURS_PER_DAY
    """Contracted hours in one contracted day (a municipal working day is 7h45m)."""

    wholesale_share: Share = 0.5
    """wholesale-handover (丸投げ): fires when more than this share of the live targets are owned
    by the external person alone with no staff involved."""

    single_point_share: Share = 0.5
    """single-point-of-knowledge is a warning (not info) when more than this share of the items
    with receivers have only one receiver."""

    rotation_margin_days: Annotated[int, Field(ge=0, le=3650)] = 90
    """receiver-rotation-risk: a receiver's expected rotation on or before term end + this many
    days.  Rotations happen in April, so a March term end with an April rotation is caught."""

    term_ending_contracted_days: Annotated[float, Field(gt=0, le=366)] = 15
    """term-ending-untransferred also warns when no more than this many contracted days are left
    (days per month × the months left, minus the year-end closure and a dispatch scheme's cap):
    a side-job advisor on 月2日 has little time left long before the last 90 days."""

    term_ending_critical_contracted_days: Annotated[float, Field(gt=0, le=366)] = 5
    """... and it is critical when no more than this many contracted days are left and the pace so
    far will not bring every item to 自立 by the end."""

    ended_critical_days: Days = 30
    """term-ended-untransferred is critical for this many days after the end, while the person is
    easily reached; later it asks to close the engagement with post-term support plans."""

    closed_days: list[MonthDay] = Field(default_factory=lambda: list(DEFAULT_CLOSED_DAYS))
    """Days (MM-DD) the municipality is closed every year: no contracted time is used on them."""

    structure_warning_share: Share = 0.25
    """no-receiving-structure is information until this share of the term has passed (the guidance:
    build the structure *during* the term), then a warning ..."""

    structure_critical_share: Share = 0.5
    """... and critical (no receiving staff at all) once this share of the term has passed."""

    budget_prompt_month: Annotated[int, Field(ge=1, le=12)] = 10
    """budget-cycle-undecided: from the first of this month (October: the next 年度's budget is
    requested in October–December) a term ending in January–March needs its extension, successor
    or post-term support decided; from a month earlier it is information."""

    disabled: list[str] = Field(default_factory=empty_list)
    """Codes of rules not to run."""

    # The appointment types in force; Settings fills it from [appointment_types] (a field would be
    # a key users could type under [pitfalls]).
    _types: dict[str, AppointmentType] | None = PrivateAttr(default=None)

    def appointment_types_in_force(self) -> dict[str, AppointmentType]:
        return self._types if self._types is not None else BUILTIN

    @model_validator(mode="after")
    def _critical_within_warning(self) -> "PitfallSettings":
        if self.term_ending_critical_days > self.term_ending_days:
            raise PydanticCustomError("xt_settings", "settings.critical_after_warning")
        if self.term_ending_critical_contracted_days > self.term_ending_contracted_days:
            raise PydanticCustomError("xt_settings", "settings.critical_after_warning_contracted")
        if self.structure_warning_share > self.structure_critical_share:
            raise PydanticCustomError("xt_settings", "settings.structure_shares")
        return self

    @field_validator("disabled")
    @classmethod
    def _known_codes(cls, value: list[str]) -> list[str]:
        from .pitfalls import rule_codes  # the rules import this module; resolve lazily

        known = set(rule_codes())
        for code in value:
            if code not in known:
                raise PydanticCustomError("xt_settings", "settings.unknown_rule", {"code": code})
        return value


DEFAULT_REMINDER_DAYS = 14
MAX_REMINDER_DAYS = 365
# strict: TOML has integers, and `true` or "7" is a typo to name, not a number to guess.
ReminderDays = Annotated[int, Field(ge=0, le=MAX_REMINDER_DAYS, strict=True)]


class ExportSettings(BaseModel):
    """Options of the exports, the same from `xtalent export` and the TUI's export dialog."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    reminder_days: ReminderDays = DEFAULT_REMINDER_DAYS
    """The iCalendar export's reminders fire this many days before the term end and each due
    date (two weeks: time to book the last sessions); `--reminder-days` overrides it."""


class Settings(BaseModel):
    """The whole settings file: one typed section per table; any other table is refused."""

    model_config = ConfigDict(extra="ignore", frozen=True, defer_build=True)

    pitfalls: PitfallSettings = Field(default_factory=PitfallSettings)
    export: ExportSettings = Field(default_factory=ExportSettings)
    appointment_types: dict[Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,39}$")], AppointmentTypeSettings] = Field(
        default_factory=empty_dict
    )

    @model_validator(mode="after")
    def _types_to_the_rules(self) -> "Settings":
        if self.appointment_types:
            pitfalls = self.pitfalls.model_copy()
            pitfalls._types = merged(self.appointment_types)
            object.__setattr__(self, "pitfalls", pitfalls)
        return self

    def appointment_types_in_force(self) -> dict[str, AppointmentType]:
        return self.pitfalls.appointment_types_in_force()


# The settings without a file: every field's default, made without validation (the defaults
# are valid by definition; tests/test_pitfalls_settings.py compares them with `Settings()`), so
# that a user without a settings file never builds the settings' validators (~40-70 ms of
# every command: each model above is built on its first validation, `defer_build`).
DEFAULTS = Settings.model_construct(
    _fields_set=set(),
    pitfalls=PitfallSettings.model_construct(_fields_set=set()),
    export=ExportSettings.model_construct(_fields_set=set()),
    appointment_types={},
)
# Every table a settings file may hold: the sections of Settings, and no other. A misspelt
# [pitfals] would otherwise leave every default in force.
SECTIONS = tuple(Settings.model_fields)


def load_settings(path: Path | str) -> Settings:
    """The settings in `path`; defaults when the file does not exist."""
    from .settingsfile import SettingsFile

    file = SettingsFile.read(path)
    return DEFAULTS if file is None else parse_settings(file.data, file.path)


def parse_settings(data: bytes, path: Path) -> Settings:
    """The settings in a file's bytes; `path` is what errors name."""
    import tomllib  # only with a settings file: compiling its regular expressions is ~5 ms

    try:
        # Newlines as a text-mode read gives them to TOML.
        text = data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
    except UnicodeDecodeError:
        raise XtalentError("settings.unreadable", path=str(path), detail="UnicodeDecodeError") from None
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise XtalentError("settings.not_toml", path=str(path), detail=str(exc)) from None
    for name in document:
        if name not in SECTIONS:
            known = ", ".join(f"[{section}]" for section in SECTIONS)
            raise SettingsError(path, name, "settings.unknown_section", {"section": name, "known": known})
    try:
        return Settings.model_validate(document)
    except ValidationError as exc:
        raise _invalid(path, exc) from None


class SettingsError(XtalentError):
    """A settings file that cannot be used; the reason is rendered in the language asked for."""

    def __init__(self, path: Path, field: str, reason: str, reason_params: dict[str, Any]) -> None:
        super().__init__("settings.invalid", path=str(path), field=field)
        self.reason = reason
        self.reason_params = reason_params

    def message(self, lang: str | None = None) -> str:
        return t(self.key, lang, **self.params, reason=t(self.reason, lang, **self.reason_params))


def _invalid(path: Path, exc: ValidationError) -> XtalentError:
    # The first problem is enough to fix; naming the key matters more than listing them all.
    err = exc.errors(include_input=False, include_url=False)[0]
    if err["type"] == "xt_settings":
        return SettingsError(path, format_path(err["loc"]), err["msg"], dict(err.get("ctx") or {}))
    where, key, params = from_validation_error(exc, str(path)).problems[0]
    return SettingsError(path, where or "pitfalls", key, params)
