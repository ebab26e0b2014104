"""Jalali periods: presets as a manager means them, buckets at the year's turn, grouping in the database."""

import datetime

import pytest

from aftersales.reports.periods import Grain, Preset, buckets, preset_range

THURSDAY = datetime.date(2026, 12, 3)  # ۱۲ آذر ۱۴۰۵


@pytest.mark.parametrize(("preset", "first", "last"), [
    (Preset.TODAY, THURSDAY, THURSDAY),
    (Preset.YESTERDAY, datetime.date(2026, 12, 2), datetime.date(2026, 12, 2)),
    (Preset.THIS_WEEK, datetime.date(2026, 11, 28), datetime.date(2026, 12, 4)),  # Saturday to Friday
    (Preset.LAST_WEEK, datetime.date(2026, 11, 21), datetime.date(2026, 11, 27)),
    (Preset.THIS_MONTH, datetime.date(2026, 11, 22), datetime.date(2026, 12, 21)),  # 1 to 30 Azar 1405
    (Preset.LAST_MONTH, datetime.date(2026, 10, 23), datetime.date(2026, 11, 21)),  # Aban 1405
    (Preset.THIS_SEASON, datetime.date(2026, 9, 23), datetime.date(2026, 12, 21)),  # autumn: Mehr to Azar
    (Preset.THIS_YEAR, datetime.date(2026, 3, 21), datetime.date(2027, 3, 20)),  # 1 Farvardin to 29 Esfand 1405
    (Preset.LAST_12_MONTHS, datetime.date(2025, 12, 22), datetime.date(2026, 12, 21)),  # Dey 1404 to Azar 1405
])
def test_presets_are_jalali_periods_seen_from_today(preset, first, last):
    assert preset_range(preset, THURSDAY) == (first, last)


def test_the_20th_of_march_2026_is_in_esfand_1404_and_the_21st_in_farvardin_1405():
    esfand, farvardin = buckets(datetime.date(2026, 3, 20), datetime.date(2026, 3, 21), Grain.MONTH)
    assert (esfand.key, esfand.start, esfand.last) == ("1404-12", datetime.date(2026, 2, 20), datetime.date(2026, 3, 20))
    assert (farvardin.key, farvardin.start) == ("1405-01", datetime.date(2026, 3, 21))
    assert [b.key for b in buckets(datetime.date(2026, 3, 20), datetime.date(2026, 3, 21), Grain.YEAR)] == ["1404", "1405"]
    assert [b.key for b in buckets(datetime.date(2026, 3, 20), datetime.date(2026, 3, 21), Grain.SEASON)] == [
        "1404-S4", "1405-S1"]


def test_weeks_start_on_saturday_and_labels_are_persian():
    weeks = buckets(datetime.date(2026, 11, 28), datetime.date(2026, 12, 3), Grain.WEEK)
    assert len(weeks) == 1 and weeks[0].start.weekday() == 5
    [month] = buckets(THURSDAY, THURSDAY, Grain.MONTH)
    assert month.label == "آذر ۱۴۰۵"
    [season] = buckets(THURSDAY, THURSDAY, Grain.SEASON)
    assert season.label == "پاییز ۱۴۰۵"


@pytest.mark.django_db
def test_receptions_are_bucketed_by_tehran_day_in_the_database_across_the_new_year(
        receive, head_office, api_client, today_is):
    import time_machine
    from aftersales.core.jalali import parse_datetime

    # 23:30 on 29 Esfand is 20:00 UTC on 20 March; 00:30 on 1 Farvardin is still 20 March in UTC.
    for moment in ("1404/12/29 23:30", "1405/01/01 00:30", "1405/01/01 10:00"):
        with time_machine.travel(parse_datetime(moment), tick=False):
            receive(serial=f"S-{moment[-5:]}")
    assert parse_datetime("1405/01/01 00:30").astimezone(datetime.UTC).date() == datetime.date(2026, 3, 20)
    api_client.force_authenticate(head_office)
    data = api_client.get("/api/reports/receptions-trend/", {"from": "1404/12/01", "to": "1405/01/31"}).json()
    rows = data["tables"][0]["rows"]
    assert [(row["period"], row["receptions"]) for row in rows] == [("اسفند ۱۴۰۴", 1), ("فروردین ۱۴۰۵", 2)]
    daily = api_client.get("/api/reports/receptions-trend/", {"from": "2026-03-20", "to": "2026-03-21",
                                                               "group_by": "day"}).json()["tables"][0]["rows"]
    assert [row["receptions"] for row in daily] == [1, 2]
