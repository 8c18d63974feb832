"""The Textual layer of xtalent: one module per screen, each beside its .tcss.

This folder is installed as the package `xtalent_screens` (pyproject.toml), never as a
top-level `screens` that could clash with another package of that name.
"""

if __name__ != "xtalent_screens":
    # From the repo root the folder is also importable as `screens`: a second copy of every
    # screen class, which isinstance checks and the app's queries would not recognise.
    raise ImportError("import the UI as xtalent_screens, the name it is installed under (pyproject.toml)")
