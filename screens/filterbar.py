"""A row of drop-downs that narrow a list (the attention view's, the staff screen's).

The choices are what the data holds (organisations, departments…): user text, shown as data."""

from __future__ import annotations

from typing import Sequence

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Select

from xtalent.i18n import t

from .usertext import user


class FilterBar(Horizontal):
    def __init__(self, names: Sequence[str], *, prompts: str, select_ids: str, id: str) -> None:
        """`prompts`: the catalog section of each drop-down's prompt (`{prompts}.{name}`);
        `select_ids`: the prefix of each drop-down's id (`{select_ids}{name}`)."""
        super().__init__(id=id)
        self.names = tuple(names)
        self.prompts = prompts
        self.select_ids = select_ids

    def compose(self) -> ComposeResult:
        for name in self.names:
            yield Select([], prompt=t(f"{self.prompts}.{name}"), id=f"{self.select_ids}{name}", compact=True)

    def select(self, name: str) -> Select[str]:
        return self.query_one(f"#{self.select_ids}{name}", Select)

    def chosen(self) -> dict[str, str | None]:
        """Each drop-down's choice (None: not narrowed)."""
        return {name: None if (s := self.select(name)).is_blank() else str(s.value) for name in self.names}

    def fill(self, choices: dict[str, list[str]]) -> None:
        """New choices, keeping each one still offered; no Changed message for the refill."""
        for name in self.names:
            select = self.select(name)
            current = None if select.is_blank() else select.value
            with select.prevent(Select.Changed):
                select.set_options([(user(value), value) for value in choices[name]])
                if current in choices[name]:
                    select.value = current

    def relabel(self) -> None:
        """The prompts again, in the language now chosen."""
        for name in self.names:
            self.select(name).prompt = t(f"{self.prompts}.{name}")
