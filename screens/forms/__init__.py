"""Modal forms to add, edit and delete every kind of record, and the confirmation before deleting.

Screens use the helpers in `actions` (they know how each kind is saved through app.session);
the form classes are exported for tests and special cases.
"""

from .actions import (
    confirm_delete_engagement,
    confirm_delete_record,
    open_engagement_form,
    open_evidence_form,
    open_record_form,
)
from .base import RecordForm
from .confirm import ConfirmDialog
from .engagement import EngagementForm
from .records import EvidenceForm, ItemForm, LogForm, StaffForm, TargetForm

__all__ = [
    "ConfirmDialog",
    "EngagementForm",
    "EvidenceForm",
    "ItemForm",
    "LogForm",
    "RecordForm",
    "StaffForm",
    "TargetForm",
    "confirm_delete_engagement",
    "confirm_delete_record",
    "open_engagement_form",
    "open_evidence_form",
    "open_record_form",
]
