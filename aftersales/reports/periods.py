"""Jalali periods: the presets a manager picks and the buckets a report groups by.

A bucket is a half-open range of Tehran days, ``[start, end)``. Grouping happens in the database: a
report's query maps each row's date to its bucket with one ``CASE`` over the buckets' first moments
(``bucket_case``), so a year of a million orders comes back as twelve rows, never as a million.
Weeks start on Saturday, seasons are three Jalali months, the year starts on 1 Farvardin.
"""

import datetime
from dataclasses import dataclass

import jdatetime
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aftersales.core import jalali
from aftersales.core.persian import localize_digits


class Preset(models.TextChoices):
    TODAY = "today", _("today")
    YESTERDAY = "yesterday", _("yesterday")
    THIS_WEEK = "this_week", _("this week")
    LAST_WEEK = "last_week", _("last week")
    THIS_MONTH = "this_month", _("this month")
    LAST_MONTH = "last_month", _("last month")
    THIS_SEASON = "this_season", _("this season")
    THIS_YEAR = "this_year", _("this fiscal year")
    LAST_12_MONTHS = "last_12_months", _("last 12 months")


class Grain(models.TextChoices):
    DAY = "day", _("day")
    WEEK = "week", _("week (from Saturday)")
    MONTH = "month", _("Jalali month")
    SEASON = "season", _("season")
    YEAR = "year", _("year")


_SEASONS = (_("spring"), _("summer"), _("autumn"), _("winter"))


def _j(day: datetime.date) -> jdatetime.date:
    return jdatetime.date.fromgregorian(date=day)


month_start = jalali.month_start


def whole_months(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """The first days of the Jalali months lying wholly between ``start`` and ``end`` (both included):
    the months a summary kept per month can answer for."""
    month = month_start(start)
    if month < start:
        month = add_months(month, 1)
    found = []
    while add_months(month, 1) - datetime.timedelta(days=1) <= end:
        found.append(month)
        month = add_months(month, 1)
    return found


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The first day of the Jalali month ``months`` after (or before) ``day``'s."""
    j = _j(day)
    index = j.year * 12 + (j.month - 1) + months
    return jdatetime.date(index // 12, index % 12 + 1, 1).togregorian()


def week_start(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=(day.weekday() - 5) % 7)  # Saturday is weekday 5


def season_start(day: datetime.date) -> datetime.date:
    j = _j(day)
    return jdatetime.date(j.year, (j.month - 1) // 3 * 3 + 1, 1).togregorian()


def year_start(day: datetime.date) -> datetime.date:
    return jdatetime.date(_j(day).year, 1, 1).togregorian()


def preset_range(preset: str, today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    """The first and last day (both included) of a preset, as seen on ``today`` (Tehran's today)."""
    today = today or timezone.localdate()
    if preset == Preset.TODAY:
        return today, today
    if preset == Preset.YESTERDAY:
        return today - datetime.timedelta(days=1), today - datetime.timedelta(days=1)
    if preset == Preset.THIS_WEEK:
        return week_start(today), week_start(today) + datetime.timedelta(days=6)
    if preset == Preset.LAST_WEEK:
        return week_start(today) - datetime.timedelta(days=7), week_start(today) - datetime.timedelta(days=1)
    if preset == Preset.THIS_MONTH:
        return month_start(today), add_months(today, 1) - datetime.timedelta(days=1)
    if preset == Preset.LAST_MONTH:
        return add_months(today, -1), month_start(today) - datetime.timedelta(days=1)
    if preset == Preset.THIS_SEASON:
        start = season_start(today)
        return start, add_months(start, 3) - datetime.timedelta(days=1)
    if preset == Preset.THIS_YEAR:
        start = year_start(today)
        return start, add_months(start, 12) - datetime.timedelta(days=1)
    if preset == Preset.LAST_12_MONTHS:
        return add_months(today, -11), add_months(today, 1) - datetime.timedelta(days=1)
    raise ValueError(preset)


def _next(start: datetime.date, grain: str) -> datetime.date:
    if grain == Grain.DAY:
        return start + datetime.timedelta(days=1)
    if grain == Grain.WEEK:
        return start + datetime.timedelta(days=7)
    return add_months(start, {Grain.MONTH: 1, Grain.SEASON: 3, Grain.YEAR: 12}[grain])


def _first(day: datetime.date, grain: str) -> datetime.date:
    return {Grain.DAY: lambda d: d, Grain.WEEK: week_start, Grain.MONTH: month_start, Grain.SEASON: season_start,
            Grain.YEAR: year_start}[grain](day)


@dataclass(frozen=True)
class Bucket:
    index: int
    start: datetime.date  # first day, included
    end: datetime.date  # first day of the next bucket, excluded
    grain: str

    @property
    def key(self) -> str:
        """A stable machine key: 1405-01 for a month, 1405-S1 for spring, 1405 for a year, a date otherwise."""
        j = _j(self.start)
        if self.grain == Grain.MONTH:
            return f"{j.year}-{j.month:02d}"
        if self.grain == Grain.SEASON:
            return f"{j.year}-S{(j.month - 1) // 3 + 1}"
        if self.grain == Grain.YEAR:
            return str(j.year)
        return jalali.format_date(self.start, "%Y-%m-%d", latin_digits=True)

    @property
    def label(self) -> str:
        j = jalali.to_jalali(self.start)
        if self.grain == Grain.MONTH:
            return localize_digits(j.strftime("%B %Y"))
        if self.grain == Grain.SEASON:
            return localize_digits(f"{_SEASONS[(j.month - 1) // 3]} {j.year}")
        if self.grain == Grain.YEAR:
            return localize_digits(str(j.year))
        if self.grain == Grain.WEEK:
            return str(_("week of %(date)s") % {"date": jalali.format_date(self.start, "%m/%d")})
        return jalali.format_date(self.start)

    @property
    def last(self) -> datetime.date:
        return self.end - datetime.timedelta(days=1)


MAX_BUCKETS = 400


def buckets(start: datetime.date, end: datetime.date, grain: str) -> list[Bucket]:
    """The buckets covering ``start``…``end`` (both included); the first and last may reach outside
    the range (a month is shown whole) but rows are still counted only inside the range."""
    found, first = [], _first(start, grain)
    while first <= end:
        following = _next(first, grain)
        found.append(Bucket(len(found), first, following, grain))
        if len(found) > MAX_BUCKETS:
            raise ValueError("too many buckets")
        first = following
    return found


def day_start(day: datetime.date) -> datetime.datetime:
    """The first moment of a Tehran day, as an aware datetime."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def bucket_case(field: str, found: list[Bucket], *, is_date: bool = False) -> models.Case:
    """An expression giving each row's bucket index from its ``field`` (a datetime, or a date with
    ``is_date``); rows outside every bucket get NULL. Conditions are tested in order, so each needs
    only the upper bound."""
    whens = [models.When(**{f"{field}__lt": bucket.end if is_date else day_start(bucket.end)},
                         then=models.Value(bucket.index)) for bucket in found]
    return models.Case(*whens, default=models.Value(None), output_field=models.IntegerField())
