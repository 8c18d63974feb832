"""The fields of a form: what each one is, the widget that edits it, and how its value is read.

A field's `name` is its path in the record (e.g. "person.name"): values are un-flattened into
the record's data by that path, and a validation problem at that path is shown beside it.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Any, Callable, Iterable

from textual.widget import Widget
from textual.widgets import Checkbox, Input, Select, SelectionList, TextArea

from rich.text import Text

from xtalent.dates import DateParseError, format_fiscal_year, format_wareki, parse_date, relative_days
from xtalent.i18n import get_language, t
from xtalent.usertext import shown

from ..usertext import user

Choices = Callable[[], list[tuple[str, str]]]

# kinds of field
TEXT, AREA, DATE, NUMBER, INTEGER, SELECT, MULTI, SWITCH = (
    "text", "area", "date", "number", "integer", "select", "multi", "switch",
)


@dataclass(frozen=True)
class FieldSpec:
    name: str  # path in the record: "title", "person.name", "indicator.baseline"
    label: str  # catalog key
    kind: str = TEXT
    choices: Choices | None = None  # for SELECT / MULTI: (label, value) pairs, in the UI language
    required: bool = False  # marks the label; the model decides what is really required
    placeholder: str | None = None  # catalog key

    @property
    def dom_id(self) -> str:
        return "f-" + self.name.replace(".", "-").replace("_", "-")

    @property
    def error_id(self) -> str:
        return "e-" + self.dom_id[2:]

    @property
    def hint_id(self) -> str:
        return "h-" + self.dom_id[2:]

    def label_text(self) -> str:
        return t(self.label) + (" *" if self.required else "")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def shown_choices(spec: FieldSpec) -> list[tuple[Text, str]]:
    """The choices as a Select/SelectionList shows them: a target's title is data, not markup."""
    return [(user(lab), val) for lab, val in (spec.choices() if spec.choices else [])]


def make_widget(spec: FieldSpec, value: Any) -> Widget:
    """The widget editing `spec`, showing `value` (the record's current value or None)."""
    placeholder = t(spec.placeholder) if spec.placeholder else ""
    if spec.kind == AREA:
        return TextArea(
            shown(_text(value), multiline=True), id=spec.dom_id, compact=True, soft_wrap=True, show_line_numbers=False, placeholder=placeholder
        )
    if spec.kind == SELECT:
        options = shown_choices(spec)
        legal = {v for _, v in options}
        current = getattr(value, "value", value)
        return Select(
            options,
            prompt=t("form.choose"),
            allow_blank=True,
            value=current if current in legal else Select.NULL,
            id=spec.dom_id,
            compact=True,
        )
    if spec.kind == MULTI:
        chosen = set(value or ())
        options = shown_choices(spec)
        return SelectionList[str](*((lab, val, val in chosen) for lab, val in options), id=spec.dom_id, compact=True)
    if spec.kind == SWITCH:
        return Checkbox(t("form.check_yes"), value=bool(value), id=spec.dom_id, compact=True)
    # An Input without validators is always valid, and Textual says so with a class added as its
    # value is first set, before it is mounted: a pass of its styles over the whole stylesheet,
    # done again at mounting (14 of them opened an engagement's form).  Given at construction,
    # the class is there already and adding it does nothing.
    return Input(shown(_text(value)), placeholder=placeholder, id=spec.dom_id, compact=True, classes="-valid")


def as_typed(spec: FieldSpec, value: Any, initial: Any) -> Any:
    """A text field shows its value through shown() (an escape sequence in a stored name must not
    reach the terminal); left as shown, it reads back as the value it was, not as its picture."""
    if isinstance(value, str) and isinstance(initial, str) and value == shown(initial, multiline=spec.kind == AREA):
        return initial
    return value


def read_value(spec: FieldSpec, widget: Widget) -> Any:
    """The raw value as typed; the model turns text into dates and numbers (and says why not)."""
    if isinstance(widget, TextArea):
        return widget.text
    if isinstance(widget, Select):
        return None if widget.is_blank() else widget.value
    if isinstance(widget, SelectionList):
        return list(widget.selected)
    if isinstance(widget, Checkbox):
        return widget.value
    assert isinstance(widget, Input)
    text = widget.value
    if spec.kind in (NUMBER, INTEGER):
        # Japanese IMEs type full-width digits; "" is "not given".
        text = unicodedata.normalize("NFKC", text).replace(",", "").strip()
        return text or None
    return text


def write_value(spec: FieldSpec, widget: Widget, value: Any) -> None:
    """Put a value back (used to keep what was typed when a form re-renders its choices)."""
    if isinstance(widget, TextArea):
        widget.text = value or ""
    elif isinstance(widget, Select):
        legal = {v for _, v in (spec.choices() if spec.choices else [])}
        if value in legal:
            widget.value = value
    elif isinstance(widget, SelectionList):
        for selected in value or ():
            widget.select(selected)
    elif isinstance(widget, Checkbox):
        widget.value = bool(value)
    elif isinstance(widget, Input):
        widget.value = _text(value)


def typed_date(text: Any, today: date | None) -> Any:
    """A date typed as a word (きょう, あした, yesterday) as the ISO day it names from `today`, so
    that the model stores a day, not a word; anything else as typed (the model reads it, or says
    why not)."""
    if isinstance(text, str) and today is not None and relative_days(text) is not None:
        try:
            return parse_date(text, today).isoformat()
        except DateParseError:
            return text
    return text


def date_hint(text: str, lang: str | None = None, today: date | None = None) -> tuple[str, bool]:
    """What a typed date reads as (和暦 and 年度), or why it cannot be read; (text, is_error)."""
    lang = lang or get_language()
    if not text.strip():
        return "", False
    try:
        day = parse_date(text, today)
    except DateParseError as exc:
        return t(exc.reason, lang), True
    fiscal = format_fiscal_year(day, lang)
    if lang == "ja":
        return t("form.date_reads_as", lang, date=f"{format_wareki(day)}（{day.isoformat()}）", fiscal=fiscal), False
    return t("form.date_reads_as", lang, date=day.isoformat(), fiscal=fiscal), False


def unflatten(values: dict[str, Any]) -> dict[str, Any]:
    """{"person.name": x} -> {"person": {"name": x}}."""
    out: dict[str, Any] = {}
    for path, value in values.items():
        node = out
        *parents, leaf = path.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = value
    return out


def enum_choices(enum: Any) -> Choices:
    from xtalent.labels import choices

    return lambda: choices(enum)


def record_choices(records: Iterable[Any], text: Callable[[Any], str]) -> Choices:
    items = list(records)
    return lambda: [(text(r), r.id) for r in items]
