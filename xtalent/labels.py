"""Display labels for the model's choices, through the catalog."""

from __future__ import annotations

from enum import StrEnum

from .i18n import t
from .vocabulary import (
    AfterTerm,
    ClosureOutcome,
    ContractForm,
    ItemKind,
    Lifecycle,
    LogKind,
    Owner,
    Role,
    ScopeLevel,
    Stage,
    StaffStatus,
    StructureRole,
    TargetStatus,
    TermChangeKind,
)

_PREFIX: dict[type[StrEnum], str] = {
    Role: "role",
    ContractForm: "contract",
    ScopeLevel: "scope",
    TargetStatus: "status",
    Owner: "owner",
    ItemKind: "kind",
    Stage: "stage",
    StructureRole: "structure",
    StaffStatus: "staff_status",
    LogKind: "logkind",
    Lifecycle: "lifecycle",
    ClosureOutcome: "outcome",
    TermChangeKind: "term_change",
    AfterTerm: "after_term",
}


def label(value: StrEnum, lang: str | None = None) -> str:
    return t(f"{_PREFIX[type(value)]}.{value.value}", lang)


def choices(enum: type[StrEnum], lang: str | None = None) -> list[tuple[str, str]]:
    """(label, value) pairs in declaration order, for selects and help text."""
    return [(label(member, lang), member.value) for member in enum]
