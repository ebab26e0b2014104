"""The nightly failure early warning: a model or batch failing this month well above its own history.

Most tests stand on 30 Azar 1405 (2026-12-21), the last day of a 30-day month, so the expected count
is simply the history's monthly mean (elapsed share 30/30). History months are Azar 1404 … Aban 1405.
"""

import datetime
import itertools
import zoneinfo

import jdatetime
import pytest

from aftersales.catalog.models import ProductModel, ProductUnit
from aftersales.reports.models import FailureAlert
from aftersales.reports.warnings import failure_alerts_compute, poisson_threshold
from aftersales.repairs.models import RepairOrder
from aftersales.repairs.services import repair_start_state

TEHRAN = zoneinfo.ZoneInfo("Asia/Tehran")
LAST_OF_AZAR = datetime.date(2026, 12, 21)  # 1405/09/30
_numbers = itertools.count(1)


def jday(year, month, day, hour=12, minute=0):
    """A Tehran moment given as a Jalali day."""
    return datetime.datetime.combine(jdatetime.date(year, month, day).togregorian(), datetime.time(hour, minute),
                                     tzinfo=TEHRAN)


def receive(*, center, customer, user, model, at, count, unit=None, kind="in_center"):
    """``count`` repair orders of ``model`` received at ``at`` (straight rows: only the counts matter)."""
    state = repair_start_state()
    orders = []
    for _ in range(count):
        number = next(_numbers)
        orders.append(RepairOrder(number=f"W-{number}", tracking_code=f"WARN{number:08d}", center=center,
                                  customer=customer, received_by=user, description="خرابی", warranty_state="none",
                                  state=state, product_model=model, unit=unit, received_at=at,
                                  kind=kind))
    RepairOrder.objects.bulk_create(orders)


def monthly(months, **options):
    """``count`` orders on the 10th of each (year, month) in ``months``."""
    for year, month in months:
        receive(at=jday(year, month, 10), **options)


