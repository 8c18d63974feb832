"""What every command that reads an engagement pays at its start, kept from coming back.

Not timing tests (bench/run.py and bench/export_steps.py measure): they check the mechanism.
- The models', the settings' and the appointment types' field annotations are objects, not
  strings (no `from __future__ import annotations` in those modules): pydantic would otherwise
  compile each string (typing.ForwardRef) at every start.
- The checklist's records are NamedTuples: a frozen dataclass compiles six methods when its
  class is made, at every start of a command that exports.
- No model field's default factory is a builtin (`list`, `dict`): pydantic reads each factory's
  signature, and a builtin's text signature is parsed with tokenize's patterns, compiled on first
  use (~14 M instructions of every command that reads a file).
- The CLI's patterns for argparse's errors are compiled when an error is translated, not at import.
"""

from __future__ import annotations

import dataclasses
import inspect
from typing import Any

import pytest
from pydantic import BaseModel

from xtalent import appointments, models, settings
from xtalent.export import checklist


def model_classes(module: Any) -> list[type[BaseModel]]:
    return [c for _, c in inspect.getmembers(module, inspect.isclass)
            if issubclass(c, BaseModel) and c is not BaseModel and c.__module__ == module.__name__]


@pytest.mark.parametrize("module", [models, settings, appointments], ids=lambda m: m.__name__)
def test_the_models_annotations_are_objects_not_strings(module: Any) -> None:
    classes = model_classes(module)
    assert classes
    strings = {f"{c.__name__}.{name}" for c in classes for name, value in vars(c).get("__annotations__", {}).items()
               if isinstance(value, str)}
    assert strings == set()


@pytest.mark.parametrize("module", [models, settings], ids=lambda m: m.__name__)
def test_no_default_factory_is_a_builtin(module: Any) -> None:
    factories = {f"{c.__name__}.{name}": field.default_factory for c in model_classes(module)
                 for name, field in c.model_fields.items() if field.default_factory is not None}
    builtins = {name for name, factory in factories.items() if inspect.isbuiltin(factory) or factory in (list, dict, set, tuple)}
    assert factories and builtins == set()


def test_the_cli_compiles_no_pattern_at_import() -> None:
    from xtalent.cli import _ARGPARSE_ERRORS, translate_argparse_error

    assert all(isinstance(pattern, str) for pattern, _ in _ARGPARSE_ERRORS)
    assert translate_argparse_error("unrecognized arguments: --x") != "unrecognized arguments: --x"


def test_the_checklists_records_are_named_tuples() -> None:
    records = [c for _, c in inspect.getmembers(checklist, inspect.isclass) if c.__module__ == checklist.__name__]
    assert {c.__name__ for c in records} >= {"Field", "TargetLine", "ChecklistLine", "StaffLine", "WarningLine",
                                             "Readiness", "SignoffLine", "EngagementChecklist", "Checklist"}
    for record in records:
        assert issubclass(record, tuple) and hasattr(record, "_fields"), record
        assert not dataclasses.is_dataclass(record), record
        assert not any(isinstance(v, str) for v in record.__annotations__.values()), record


def test_a_record_is_immutable_and_keeps_its_defaults() -> None:
    readiness = checklist.Readiness(score=80)
    assert readiness.parts == () and readiness.bunshin is None and readiness.staff_count == 0
    with pytest.raises(AttributeError):
        readiness.score = 1  # type: ignore[misc]
    assert checklist.Checklist("ja", None, "t", "x").engagements == ()  # type: ignore[arg-type]
