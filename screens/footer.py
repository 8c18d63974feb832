"""Textual's footer, rebuilt only when what it shows has changed."""

from __future__ import annotations

from typing import Any

from textual.widgets import Footer


class XFooter(Footer):
    """Every bindings change (focus moving, a screen suspended or resumed, a tab shown) rebuilds
    Textual's footer, and each key is a widget with its own styles: opening an engagement rebuilt
    it five times, some hundred key widgets, most of that second's work.  The keys shown depend
    only on `shown()`, so an unchanged footer is left as it is."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.last_shown: tuple[Any, ...] | None = None

    def shown(self) -> tuple[Any, ...]:
        """Everything Footer.compose reads from the screen's bindings and the footer's settings."""
        active = self.screen.active_bindings
        keys = tuple(
            (
                binding.key,
                self.app.get_key_display(binding),
                binding.description,
                binding.action,
                enabled,
                tooltip,
                binding.group.description if binding.group else None,
                binding.group.compact if binding.group else None,
            )
            for (_, binding, enabled, tooltip) in active.values()
            if binding.show
        )
        palette = active.get(self.app.COMMAND_PALETTE_BINDING)
        palette_key = None if palette is None else (palette.binding.key, palette.binding.description, palette.enabled)
        return keys, palette_key, self.show_command_palette, self.app.ENABLE_COMMAND_PALETTE

    async def recompose(self) -> None:
        if not self.is_attached:
            return
        shown = self.shown()
        if shown == self.last_shown:
            return
        await super().recompose()
        # Only after a compose that showed keys: before the screen's bindings are ready the
        # footer composes empty, and the same keys must still be shown once they are.
        if self.children:
            self.last_shown = shown
