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
    paid_services_total: int = 0
    paid_services_used: int = 0

    @property
    def free_services_left(self) -> int:
        return self.free_services_total - self.free_services_used - self.free_services_missed


def unit_entitlements(unit, status, visits: list[PeriodicService] | None = None) -> Entitlements:
    """What the unit may still claim: free periodic services left, and whether parts and labour are covered."""
    today = status.on
    visits = list(unit.periodic_services.all()) if visits is None else visits
    return Entitlements(
        free_services_total=sum(1 for v in visits if v.is_free),
        free_services_used=sum(1 for v in visits if v.is_free and v.done_on),
        free_services_missed=sum(1 for v in visits if v.is_free and v.state_on(today) == PeriodicService.State.MISSED),
        covers_parts=status.product.covers_parts,
        covers_labour=status.product.covers_labour,
        paid_services_total=sum(1 for v in visits if not v.is_free),
        paid_services_used=sum(1 for v in visits if not v.is_free and v.done_on),
    )


def periodic_services_due(*, within_days: int, on: datetime.date | None = None):
    """Open visits falling due in the next ``within_days`` days: the list the reminders go out from."""
    on = on or timezone.localdate()
    return (
        PeriodicService.objects.filter(done_on__isnull=True, due_on__gte=on, due_on__lte=on + datetime.timedelta(days=within_days))
        .select_related("unit__owner", "unit__product_model")
        .order_by("due_on")
    )


@dataclass
class TimelineEntry:
    at: datetime.datetime | datetime.date
    title: str
    detail: str = ""


def unit_timeline(unit, visits: list[PeriodicService] | None = None) -> list[TimelineEntry]:
    """Everything that happened to a unit, newest first: its movements, card, voids and periodic visits (F19, F20)."""
    from django.utils.translation import gettext as _

    from aftersales.core import jalali

    from .models import WarrantyCard

    entries = [TimelineEntry(event.occurred_at, event.get_kind_display(), event.reference) for event in unit.events.all()]
    for card in unit.warranty_cards.all():
        entries.append(TimelineEntry(card.issued_at, _("Warranty card %(number)s issued") % {"number": card.number}))
        if card.activated_at:
            entries.append(TimelineEntry(card.activated_at, _("Warranty card activated"),
                                         _("purchase date %(day)s") % {"day": jalali.format_date(card.purchase_date)}))
        if card.status == WarrantyCard.Status.CANCELLED:
            entries.append(TimelineEntry(card.issued_at, _("Warranty card cancelled")))
    for void in unit.warranty_voids.select_related("component_type"):
        entries.append(TimelineEntry(void.voided_on, _("Warranty voided"),
                                     f"{void.component_type or ''} {void.get_reason_display()}".strip()))
    for visit in unit.periodic_services.all() if visits is None else visits:
        if visit.done_on is None:
            continue
        who = visit.performed_by.get_full_name() or visit.performed_by.username if visit.performed_by else ""
        entries.append(TimelineEntry(visit.done_on, _("Periodic service %(number)s done") % {"number": visit.sequence},
                                     " · ".join(part for part in (who, visit.work_done) if part)))

    def moment(entry):
        value = entry.at
        if isinstance(value, datetime.datetime):
            return timezone.localtime(value) if timezone.is_aware(value) else timezone.make_aware(value)
        return timezone.make_aware(datetime.datetime.combine(value, datetime.time(12)))

    return sorted(entries, key=moment, reverse=True)


def units_expiring_on(day: datetime.date) -> list:
    """Units whose activated product warranty ends on ``day`` (for "warranty ending soon" messages).

    Cards are narrowed by the start dates that can end on that day under each policy version, then the
    status engine confirms each one, so the rule lives in one place.
    """
    from django.db.models import Q

    from .models import PolicyVersion, WarrantyCard
    from .status import State, add_months, unit_warranty_status

    narrow = Q(pk__in=[])
    for version in PolicyVersion.objects.all():
        start = add_months(day + datetime.timedelta(days=1), -version.duration_months)
        window = (start - datetime.timedelta(days=3), start + datetime.timedelta(days=3))
        if version.start_event == PolicyVersion.StartEvent.PRODUCTION:
            produced = (add_months(window[0], -version.grace_months), add_months(window[1], -version.grace_months))
            narrow |= Q(policy_version=version, unit__production_date__range=produced)
        else:
            narrow |= Q(policy_version=version) & (Q(installation_date__range=window) | Q(purchase_date__range=window))
    cards = WarrantyCard.objects.filter(status=WarrantyCard.Status.ACTIVE).filter(narrow).select_related("unit")
    units = []
    for card in cards:
        status = unit_warranty_status(card.unit, on=day).product
        if status.state == State.ACTIVE and status.end == day:
            units.append(card.unit)
    return units
