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

    # The drop-downs are made once the list has its first rows on screen, not with the screen:
    # five Selects (each an overlay and an option list) took a third of the attention view's
    # opening at a thousand engagements (bench/attention_view.py), and nothing can be chosen
    # before there are values to choose from.  Until then nothing is narrowed.
    MOUNT_AFTER = 1 / 60

    def compose(self) -> ComposeResult:
        return iter(())

    @property
    def made(self) -> bool:
        return bool(self.children)

    def select(self, name: str) -> Select[str]:
        return self.query_one(f"#{self.select_ids}{name}", Select)

    def chosen(self) -> dict[str, str | None]:
        """Each drop-down's choice (None: not narrowed)."""
        if not self.made:
            return {name: None for name in self.names}
        return {name: None if (s := self.select(name)).is_blank() else str(s.value) for name in self.names}

    def fill(self, choices: dict[str, list[str]]) -> None:
        """New choices, keeping each one still offered; no Changed message for the refill."""
        if not self.made:
            first = not hasattr(self, "waiting")
            self.waiting = choices
            if first:
                self.set_timer(self.MOUNT_AFTER, self.make)
            return
        for name in self.names:
            select = self.select(name)
            current = None if select.is_blank() else select.value
            with select.prevent(Select.Changed):
                select.set_options([(user(value), value) for value in choices[name]])
                if current in choices[name]:
                    select.value = current

    def make(self) -> None:
        choices = self.waiting
        self.mount_all(
            Select([(user(value), value) for value in choices[name]], prompt=t(f"{self.prompts}.{name}"),
                   id=f"{self.select_ids}{name}", compact=True)
            for name in self.names
        )

    def relabel(self) -> None:
        """The prompts again, in the language now chosen."""
        for name in self.names if self.made else ():
            self.select(name).prompt = t(f"{self.prompts}.{name}")
