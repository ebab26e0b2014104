import datetime
from dataclasses import dataclass

from django.utils import timezone

from .models import PeriodicService


@dataclass
class Entitlements:
    free_services_total: int
    free_services_used: int
    free_services_missed: int
    covers_parts: bool
    covers_labour: bool

    @property
    def free_services_left(self) -> int:
        return self.free_services_total - self.free_services_used - self.free_services_missed


def unit_entitlements(unit, status) -> Entitlements:
    """What the unit may still claim: free periodic services left, and whether parts and labour are covered."""
    today = status.on
    visits = list(unit.periodic_services.all())
    return Entitlements(
        free_services_total=sum(1 for v in visits if v.is_free),
        free_services_used=sum(1 for v in visits if v.is_free and v.done_on),
        free_services_missed=sum(1 for v in visits if v.is_free and v.state_on(today) == PeriodicService.State.MISSED),
        covers_parts=status.product.covers_parts,
        covers_labour=status.product.covers_labour,
    )


def periodic_services_due(*, within_days: int, on: datetime.date | None = None):
    """Open visits falling due in the next ``within_days`` days: the list the reminders go out from."""
    on = on or timezone.localdate()
    return (
        PeriodicService.objects.filter(done_on__isnull=True, due_on__gte=on, due_on__lte=on + datetime.timedelta(days=within_days))
        .select_related("unit__owner", "unit__product_model")
        .order_by("due_on")
    )
