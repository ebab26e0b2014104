import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone, translation

from aftersales.core import jalali

TEHRAN = ZoneInfo("Asia/Tehran")
UTC = datetime.timezone.utc

# Gregorian date, Jalali date; checked against jdatetime and the Nowruz dates of each year.
CALENDAR = [
    (datetime.date(2024, 11, 5), "1403/08/15"),
    (datetime.date(2024, 3, 19), "1402/12/29"),
    (datetime.date(2024, 3, 20), "1403/01/01"),
    (datetime.date(2025, 3, 20), "1403/12/30"),
    (datetime.date(2025, 3, 21), "1404/01/01"),
    (datetime.date(2026, 3, 21), "1405/01/01"),
    (datetime.date(2026, 11, 28), "1405/09/07"),
]


@pytest.mark.parametrize(("gregorian", "expected"), CALENDAR)
def test_format_date_gives_jalali_date_with_ascii_digits_in_english(gregorian, expected):
    with translation.override("en"):
        assert jalali.format_date(gregorian) == expected


def test_format_date_gives_persian_digits_in_persian():
    with translation.override("fa"):
        assert jalali.format_date(datetime.date(2024, 11, 5)) == "۱۴۰۳/۰۸/۱۵"


def test_format_date_gives_ascii_digits_in_english():
    with translation.override("en"):
        assert jalali.format_date(datetime.date(2024, 11, 5)) == "1403/08/15"


def test_format_date_takes_a_custom_format():
    with translation.override("en"):
        assert jalali.format_date(datetime.date(2024, 11, 5), "%Y-%m") == "1403-08"


def test_format_date_uses_the_tehran_date_of_an_aware_datetime():
    # 21:00 UTC on 4 Nov is 00:30 on 5 Nov in Tehran.
    late = datetime.datetime(2024, 11, 4, 21, 0, tzinfo=UTC)
    with translation.override("en"):
        assert jalali.format_date(late) == "1403/08/15"


def test_format_date_uses_the_date_of_a_naive_datetime():
    with translation.override("en"):
        assert jalali.format_date(datetime.datetime(2024, 11, 5, 23, 59)) == "1403/08/15"


@pytest.mark.parametrize("empty", [None, ""])
def test_format_date_returns_empty_string_for_no_value(empty):
    assert jalali.format_date(empty) == ""


def test_format_datetime_converts_utc_to_tehran_time_in_english():
    utc = datetime.datetime(2026, 11, 28, 20, 40, tzinfo=UTC)
    with translation.override("en"):
        assert jalali.format_datetime(utc) == "1405/09/08 00:10"


def test_format_datetime_converts_utc_to_tehran_time_in_persian():
    utc = datetime.datetime(2026, 11, 28, 20, 40, tzinfo=UTC)
    with translation.override("fa"):
        assert jalali.format_datetime(utc) == "۱۴۰۵/۰۹/۰۸ ۰۰:۱۰"


def test_format_datetime_follows_the_active_time_zone():
    utc = datetime.datetime(2026, 11, 28, 20, 40, tzinfo=UTC)
    with translation.override("en"), timezone.override("UTC"):
        assert jalali.format_datetime(utc) == "1405/09/07 20:40"


def test_format_datetime_formats_a_date_as_a_date():
    with translation.override("en"):
        assert jalali.format_datetime(datetime.date(2024, 11, 5)) == "1403/08/15"


@pytest.mark.parametrize("empty", [None, ""])
def test_format_datetime_returns_empty_string_for_no_value(empty):
    assert jalali.format_datetime(empty) == ""


def test_format_long_names_weekday_and_month_in_persian():
    with translation.override("fa"):
        assert jalali.format_long(datetime.date(2026, 11, 28)) == "شنبه ۰۷ آذر ۱۴۰۵"


def test_format_long_names_weekday_and_month_in_english():
    with translation.override("en"):
        assert jalali.format_long(datetime.date(2024, 11, 5)) == "Tuesday 15 Aban 1403"


@pytest.mark.parametrize(
    "text",
    ["۱۴۰۳/۰۸/۱۵", "1403/08/15", "1403-8-15", "1403.08.15", " 1403 / 8 / 15 ", "١٤٠٣/٠٨/١٥"],
)
def test_parse_date_reads_jalali_date_in_any_digits_and_separators(text):
    assert jalali.parse_date(text) == datetime.date(2024, 11, 5)


