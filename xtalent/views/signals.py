"""The pitfall findings and metrics of one engagement, evaluated once and shared by every view.

The rules (xtalent/pitfalls) and the metrics (xtalent/metrics) are their own modules; this is
only the seam the views read them through, so a dashboard row and the engagement screen never
disagree about a warning or a score.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # annotations only: the dashboard paints without importing the models
    from ..models import Engagement

# Severities from the most to the least serious; the dashboard counts warnings in this order.
SEVERITIES: tuple[str, ...] = ("critical", "warning", "info")


@dataclass(frozen=True)
class Signals:
    findings: list[Any] = field(default_factory=list)
    readiness: int | None = None
    bunshin: int | None = None
    # metrics.readiness's Score: its labels are written only when readiness_parts is read (the
    # engagement screen), never for a dashboard row, which keeps the value alone.
    readiness_score: Any = None

    @property
    def readiness_parts(self) -> list[tuple[str, float]]:
        """(label, points), largest first."""
        return [] if self.readiness_score is None else list(self.readiness_score.why)

    def severity_counts(self) -> dict[str, int]:
        counts = {severity: 0 for severity in SEVERITIES}
        for finding in self.findings:
            severity = severity_of(finding)
            counts[severity] = counts.get(severity, 0) + 1
        return counts


def severity_of(finding: Any) -> str:
    value = getattr(finding, "severity", "info")
    return str(getattr(value, "value", value))


def evaluate(engagement: Engagement, today: date, lang: str | None = None, settings: Any = None) -> Signals:
    """`settings`: the user's thresholds (xtalent.settings.Settings); None means the defaults."""
    return Signals(findings=_findings(engagement, today, lang, settings), **_metrics(engagement, today, lang))


def _findings(engagement: Engagement, today: date, lang: str | None, settings: Any) -> list[Any]:
    from .. import pitfalls

    return list(pitfalls.evaluate(engagement, today, settings, lang=lang))


def _metrics(engagement: Engagement, today: date, lang: str | None) -> dict[str, Any]:
    from .. import metrics

    bunshin = metrics.bunshin(engagement).total
    score = metrics.readiness(engagement, today, lang, bunshin_total=bunshin)
    return {"readiness": int(score.value), "readiness_score": score, "bunshin": bunshin}