def previous_months(count, year=1405, month=9):
    """The ``count`` Jalali months before (year, month), oldest first."""
    index = year * 12 + month - 1
    return [((index - back) // 12, (index - back) % 12 + 1) for back in range(count, 0, -1)]


@pytest.fixture
def cast(center_a, reception_a, owner):
    return {"center": center_a, "customer": owner, "user": reception_a}


@pytest.fixture
def model_factory(fridge_model):
    def make(code):
        return ProductModel.objects.create(code=code, name=code, brand=fridge_model.brand, group=fridge_model.group)

    return make


def test_poisson_threshold_is_the_first_count_rarer_than_one_in_a_thousand():
    # Poisson(10): P(X ≥ 21) = 0.00159, P(X ≥ 22) = 0.00070 → 22.
    # Poisson(2): P(X ≥ 8) = 0.00110, P(X ≥ 9) = 0.00024 → 9.
    assert poisson_threshold(10) == 22
    assert poisson_threshold(2) == 9
    assert poisson_threshold(0) == 1
    # A large λ does not underflow: about λ + 3.1·√λ.
    assert 10_300 < poisson_threshold(10_000) < 10_330


def test_model_failing_four_times_its_usual_month_raises_an_alert(cast, fridge_model):
    # 10 a month for 12 months → λ = 10 × 30/30 = 10, threshold 22; 40 this month ≥ 22 → alarm.
    monthly(previous_months(12), model=fridge_model, count=10, **cast)
    receive(model=fridge_model, at=jday(1405, 9, 5), count=40, **cast)

    alerts = failure_alerts_compute(today=LAST_OF_AZAR)

    assert [(a.month, a.scope, a.product_model, a.batch) for a in alerts] == [
        ("1405-09", FailureAlert.Scope.MODEL, fridge_model, "")]
    alert = FailureAlert.objects.get()
    assert (alert.failures, alert.expected, alert.threshold, alert.months_of_history) == (40, 10.0, 22, 12)


def test_a_usual_month_raises_nothing(cast, fridge_model):
    # 11 against λ = 10 (threshold 22): nothing.
    monthly(previous_months(12), model=fridge_model, count=10, **cast)
    receive(model=fridge_model, at=jday(1405, 9, 5), count=11, **cast)

    assert failure_alerts_compute(today=LAST_OF_AZAR) == []
    assert not FailureAlert.objects.exists()


def test_installations_and_periodic_services_are_not_failures(cast, fridge_model):
    # A model selling well: 11 repairs (threshold 22) plus 30 installations and 10 periodic services.
    monthly(previous_months(12), model=fridge_model, count=10, **cast)
    receive(model=fridge_model, at=jday(1405, 9, 5), count=11, **cast)
    receive(model=fridge_model, at=jday(1405, 9, 6), count=30, kind="installation", **cast)
    receive(model=fridge_model, at=jday(1405, 9, 7), count=10, kind="periodic", **cast)

    assert failure_alerts_compute(today=LAST_OF_AZAR) == []


def test_a_model_with_under_three_months_of_history_is_not_judged(cast, fridge_model):
    # First failures in Mehr 1405: Mehr and Aban are 2 months of history, fewer than 3.
    monthly(previous_months(2), model=fridge_model, count=10, **cast)
    receive(model=fridge_model, at=jday(1405, 9, 5), count=40, **cast)

    assert failure_alerts_compute(today=LAST_OF_AZAR) == []


def test_expected_count_is_scaled_to_the_days_elapsed(cast, fridge_model):
    # On 15 Azar: λ = 10 × 15/30 = 5, threshold 14 (P(X ≥ 13) = 0.0020, P(X ≥ 14) = 0.0007).
    monthly(previous_months(12), model=fridge_model, count=10, **cast)
    receive(model=fridge_model, at=jday(1405, 9, 5), count=14, **cast)

    [alert] = failure_alerts_compute(today=jdatetime.date(1405, 9, 15).togregorian())

    assert (alert.failures, alert.expected, alert.threshold) == (14, 5.0, 14)


def test_a_bad_batch_is_flagged_while_its_model_looks_normal(cast, model_factory):
    washer = model_factory("WM-7")
    plain = ProductUnit.objects.create(serial="WM7-0001", brand=washer.brand, product_model=washer)
    lot = ProductUnit.objects.create(serial="WM7-0002", brand=washer.brand, product_model=washer, batch="lot 17")
    # The model: 20 a month without a batch for 12 months, plus lot 17's 2 a month for the last 6 months
    # → model λ = (20×12 + 2×6) / 12 = 21, threshold 37; this month 20 + 12 = 32 < 37: no model alert.
    # Lot 17: history from its first failure (Khordad) = 6 months of 2 → λ = 2, threshold 9; 12 ≥ 9: alarm.
    monthly(previous_months(12), model=washer, count=20, unit=plain, **cast)
    monthly(previous_months(6), model=washer, count=2, unit=lot, **cast)
    receive(model=washer, at=jday(1405, 9, 5), count=20, unit=plain, **cast)
    receive(model=washer, at=jday(1405, 9, 6), count=12, unit=lot, **cast)

    [alert] = failure_alerts_compute(today=LAST_OF_AZAR)

    assert (alert.scope, alert.product_model, alert.batch) == (FailureAlert.Scope.BATCH, washer, "lot 17")
    assert (alert.failures, alert.expected, alert.threshold, alert.months_of_history) == (12, 2.0, 9, 6)


def test_orders_just_after_midnight_on_1_farvardin_count_in_the_new_month(cast, fridge_model, today_is):
    # 00:30 on 1 Farvardin 1405 in Tehran is still 20 March (Esfand) in UTC; 23:30 on 29 Esfand is Esfand.
    # History Farvardin … Esfand 1404: 10 a month → λ = 10 × 1/31 = 0.32, threshold max(4, 5) = 5.
    # This month: the 5 orders of 00:30 only; the 10 of the night before are Esfand's.
    months = previous_months(12, year=1405, month=1)
    monthly(months[:-1], model=fridge_model, count=10, **cast)
    receive(model=fridge_model, at=jday(1404, 12, 29, 23, 30), count=10, **cast)
    receive(model=fridge_model, at=jday(1405, 1, 1, 0, 30), count=5, **cast)
    today_is(datetime.date(2026, 3, 21))

    from aftersales.reports.tasks import failure_alerts

    assert failure_alerts() == 1
    alert = FailureAlert.objects.get()
    assert (alert.month, alert.failures, alert.expected, alert.threshold, alert.months_of_history) == (
        "1405-01", 5, 0.32, 5, 12)


def test_each_run_replaces_the_months_alerts(cast, fridge_model):
    monthly(previous_months(12), model=fridge_model, count=10, **cast)
    receive(model=fridge_model, at=jday(1405, 9, 5), count=40, **cast)
    old = FailureAlert.objects.create(month="1405-09", scope=FailureAlert.Scope.BATCH, product_model=fridge_model,
                                      batch="gone", failures=9, expected=1, threshold=5, months_of_history=3)
    earlier = FailureAlert.objects.create(month="1405-08", scope=FailureAlert.Scope.MODEL, product_model=fridge_model,
                                          failures=9, expected=1, threshold=5, months_of_history=3)

    failure_alerts_compute(today=LAST_OF_AZAR)
    failure_alerts_compute(today=LAST_OF_AZAR)

    assert not FailureAlert.objects.filter(pk=old.pk).exists()
    assert FailureAlert.objects.filter(pk=earlier.pk).exists()  # last month's stay as they were
    assert FailureAlert.objects.filter(month="1405-09").count() == 1
