"""Jalali (Solar Hijri) dates at the edges: parsing what users type and formatting what they read.

Models keep Gregorian ``DateField``/``DateTimeField`` values (UTC); nothing else in the product
should convert calendars by hand.
"""

import datetime
import functools
import re

import jdatetime
from django.utils import timezone, translation

from .persian import localize_digits, to_ascii_digits

DATE_FORMAT = "%Y/%m/%d"
DATETIME_FORMAT = "%Y/%m/%d %H:%M"
_DATE = re.compile(r"^\s*(\d{4})\s*[/\-.]\s*(\d{1,2})\s*[/\-.]\s*(\d{1,2})\s*$")
_DATETIME = re.compile(
    r"^\s*(\d{4})\s*[/\-.]\s*(\d{1,2})\s*[/\-.]\s*(\d{1,2})(?:[\sT،,]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?\s*$"
)
# Years above this are taken as Gregorian, so "2024-11-05" from an Excel file still works.
_GREGORIAN_FROM = 1700


def _locale() -> str:
    return "fa_IR" if (translation.get_language() or "fa").startswith("fa") else "en_US"


def local_date(value: datetime.date) -> datetime.date:
    """The calendar day of a date or datetime as read in Tehran (the current time zone).

    An aware datetime's own ``.date()`` is its UTC day: from 00:00 to 03:30 in Tehran that is
    yesterday. A naive datetime (an Excel cell) is already local time.
    """
    if isinstance(value, datetime.datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return value


def to_jalali(value: datetime.date) -> jdatetime.date:
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return jdatetime.datetime.fromgregorian(datetime=value, locale=_locale())
    return jdatetime.date.fromgregorian(date=value, locale=_locale())


def format_date(value, fmt: str = DATE_FORMAT, *, latin_digits: bool = False) -> str:
    """Format a Gregorian date (or datetime) as a Jalali date in the active language's digits.

    ``latin_digits`` is for values a machine reads back: form inputs, Excel cells, API fields.
    """
    if value in (None, ""):
        return ""
    value = local_date(value)
    return _format_day(value, fmt, translation.get_language() or "fa", latin_digits)


@functools.lru_cache(maxsize=4096)  # the same few dates are shown on every page and every status check
def _format_day(value: datetime.date, fmt: str, language: str, latin_digits: bool) -> str:
    with translation.override(language):
        text = to_jalali(value).strftime(fmt)
        return text if latin_digits else localize_digits(text)


def format_datetime(value: datetime.datetime, fmt: str = DATETIME_FORMAT, *, latin_digits: bool = False) -> str:
    """Format a datetime in the local time zone as Jalali date and time."""
    if value in (None, ""):
        return ""
    if not isinstance(value, datetime.datetime):
        return format_date(value, latin_digits=latin_digits)
    text = to_jalali(value).strftime(fmt)
    return text if latin_digits else localize_digits(text)


def format_long(value) -> str:
    """«شنبه ۰۷ آذر ۱۴۰۵» in Persian, "Saturday 07 Azar 1405" in English."""
    return format_date(value, "%A %d %B %Y")


@functools.lru_cache(maxsize=8192)  # an import of a million rows holds a few thousand distinct dates
def parse_date(text: str) -> datetime.date:
    """Parse «۱۴۰۵/۰۹/۰۷», "1405-9-7" or (year over 1700) a Gregorian date; raise ValueError."""
    match = _DATE.match(to_ascii_digits(str(text)))
    if not match:
        raise ValueError(f"not a date: {text!r}")
    year, month, day = (int(part) for part in match.groups())
    if year >= _GREGORIAN_FROM:
        return datetime.date(year, month, day)
    return jdatetime.date(year, month, day).togregorian()


def parse_datetime(text: str) -> datetime.datetime:
    """Parse a Jalali date with an optional time, in the current time zone; raise ValueError."""
    match = _DATETIME.match(to_ascii_digits(str(text)))
    if not match:
        raise ValueError(f"not a date and time: {text!r}")
    year, month, day, hour, minute, second = (int(part or 0) for part in match.groups())
    if year >= _GREGORIAN_FROM:
        naive = datetime.datetime(year, month, day, hour, minute, second)
    else:
        naive = jdatetime.datetime(year, month, day, hour, minute, second).togregorian()
    return timezone.make_aware(naive) if timezone.is_naive(naive) else naive


def jalali_year(value: datetime.date | None = None) -> int:
    """The Jalali year of a date (today, in the local time zone, by default)."""
    value = value or timezone.localdate()
    value = local_date(value)
    return jdatetime.date.fromgregorian(date=value).year


def month_start(value: datetime.date) -> datetime.date:
    """The first day of ``value``'s Jalali month."""
    j = jdatetime.date.fromgregorian(date=value)
    return jdatetime.date(j.year, j.month, 1).togregorian()


def next_month_start(value: datetime.date) -> datetime.date:
    """The first day of the Jalali month after ``value``'s."""
    j = jdatetime.date.fromgregorian(date=value)
    return jdatetime.date(j.year + j.month // 12, j.month % 12 + 1, 1).togregorian()
