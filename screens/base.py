"""What every xtalent screen shares: bindings described through the catalog, and background I/O.

Binding descriptions are catalog keys (e.g. "bind.quit"); they are translated when the footer,
the help screen and the command palette ask for them, so switching the language at runtime
needs no rebuilding of classes.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Callable, TypeVar

from textual.binding import ActiveBinding
from textual.screen import ModalScreen, Screen

from xtalent.i18n import has, t

R = TypeVar("R")


def tr(text: str) -> str:
    """Translate a catalog key; leave other text (Textual's own bindings) as it is."""
    return t(text) if text and has(text) else text


def translated_bindings(active: dict[str, ActiveBinding]) -> dict[str, ActiveBinding]:
    out: dict[str, ActiveBinding] = {}
    for key, item in active.items():
        binding = item.binding
        if binding.description and has(binding.description):
            binding = replace(binding, description=t(binding.description))
        tooltip = tr(item.tooltip) if item.tooltip else item.tooltip
        out[key] = ActiveBinding(item.node, binding, item.enabled, tooltip)
    return out


class LocalizedMixin:
    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:  # type: ignore[override]
        return translated_bindings(super().active_bindings)  # type: ignore[misc]

    def run_io(
        self,
        work: Callable[[], R],
        on_done: Callable[[R], Any] | None = None,
        *,
        name: str = "io",
        on_error: Callable[[BaseException], Any] | None = None,
    ) -> None:
        """Run blocking work (storage, export) in a thread; the app reports any error."""
        self.app.run_io(work, on_done, name=name, on_error=on_error)  # type: ignore[attr-defined]


class XScreen(LocalizedMixin, Screen[Any]):
    pass


class XModal(LocalizedMixin, ModalScreen[R]):
    pass
