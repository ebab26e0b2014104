"""The nightly failure early warning: a product model or production batch failing this month well above
its own history.

The rule (also shown on the head-office dashboard): failures are the repair orders received in the
Jalali month so far, per product model and per (model, production batch of the unit), leaving out
installations and periodic services (a model selling well is not failing). A model's or
batch's history is its monthly counts over the previous 12 Jalali months, from the first of them in
which it had a failure (months without one after that count as zero). The expected count is
λ = mean of those months × days elapsed this month ÷ days in this month. An alarm is raised when this
month's count reaches the smallest k with P(X ≥ k) < 0.001 for X ~ Poisson(λ), with at least 5 failures
and at least 3 months of history. Every count is grouped in the database (one CASE over the months).
"""

import datetime
import math

from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone

from aftersales.catalog.models import ServiceType

from .models import FailureAlert
from .periods import Grain, add_months, bucket_case, buckets, day_start, month_start

HISTORY_MONTHS = 12
MIN_HISTORY = 3
MIN_FAILURES = 5
SIGNIFICANCE = 0.001
#: Visits that are not failures.
NOT_FAILURES = (ServiceType.INSTALLATION, ServiceType.PERIODIC)


def poisson_threshold(expected: float, significance: float = SIGNIFICANCE) -> int:
    """The smallest k with P(X ≥ k) < ``significance`` for X ~ Poisson(``expected``).

    P(X ≥ k) = 1 − P(X ≤ k − 1); each term is computed in logarithms, so a large λ does not underflow.
    """
    if expected <= 0:
        return 1
    log_lambda = math.log(expected)
    below = 0.0  # P(X ≤ k - 1)
    k = 0
    while 1.0 - below >= significance:
        below += math.exp(-expected + k * log_lambda - math.lgamma(k + 1))
        k += 1
    return k


def _counts(orders, found, *keys):
    """{key tuple: {bucket index: count}} and, for batches, the batch as written on a unit."""
    per_key: dict[tuple, dict[int, int]] = {}
    shown: dict[tuple, str] = {}
    extra = {"shown": Max("unit__batch")} if "unit__batch_key" in keys else {}
    rows = (orders.annotate(bucket=bucket_case("received_at", found)).values("bucket", *keys)
            .annotate(failures=Count("pk"), **extra).order_by())
    for entry in rows:
        if entry["bucket"] is None:
            continue
        key = tuple(entry[name] for name in keys)
        per_key.setdefault(key, {})[entry["bucket"]] = entry["failures"]
        if extra:
            shown[key] = entry["shown"]
    return per_key, shown


def _judge(monthly: dict[int, int], current: int, elapsed: float) -> dict | None:
    """The alert's evidence if the current month's count is an alarm, else None."""
    failures = monthly.get(current, 0)
    past = [index for index, count in monthly.items() if index < current and count]
    if not past:
        return None
    history = [monthly.get(index, 0) for index in range(min(past), current)]
    if len(history) < MIN_HISTORY or failures < MIN_FAILURES:
        return None
    expected = sum(history) / len(history) * elapsed
    threshold = max(poisson_threshold(expected), MIN_FAILURES)
    if failures < threshold:
        return None
    return {"failures": failures, "expected": round(expected, 2), "threshold": threshold,
            "months_of_history": len(history)}


def failure_alerts_compute(today: datetime.date | None = None) -> list[FailureAlert]:
    """Recompute this Jalali month's failure alerts and replace the stored ones (the nightly task).

    See the module's docstring for the rule. Alerts are network-wide: every center's orders count.
    """
    from aftersales.repairs.models import RepairOrder

    today = today or timezone.localdate()
    first = month_start(today)
    found = buckets(add_months(first, -HISTORY_MONTHS), today, Grain.MONTH)
    current = len(found) - 1
    elapsed = ((today - first).days + 1) / (add_months(first, 1) - first).days
    orders = RepairOrder.objects.filter(product_model__isnull=False, received_at__gte=day_start(found[0].start),
                                        received_at__lt=day_start(today + datetime.timedelta(days=1))
                                        ).exclude(kind__in=NOT_FAILURES)
    month = found[current].key
    alerts = []
    per_model, _shown = _counts(orders, found, "product_model")
    for (model_id,), monthly in per_model.items():
        evidence = _judge(monthly, current, elapsed)
        if evidence:
            alerts.append(FailureAlert(month=month, scope=FailureAlert.Scope.MODEL, product_model_id=model_id,
                                       **evidence))
    per_batch, shown = _counts(orders.exclude(unit__batch_key="").filter(unit__isnull=False), found,
                               "product_model", "unit__batch_key")
    for key, monthly in per_batch.items():
        evidence = _judge(monthly, current, elapsed)
        if evidence:
            alerts.append(FailureAlert(month=month, scope=FailureAlert.Scope.BATCH, product_model_id=key[0],
                                       batch=shown[key][:40], **evidence))
    with transaction.atomic():
        FailureAlert.objects.filter(month=month).delete()
        return FailureAlert.objects.bulk_create(alerts)


def failure_alerts_latest(limit: int = 10):
    """The alerts of the latest computed month, most failures first, with their models."""
    latest = FailureAlert.objects.order_by("-month").values_list("month", flat=True).first()
    if latest is None:
        return []
    return list(FailureAlert.objects.filter(month=latest).select_related("product_model")
                .order_by("-failures", "product_model__code", "batch")[:limit])
