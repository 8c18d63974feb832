"""Persona (人物像): advice must land in the field, not stay armchair theory (机上の空論)."""

from __future__ import annotations

from datetime import date

from ..models import Engagement
from ..settings import PitfallSettings
from .base import Aspect, Finding, Severity, snapshot
from .registry import rule


@rule("armchair-advice", Aspect.PERSONA, severities=(Severity.WARNING,))
def armchair_advice(engagement: Engagement, today: date, settings: PitfallSettings, lang: str | None) -> list[Finding]:
    # A target nobody in the field owns is advice with no implementer: it only adds work for
    # staff, or the DX team ends up taking over the execution (実行役を引き取る).
    out = []
    for target in snapshot(engagement, today).open_targets:
        no_department, no_staff = not target.field_department, not target.staff_ids
        if not (no_department or no_staff):
            continue
        missing = "both" if no_department and no_staff else "department" if no_department else "staff"
        out.append(
            armchair_advice.finding(
                engagement, Severity.WARNING, lang, subject_id=target.id,
                facts={"missing": missing}, title=target.title, variant=f"message_{missing}",
            )
        )
    return out
