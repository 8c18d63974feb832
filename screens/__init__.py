"""The Textual layer of xtalent: one module per screen, each beside its .tcss."""
