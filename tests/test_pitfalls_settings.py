"""Settings: documented defaults, a missing file means defaults, a bad file names file and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from xtalent.errors import XtalentError
from xtalent.settings import DEFAULTS, PitfallSettings, SettingsError, load_settings


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "settings.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_are_documented_on_every_field() -> None:
    source = Path(__import__("xtalent.settings").settings.__file__).read_text(encoding="utf-8")
    for name, info in PitfallSettings.model_fields.items():
        assert f"{name}:" in source
        # each threshold carries its reason as the docstring right after it
        after = source.split(f"    {name}:", 1)[1].split("\n", 2)[1]
        assert after.strip().startswith('"""'), name
    assert PitfallSettings().term_ending_days == 90


def test_missing_file_means_defaults(tmp_path: Path) -> None:
    assert load_settings(tmp_path / "nope.toml") == DEFAULTS


def test_thresholds_are_read_from_the_pitfalls_table(tmp_path: Path) -> None:
    path = _write(tmp_path, '[pitfalls]\nterm_ending_days = 120\ndisabled = ["underused"]\n\n[export]\nreminder_days = 7\n')
    settings = load_settings(path)
    assert settings.pitfalls.term_ending_days == 120 and settings.pitfalls.disabled == ["underused"]
    assert settings.pitfalls.stalled_days == 60 and settings.export.reminder_days == 7


def test_every_section_of_the_settings_is_a_table_the_file_may_hold(tmp_path: Path) -> None:
    # [appointment_types] was refused as unknown when the known tables were listed by hand.
    path = _write(tmp_path, "[appointment_types.kigyo_side_job]\nmin_days_per_month = 2\n[export]\nreminder_days = 3\n")
    assert load_settings(path).export.reminder_days == 3
    with pytest.raises(SettingsError) as refused:
        load_settings(_write(tmp_path, '[ui]\ntheme = "dark"\n'))
    assert refused.value.reason == "settings.unknown_section"


@pytest.mark.parametrize(
    ("text", "key", "fragment"),
    [
        ("[pitfalls]\nterm_ending_dayz = 10\n", "pitfalls.term_ending_dayz", "not a known field"),
        ("[pitfalls]\nstalled_days = 0\n", "pitfalls.stalled_days", "at least 1"),
        ("[pitfalls]\noverload_share = \"high\"\n", "pitfalls.overload_share", "number"),
        ("[pitfalls]\ndisabled = [\"no-such-rule\"]\n", "pitfalls.disabled", "no-such-rule"),
        ("[pitfalls]\nterm_ending_days = 20\n", "pitfalls", "term_ending_critical_days"),
        ("pitfalls = 3\n", "pitfalls", "object"),
    ],
)
def test_bad_values_name_the_file_and_the_key(tmp_path: Path, text: str, key: str, fragment: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(XtalentError) as exc:
        load_settings(path)
    message = exc.value.message("en")
    assert str(path) in message and f", {key}:" in message and fragment in message


def test_a_file_that_is_not_toml_names_the_file(tmp_path: Path) -> None:
    path = _write(tmp_path, "[pitfalls\n")
    with pytest.raises(XtalentError) as exc:
        load_settings(path)
    assert exc.value.key == "settings.not_toml" and str(path) in exc.value.message("ja")


def test_unreadable_file_is_an_error_not_defaults(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.mkdir()  # a folder where the file should be
    with pytest.raises(XtalentError) as exc:
        load_settings(path)
    assert exc.value.key == "settings.unreadable"


def test_the_shipped_example_settings_file_is_valid_and_says_the_defaults() -> None:
    from pathlib import Path

    from xtalent.settings import DEFAULTS, load_settings

    example = Path(__file__).resolve().parent.parent / "data" / "settings.example.toml"
    assert load_settings(example) == DEFAULTS


def _values(model: object) -> dict:
    """Every field's value with its type: 3 and 3.0 are equal but print differently."""
    return {name: (type(value), value) for name, value in vars(model).items()}


def test_the_defaults_made_without_validation_are_the_validated_defaults() -> None:
    # DEFAULTS is made with model_construct (no validator is built for a user without a
    # settings file); validating the empty file must give the very same settings.
    from xtalent.appointments import BUILTIN
    from xtalent.settings import ExportSettings, Settings

    validated = Settings.model_validate({})
    assert DEFAULTS == validated == Settings()
    assert DEFAULTS.model_dump_json() == validated.model_dump_json()
    assert DEFAULTS.model_fields_set == validated.model_fields_set
    for section in ("pitfalls", "export"):
        made, checked = getattr(DEFAULTS, section), getattr(validated, section)
        assert _values(made) == _values(checked), section
        assert made.model_fields_set == checked.model_fields_set
        assert made.__pydantic_private__ == checked.__pydantic_private__
    assert DEFAULTS.pitfalls == PitfallSettings() and DEFAULTS.export == ExportSettings()
    assert DEFAULTS.appointment_types_in_force() is BUILTIN


def test_the_built_in_appointment_types_are_what_validating_them_gives() -> None:
    from xtalent.appointments import BUILTIN, AppointmentType

    for key, kind in BUILTIN.items():
        set_fields = {name: getattr(kind, name) for name in kind.model_fields_set}
        validated = AppointmentType.model_validate(set_fields)
        assert kind == validated, key
        assert _values(kind) == _values(validated), key
        assert kind.model_dump_json() == validated.model_dump_json(), key
        assert kind.model_fields_set == validated.model_fields_set, key
