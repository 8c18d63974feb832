"""The know-how matrix: items (rows) × receiving staff (columns), each cell the staff's stage."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from ..i18n import t
from ..labels import label
from ..vocabulary import STAGE_ORDER, Stage, StructureRole

if TYPE_CHECKING:  # annotations only
    from ..models import Engagement, ReceivingStaff

# The receiving structure reads from the lead down.
STRUCTURE_ORDER: tuple[StructureRole, ...] = (
    StructureRole.LEAD,
    StructureRole.CDO_TEAM,
    StructureRole.DIGITAL_LEADER,
    StructureRole.MEMBER,
)


def staff_order(staff: list[ReceivingStaff]) -> list[ReceivingStaff]:
    """Lead first, then CDO team, digital promotion leaders, members; by department, then as
    entered; who left (異動済み / 退職) after everyone still here."""
    position = {s.id: n for n, s in enumerate(staff)}
    return sorted(staff, key=lambda s: (not s.here, STRUCTURE_ORDER.index(s.role), s.department, position[s.id]))


@dataclass(frozen=True)
class StaffColumn:
    id: str
    name: str
    role: StructureRole


@dataclass(frozen=True)
class MatrixRow:
    item_id: str
    title: str
    kind: str
    due: date | None
    stage: Stage  # the item's stage: the furthest receiver
    cells: tuple[Stage | None, ...]  # one per column; None: this staff member does not receive it
    evidence: int
    target: str

    @property
    def transferred(self) -> bool:
        return self.stage.transferred


@dataclass(frozen=True)
class Matrix:
    columns: list[StaffColumn]
    rows: list[MatrixRow]

    def cell(self, item_id: str, staff_id: str) -> Stage | None:
        index = [c.id for c in self.columns].index(staff_id)
        return next(r.cells[index] for r in self.rows if r.item_id == item_id)


def build_matrix(engagement: Engagement, lang: str | None = None) -> Matrix:
    """Every receiving staff member is a column (someone receiving nothing shows as a gap)."""
    # Who left keeps their column and every stage they reached, named as gone: lost capacity.
    columns = [StaffColumn(s.id, s.name if s.here else t("eng.staff_gone", lang, name=s.name, status=label(s.status, lang)),
                           s.role) for s in staff_order(engagement.staff)]
    targets = engagement.target_by_id()
    rows = []
    for item in engagement.items:
        stages = {r.staff_id: r.stage for r in item.receivers}
        target = targets.get(item.target_id) if item.target_id else None
        rows.append(
            MatrixRow(
                item_id=item.id,
                title=item.title,
                kind=label(item.kind, lang),
                due=item.due,
                stage=item.stage,
                cells=tuple(stages.get(c.id) for c in columns),
                evidence=len(item.evidence),
                target=target.title if target else "",
            )
        )
    return Matrix(columns, rows)


def short_stage(stage: Stage | None, lang: str | None = None) -> str:
    """A matrix cell: "3 協働"; a gap ("·") where the staff member does not receive the item."""
    if stage is None:
        return "·"
    return f"{stage.rank} {t(f'eng.stage_short.{stage.value}', lang)}"


def full_stage(stage: Stage, lang: str | None = None) -> str:
    """A stage in the ladder's own words: "4 自走・支援あり"."""
    return f"{stage.rank} {label(stage, lang)}"


def legend(lang: str | None = None) -> str:
    """The stage ladder: "0 未着手 → 1 文書化 → … → 6 検証済み"."""
    return " → ".join(full_stage(stage, lang) for stage in STAGE_ORDER)
