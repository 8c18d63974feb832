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

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from pydantic_core import PydanticCustomError

from .errors import XtalentError, format_path, from_validation_error
from .i18n import t

Days = Annotated[int, Field(ge=1, le=3650)]
Share = Annotated[float, Field(gt=0, le=1)]


class PitfallSettings(BaseModel):
    """Thresholds of the pitfall rules; each default is what the rule uses without a settings file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

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

    hours_per_day: Annotated[float, Field(gt=0, le=24)] = 7.75
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

    dispatch_max_days: Annotated[float, Field(gt=0, le=31)] = 3
    """dispatch-days-exceeded: a 地域情報化アドバイザー is dispatched at most this many days per
    project (the scheme's limit)."""

    disabled: list[str] = Field(default_factory=list)
    """Codes of rules not to run."""

    @model_validator(mode="after")
    def _critical_within_warning(self) -> "PitfallSettings":
        if self.term_ending_critical_days > self.term_ending_days:
            raise PydanticCustomError("xt_settings", "settings.critical_after_warning")
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

    model_config = ConfigDict(extra="forbid", frozen=True)

    reminder_days: ReminderDays = DEFAULT_REMINDER_DAYS
    """The iCalendar export's reminders fire this many days before the term end and each due
    date (two weeks: time to book the last sessions); `--reminder-days` overrides it."""


class Settings(BaseModel):
    """The whole settings file.  Other tables are left to other tools (and older versions)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    pitfalls: PitfallSettings = Field(default_factory=PitfallSettings)
    export: ExportSettings = Field(default_factory=ExportSettings)


DEFAULTS = Settings()


def load_settings(path: Path | str) -> Settings:
    """The settings in `path`; defaults when the file does not exist."""
    from .settingsfile import SettingsFile

    file = SettingsFile.read(path)
    return DEFAULTS if file is None else parse_settings(file.data, file.path)


def parse_settings(data: bytes, path: Path) -> Settings:
    """The settings in a file's bytes; `path` is what errors name."""
    try:
        # Newlines as a text-mode read gives them to TOML.
        text = data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
    except UnicodeDecodeError:
        raise XtalentError("settings.unreadable", path=str(path), detail="UnicodeDecodeError") from None
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise XtalentError("settings.not_toml", path=str(path), detail=str(exc)) from None
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
