"""Textual's footer, rebuilt only when what it shows has changed, showing only the keys that fit."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.widgets import Footer


class XFooter(Footer):
    """Every bindings change (focus moving, a screen suspended or resumed, a tab shown) rebuilds
    Textual's footer, and each key is a widget with its own styles: opening an engagement rebuilt
    it five times, some hundred key widgets, most of that second's work.  The keys shown depend
    only on `shown()`, so an unchanged footer is left as it is.

    A key widget starts compact and is made to follow the footer once mounted: with the footer
    not compact, each key's styles were worked out three times per rebuild (mounted, made
    compact, made not compact): about a tenth of a tab switch's CPU time.  So the footer is compact, each
    key is made compact before it is mounted (nothing to change after), and the CSS below gives
    compact keys the spacing of Textual's regular footer (the command palette's key, never
    bound to the footer's setting, stays compact as it was): it looks as before."""

    DEFAULT_CSS = """
    XFooter.-compact {
        FooterLabel { margin: 0 1 0 0; }
        FooterKey.-compact { margin-right: 0; }
        FooterKey.-compact.-grouped { margin: 0 1; }
        KeyGroup.-compact FooterKey.-compact.-grouped { margin: 0; }
        FooterKey.-compact.-command-palette { padding-right: 1; }
        FooterKey.-compact .footer-key--key { padding: 0 1; }
        FooterKey.-compact .footer-key--description { padding: 0 1 0 0; }
        FooterKey.-compact.-command-palette .footer-key--key { padding: 0; }
        FooterKey.-compact.-command-palette .footer-key--description { padding: 0 0 0 1; }
    }
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, compact=True, **kwargs)
        self.last_shown: tuple[Any, ...] | None = None

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            if type(widget).__name__ == "FooterKey":  # the class is not exported by textual.widgets
                widget.add_class("-compact", update=False)
            yield widget

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
        if not self.is_attached or self.covered():
            return
        shown = self.shown()
        if shown == self.last_shown:
            return
        await super().recompose()
        # Only after a compose that showed keys: before the screen's bindings are ready the
        # footer composes empty, and the same keys must still be shown once they are.
        if self.children:
            self.last_shown = shown
        self.fit_keys()

    def covered(self) -> bool:
        """Is this footer's screen under another one with a footer of its own, drawn over it?
        Opening a form suspends the screen below, whose keys change (no undo under a modal), and
        closing it resumes it: two rebuilds (keys mounted, styled, laid out) of a footer no one
        sees.  The resumed screen asks again, and finds what it showed before."""
        top = self.app.screen
        return top is not self.screen and any(isinstance(child, XFooter) for child in top.children)

    # Keys that run on under the command palette's key (docked right) were drawn beneath it, and
    # where a wide character met its edge the palette's own label came out garbled
    # ("▏^p コマ  ド" on the know-how tab at 86–112 columns): only whole keys that fit are shown,
    # in their order (? and q first); ? lists them all, and the palette finds them by name.
    def on_resize(self) -> None:
        self.fit_keys()

    def fit_keys(self) -> None:
        for key in self.keys():
            key.display = True
        self.call_after_refresh(self.hide_overflow)

    def keys(self) -> list[Any]:
        return [child for child in self.children if not child.has_class("-command-palette")]

    def hide_overflow(self) -> None:
        if not self.is_attached:
            return
        palette = [child for child in self.children if child.has_class("-command-palette")]
        limit = self.region.right - sum(p.outer_size.width for p in palette)
        overflowing = False
        for key in self.keys():
            overflowing = overflowing or key.region.right + key.styles.margin.right > limit
            if overflowing:
                key.display = False
