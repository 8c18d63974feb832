from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xtalent.dates import (
    DateParseError,
    fiscal_year,
    fiscal_year_end,
    format_fiscal_year,
    format_wareki,
    parse_date,
)


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


@given(st.dates(min_value=date(1927, 1, 1), max_value=date(2099, 12, 31)))
def test_iso_and_wareki_round_trip(d: date) -> None:
    assert parse_date(d.isoformat()) == d
    assert parse_date(f"{d.year}/{d.month}/{d.day}") == d
    assert parse_date(format_wareki(d)) == d


@given(st.text(max_size=40))
def test_arbitrary_text_parses_or_fails_cleanly(text: str) -> None:
    try:
        parse_date(text)
    except DateParseError as exc:
        assert exc.reason.startswith("date.")