@pytest.mark.parametrize(("gregorian", "text"), CALENDAR)
def test_parse_date_is_the_inverse_of_format_date(gregorian, text):
    assert jalali.parse_date(text) == gregorian


@pytest.mark.parametrize("text", ["2024-11-05", "2024/11/05", "۲۰۲۴-۱۱-۰۵"])
def test_parse_date_takes_years_from_1700_as_gregorian(text):
    assert jalali.parse_date(text) == datetime.date(2024, 11, 5)


def test_parse_date_takes_year_1699_as_jalali():
    assert jalali.parse_date("1699/01/01") == datetime.date(2320, 3, 21)


def test_parse_date_accepts_leap_day_of_a_leap_year():
    assert jalali.parse_date("1403/12/30") == datetime.date(2025, 3, 20)


@pytest.mark.parametrize(
    "text",
    [
        "1403/12/31",  # Esfand has at most 30 days
        "1402/12/30",  # 1402 is not a leap year
        "1403/13/01",
        "1403/00/10",
        "1403/07/31",  # the second half of the year has 30-day months
        "1403/13/40",
        "2024-02-30",
        "0000/01/01",
        "1403/08",
        "1403/08/15 10:00",
        "15/08/1403",
        "abc",
        "",
    ],
)
def test_parse_date_raises_value_error_for_impossible_or_malformed_date(text):
    with pytest.raises(ValueError):
        jalali.parse_date(text)


def test_parse_datetime_gives_aware_datetime_in_tehran():
    parsed = jalali.parse_datetime("1405/09/07 14:30")
    assert timezone.is_aware(parsed)
    assert parsed.utcoffset() == datetime.timedelta(hours=3, minutes=30)
    assert parsed == datetime.datetime(2026, 11, 28, 14, 30, tzinfo=TEHRAN)
    assert parsed.astimezone(UTC) == datetime.datetime(2026, 11, 28, 11, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("۱۴۰۵/۰۹/۰۷ ۱۴:۳۰", datetime.datetime(2026, 11, 28, 14, 30, tzinfo=TEHRAN)),
        ("1405-9-7T14:30", datetime.datetime(2026, 11, 28, 14, 30, tzinfo=TEHRAN)),
        ("1405/09/07، 14:30", datetime.datetime(2026, 11, 28, 14, 30, tzinfo=TEHRAN)),
        ("1405/09/07 8:05:09", datetime.datetime(2026, 11, 28, 8, 5, 9, tzinfo=TEHRAN)),
        ("1405/09/07", datetime.datetime(2026, 11, 28, 0, 0, tzinfo=TEHRAN)),
        ("2024-11-05 10:00", datetime.datetime(2024, 11, 5, 10, 0, tzinfo=TEHRAN)),
    ],
)
def test_parse_datetime_reads_date_with_optional_time(text, expected):
    assert jalali.parse_datetime(text) == expected


def test_parse_datetime_uses_the_active_time_zone():
    with timezone.override("UTC"):
        parsed = jalali.parse_datetime("1405/09/07 14:30")
    assert parsed == datetime.datetime(2026, 11, 28, 14, 30, tzinfo=UTC)


def test_parse_datetime_round_trips_format_datetime():
    utc = datetime.datetime(2026, 11, 28, 20, 40, tzinfo=UTC)
    with translation.override("fa"):
        assert jalali.parse_datetime(jalali.format_datetime(utc)) == utc


@pytest.mark.parametrize(
    "text",
    ["1405/09/07 25:00", "1405/09/07 14:61", "1403/12/31 10:00", "1405/09/07 14", "tomorrow", ""],
)
def test_parse_datetime_raises_value_error_for_impossible_or_malformed_input(text):
    with pytest.raises(ValueError):
        jalali.parse_datetime(text)


@pytest.mark.parametrize(
    ("value", "year"),
    [
        (datetime.date(2025, 3, 20), 1403),
        (datetime.date(2025, 3, 21), 1404),
        (datetime.datetime(2025, 3, 20, 21, 0, tzinfo=UTC), 1404),  # already 21 March in Tehran
        (datetime.datetime(2025, 3, 20, 20, 0, tzinfo=UTC), 1403),
    ],
)
def test_jalali_year_gives_the_year_of_a_date(value, year):
    assert jalali.jalali_year(value) == year


def test_jalali_year_defaults_to_the_local_date(monkeypatch):
    monkeypatch.setattr(jalali.timezone, "localdate", lambda: datetime.date(2025, 3, 21))
    assert jalali.jalali_year() == 1404
