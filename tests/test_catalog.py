import re
from pathlib import Path

from xtalent.i18n import LANGUAGES, catalog, language_from_env, t
from xtalent.labels import _PREFIX, label

ROOT = Path(__file__).resolve().parent.parent


def test_every_message_has_both_languages_and_the_same_placeholders() -> None:
    for key, entry in catalog().items():
        assert set(entry) == set(LANGUAGES), key
        fields = {lang: set(re.findall(r"{(\w+)}", text)) for lang, text in entry.items()}
        assert fields["ja"] == fields["en"], key


def test_every_enum_value_has_a_label() -> None:
    for enum in _PREFIX:
        for member in enum:
            assert label(member, "ja") and label(member, "en")


def test_every_key_used_in_code_exists() -> None:
    # Catches a typo in a t("...") call before a user meets a crash.
    keys = set(catalog())
    pattern = re.compile(r"""\bt\(\s*["']([a-z_]+(?:\.[a-z_0-9]+)+)["']""")
    missing = []
    for folder in ("xtalent", "screens"):
        for path in (ROOT / folder).rglob("*.py"):
            for key in pattern.findall(path.read_text(encoding="utf-8")):
                if key not in keys:
                    missing.append(f"{path.name}: {key}")
    assert missing == []


def test_language_from_the_locale_defaults_to_japanese() -> None:
    assert language_from_env({}) == "ja"
    assert language_from_env({"LANG": "C.UTF-8"}) == "ja"
    assert language_from_env({"LANG": "en_US.UTF-8"}) == "en"
    assert language_from_env({"LANG": "en_US.UTF-8", "XTALENT_LANG": "ja"}) == "ja"
    assert language_from_env({"LC_ALL": "ja_JP.UTF-8", "LANG": "en_US"}) == "ja"


def test_messages_are_formatted_in_the_asked_language() -> None:
    assert t("eng.days_left", "ja", n=3) == "あと3日"
    assert t("eng.days_left", "en", n=3) == "3 days left"


def test_english_never_shows_bunshin_untranslated() -> None:
    """分身 is the Japanese users' word; in English it is "other selves", the Japanese at most
    beside it as a gloss."""
    bare = {key: entry["en"] for key, entry in catalog().items() if "分身" in entry["en"] and "selves" not in entry["en"].lower()}
    assert bare == {}
    assert t("dash.col.bunshin", "en") == "Selves" and t("dash.col.bunshin", "ja") == "分身"
