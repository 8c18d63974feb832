"""The quick log form: the consultation's topic first, Enter saves (date today, 30 minutes, in scope)."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from ..forms import records
from ..forms.fields import FieldSpec
from ..forms.records import LogForm

ORDER = ("topic", "from_department", "minutes", "on", "kind", "in_scope", "target_id")


class QuickLogForm(LogForm):
    TITLE_NEW = "eng.quick_log_title"
    CSS_PATH = Path(records.__file__).with_name("forms.tcss")  # the forms' look, from their folder

    def fields(self) -> list[FieldSpec]:
        specs = {spec.name: spec for spec in super().fields()}
        return [specs[name] for name in ORDER if name in specs]

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        event.prevent_default()  # not the full form's "next field": Enter saves here
        self.action_save()
