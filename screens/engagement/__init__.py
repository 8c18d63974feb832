"""The engagement screen: one engagement in tabs (overview, targets, items, structure, log, warnings)."""

from .screen import EngagementScreen

__all__ = ["EngagementScreen"]
