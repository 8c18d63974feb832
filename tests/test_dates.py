from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xtalent.dates import (
    FIRST_DAY,
    LAST_DAY,
    DateParseError,
    add_days,
    fiscal_year,
    fiscal_year_end,
    format_fiscal_year,
    format_wareki,
    RELATIVE_DAYS,
    parse_date,
)
from xtalent.i18n import t


@pytest.mark.parametrize(
    "text",
    [
        "2027-03-31",
        "2027/3/31",
        "2027/03/31",
        "2027.3.31",
        "2027年3月31日",
        "令和9年3月31日",
        "R9.3.31",
        "R9/3/31",
        "r9.3.31",
        "Ｒ９．３．３１",
        "２０２７／３／３１",
        " 令和9年 3月 31日 ",
    ],
)
def test_every_way_users_type_the_end_of_fiscal_2026(text: str) -> None:
    assert parse_date(text) == date(2027, 3, 31)


def test_first_year_of_an_era_is_gannen() -> None:
    assert parse_date("令和元年5月1日") == date(2019, 5, 1)
    assert parse_date("H31.4.30") == date(2019, 4, 30)
    assert parse_date("平成元年1月8日") == date(1989, 1, 8)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("令和1年4月30日", "date.outside_era"),  # still 平成 then
        ("H31.5.1", "date.outside_era"),  # already 令和
        ("2027/2/30", "date.no_such_day"),
        ("R9.13.1", "date.no_such_day"),
        ("3/31", "date.no_year"),
        ("", "date.empty"),
        ("   ", "date.empty"),
        ("来年の春", "date.no_year"),
        ("2027 spring", "date.unreadable"),
    ],
)
def test_bad_dates_name_the_reason(text: str, reason: str) -> None:
    with pytest.raises(DateParseError) as err:
        parse_date(text)
    assert err.value.reason == reason


def test_fiscal_year_runs_april_to_march() -> None:
    assert fiscal_year(date(2027, 3, 31)) == 2026
    assert fiscal_year(date(2027, 4, 1)) == 2027
    assert fiscal_year_end(date(2026, 11, 23)) == date(2027, 3, 31)
    assert format_fiscal_year(date(2027, 3, 31), "ja") == "令和8年度"
    assert format_fiscal_year(date(2019, 6, 1), "ja") == "令和元年度"
    assert format_fiscal_year(date(2027, 3, 31), "en") == "FY2026"
    assert format_wareki(date(2027, 3, 31)) == "令和9年3月31日"


@given(st.dates(min_value=FIRST_DAY, max_value=LAST_DAY))
def test_iso_and_wareki_round_trip(d: date) -> None:
    assert parse_date(d.isoformat()) == d
    assert parse_date(f"{d.year}/{d.month}/{d.day}") == d
    assert parse_date(format_wareki(d)) == d


@given(st.text(max_size=40))
def test_arbitrary_text_parses_or_fails_cleanly(text: str) -> None:
    try:
        day = parse_date(text)
    except DateParseError as exc:
        assert exc.reason.startswith("date.")
    else:
        assert FIRST_DAY <= day <= LAST_DAY


@pytest.mark.parametrize(
    "text",
    ["1989-01-07", "S64.1.7", "昭和63年4月1日", "2201-01-01", "9999-12-31", "令和183年1月1日", "10000-01-01", "0001-01-01"],
)
def test_dates_outside_the_range_are_refused_by_name(text: str) -> None:
    with pytest.raises(DateParseError) as err:
        parse_date(text)
    assert err.value.reason in ("date.out_of_range", "date.unreadable")
    if text[:4].isdigit() and len(text) == 10:
        assert err.value.reason == "date.out_of_range"


@pytest.mark.parametrize("text", ["1989-01-08", "平成元年1月8日", "H1.1.8", "2200-12-31", "令和182年12月31日", "R182.12.31"])
def test_the_range_limits_themselves_are_accepted(text: str) -> None:
    assert parse_date(text) in (FIRST_DAY, LAST_DAY)


@given(st.dates().filter(lambda d: not FIRST_DAY <= d <= LAST_DAY))
def test_any_day_outside_the_range_is_refused_however_it_is_written(d: date) -> None:
    for text in (d.isoformat(), f"{d.year}/{d.month}/{d.day}", f"{d.year}年{d.month}月{d.day}日"):
        with pytest.raises(DateParseError):
            parse_date(text)
    with pytest.raises(DateParseError):
        parse_date(d)


@pytest.mark.parametrize("text", ["-2026-01-01", "-2026/1/1", "−2026-01-01", "＋2026-01-01", "2026-01-01-", "+2026-01-01"])
def test_a_sign_before_or_after_a_date_is_refused_not_dropped(text: str) -> None:
    # dateutil reads "-2026-01-01" as 2026-01-01: a damaged or negative value became a real day.
    with pytest.raises(DateParseError) as err:
        parse_date(text)
    assert err.value.reason == "date.unreadable"


