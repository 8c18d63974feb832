"""Persona (人物像): advice must land in the field, not stay armchair theory (机上の空論)."""

from __future__ import annotations

from datetime import date

from ..models import Engagement
from ..settings import PitfallSettings
from .base import Aspect, Finding, Severity, Titles, snapshot
from .registry import rule
from .scope import WIDE_SCOPES, external_alone


@rule("armchair-advice", Aspect.PERSONA, severities=(Severity.WARNING,))
def armchair_advice(engagement: Engagement, today: date, settings: PitfallSettings, lang: str | None) -> list[Finding]:
    # A target nobody in the field owns is advice with no implementer: it only adds work for
    # staff, or the DX team ends up taking over the execution (実行役を引き取る).
    snap = snapshot(engagement, today, settings)
    # Targets a 丸投げ finding already names have one cause, said once there.
    covered = {tg.id for tg in external_alone(engagement, snap.live_targets, settings)}
    if not covered and snap.live_targets and all(
        tg.scope_level in WIDE_SCOPES and not tg.field_department for tg in snap.live_targets
    ):
        covered = {tg.id for tg in snap.live_targets}
    groups: dict[str, list] = {"both": [], "department": [], "staff": []}
    for target in snap.open_targets:
        if target.id in covered:
            continue
        no_department, no_staff = not target.field_department, not target.staff_ids
        if no_department and no_staff:
            groups["both"].append(target)
        elif no_department:
            groups["department"].append(target)
        elif no_staff:
            groups["staff"].append(target)
    return [
        armchair_advice.finding(
            engagement, Severity.WARNING, lang, subjects=found, variant=f"message_{missing}",
            facts={"missing": missing, "count": len(found), "target_ids": [tg.id for tg in found]},
            count=len(found), targets=Titles(found),
        )
        for missing, found in groups.items()
        if found
    ]
