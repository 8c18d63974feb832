"""The default factories of the models' list and dict fields (models.py, settings.py).

Python functions, not the builtins `list` and `dict`: pydantic reads each default factory's
signature (when it builds a validator, or when `model_construct` fills a default), and a
builtin's is parsed from its text signature with tokenize's patterns, compiled on first use:
~14 M instructions (~1.5 % of `export ID`) in every process that reads a file (callgrind).
"""

from typing import Any


def empty_list() -> list[Any]:
    return []


def empty_dict() -> dict[Any, Any]:
    return {}