def test_the_out_of_range_message_names_the_limits_in_both_languages() -> None:
    from xtalent.i18n import t

    assert LAST_DAY.isoformat() in t("date.out_of_range", "en") and FIRST_DAY.isoformat() in t("date.out_of_range", "en")
    ja = t("date.out_of_range", "ja")
    assert f"{FIRST_DAY.year}年{FIRST_DAY.month}月{FIRST_DAY.day}日" in ja and f"{LAST_DAY.year}年{LAST_DAY.month}月{LAST_DAY.day}日" in ja


def test_date_arithmetic_saturates_instead_of_overflowing() -> None:
    assert add_days(date(9999, 12, 1), 60) == date.max
    assert add_days(date(1, 1, 5), -10) == date.min
    assert add_days(date(2026, 1, 1), 10**12) == date.max  # a projection's division can be that large
    assert add_days(date(2026, 1, 1), 1) == date(2026, 1, 2)


# ----- きょう / きのう / あした: counted from the app's today, given by the caller ----------------
WORDS = {"きょう": 0, "今日": 0, "本日": 0, "today": 0, "きのう": -1, "昨日": -1, "yesterday": -1,
         "あした": 1, "明日": 1, "あす": 1, "tomorrow": 1}


@pytest.mark.parametrize(("word", "days"), WORDS.items())
def test_relative_words_count_from_the_given_today(word: str, days: int) -> None:
    today = date(2026, 11, 23)
    assert parse_date(word, today) == date(2026, 11, 23 + days)
    assert RELATIVE_DAYS[word] == days


@given(
    st.dates(min_value=FIRST_DAY, max_value=LAST_DAY),
    st.sampled_from(sorted(WORDS)),
    st.sampled_from(["", " ", "\u3000"]),
    st.booleans(),
)
def test_relative_words_are_today_plus_their_offset_however_typed(today: date, word: str, pad: str, upper: bool) -> None:
    typed = pad + (word.upper() if upper else word) + pad  # ＴＯＤＡＹ, Today, a full-width space around it
    try:
        day = parse_date(typed, today)
    except DateParseError as exc:  # only past the range's limits
        assert exc.reason == "date.out_of_range" and (today == FIRST_DAY or today == LAST_DAY)
    else:
        assert day == add_days(today, WORDS[word]) and FIRST_DAY <= day <= LAST_DAY


@given(st.dates(min_value=FIRST_DAY, max_value=LAST_DAY), st.dates(min_value=FIRST_DAY, max_value=LAST_DAY))
def test_a_written_date_means_the_same_day_whatever_today_is(d: date, today: date) -> None:
    assert parse_date(d.isoformat(), today) == parse_date(format_wareki(d), today) == d


@given(st.text(max_size=20), st.dates(min_value=FIRST_DAY, max_value=LAST_DAY))
def test_arbitrary_text_with_a_today_parses_or_fails_cleanly(text: str, today: date) -> None:
    try:
        day = parse_date(text, today)
    except DateParseError as exc:
        assert exc.reason.startswith("date.") and exc.reason != "date.relative_no_day"
    else:
        assert FIRST_DAY <= day <= LAST_DAY


@pytest.mark.parametrize("word", sorted(WORDS))
def test_without_a_today_the_words_are_refused_by_name(word: str) -> None:
    """An import file or a stored date: "today" there would mean a different day every day."""
    with pytest.raises(DateParseError) as err:
        parse_date(word)
    assert err.value.reason == "date.relative_no_day"


def test_an_unreadable_date_says_what_is_accepted() -> None:
    for lang, words in (("ja", ("2027/3/31", "令和9年3月31日", "R9.3.31", "きょう", "きのう", "あした")),
                        ("en", ("2027-03-31", "R9.3.31", "today", "yesterday", "tomorrow"))):
        for reason in ("date.unreadable", "date.no_year"):
            text = t(reason, lang)
            assert all(w in text for w in words), (lang, reason, text)
    with pytest.raises(DateParseError) as err:
        parse_date("きのうの朝", date(2026, 11, 23))
    assert err.value.reason == "date.no_year"


# months_between is computed without dateutil (the rules ask it of every engagement); it must
# say exactly what relativedelta says, month ends and leap days included.
_DAYS = st.dates(min_value=FIRST_DAY, max_value=LAST_DAY)


@given(_DAYS, _DAYS)
def test_months_between_is_relativedeltas(start: date, end: date) -> None:
    from dateutil.relativedelta import relativedelta

    from xtalent.dates import months_between

    rd = relativedelta(end, start)
    assert months_between(start, end) == rd.years * 12 + rd.months + rd.days / 30.0


@pytest.mark.parametrize(
    "start,end,months",
    [
        (date(2026, 4, 1), date(2027, 4, 1), 12),  # 4/1–3/31 counted with its last day
        (date(2024, 1, 31), date(2024, 2, 29), 1),  # clipped to the shorter month's end
        (date(2024, 1, 31), date(2024, 3, 1), 1 + 1 / 30),
        (date(2027, 4, 1), date(2026, 4, 1), -12),
        (date(2026, 3, 31), date(2026, 2, 28), -1),
    ],
)
def test_months_between_at_month_ends(start: date, end: date, months: float) -> None:
    from xtalent.dates import months_between

    assert months_between(start, end) == pytest.approx(months)
