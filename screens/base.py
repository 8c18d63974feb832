"""What every xtalent screen shares: bindings described through the catalog, and background I/O.

Binding descriptions are catalog keys (e.g. "bind.quit"); they are translated when the footer,
the help screen and the command palette ask for them, so switching the language at runtime
needs no rebuilding of classes.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Callable, TypeVar

from textual.binding import ActiveBinding
from textual.screen import ModalScreen, Screen

from xtalent.i18n import has, t

R = TypeVar("R")


# Textual's own binding descriptions that the footer shows, as catalog keys.
TEXTUAL_DESCRIPTIONS = {"palette": "bind.palette", "Dismiss menu": "bind.close_list"}  # the open list of a Select
TEXTUAL_TOOLTIPS = {"Open the command palette": "ui.palette.tooltip"}

# Shown first in every footer, so that a narrow terminal still shows how to get help and out.
FOOTER_FIRST = ("help", "quit")


def _catalog_key(text: str, textual: dict[str, str]) -> str | None:
    if not text:
        return None
    if has(text):
        return text
    return textual.get(text)


def translated_bindings(active: dict[str, ActiveBinding]) -> dict[str, ActiveBinding]:
    """The bindings with their descriptions in the UI language; help and quit first."""
    first: dict[str, ActiveBinding] = {}
    rest: dict[str, ActiveBinding] = {}
    for key, item in active.items():
        binding = item.binding
        description = _catalog_key(binding.description, TEXTUAL_DESCRIPTIONS)
        if description:
            binding = replace(binding, description=t(description))
        own_tip = _catalog_key(binding.tooltip, TEXTUAL_TOOLTIPS)
        if own_tip:
            binding = replace(binding, tooltip=t(own_tip))
        tip = _catalog_key(item.tooltip, TEXTUAL_TOOLTIPS) if item.tooltip else None
        tooltip = t(tip) if tip else item.tooltip
        target = first if binding.id in FOOTER_FIRST else rest
        target[key] = ActiveBinding(item.node, binding, item.enabled, tooltip)
    ordered = {key: first[key] for key in sorted(first, key=lambda k: FOOTER_FIRST.index(first[k].binding.id))}
    return {**ordered, **rest}


@dataclass(frozen=True)
class OwnBinding:
    """One of xtalent's own actions on a screen, with every key that runs it."""

    action: str
    description_key: str
    keys: tuple[str, ...]
    node: Any


def own_bindings(screen: Screen[Any]) -> list[OwnBinding]:
    """The screen's active bindings that are ours (described by a catalog key), one per action.

    Textual's own bindings (cursor movement and the like) are left out: they are in every
    terminal program and would bury HR's actions in the help screen and the palette.  The
    full-width twins of single keys are folded into their action.
    """
    found: dict[str, OwnBinding] = {}
    for active in Screen.active_bindings.fget(screen).values():  # type: ignore[attr-defined]
        binding = active.binding
        if not active.enabled or not has(binding.description):
            continue
        key = screen.app.get_key_display(binding)
        if binding.action in found:
            old = found[binding.action]
            if key not in old.keys and key.isascii() and not binding.key.startswith("fullwidth"):
                found[binding.action] = OwnBinding(old.action, old.description_key, (*old.keys, key), old.node)
            continue
        found[binding.action] = OwnBinding(binding.action, binding.description, (key,), active.node)
    return list(found.values())


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
