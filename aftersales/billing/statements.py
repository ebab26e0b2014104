"""A technician's statement of work: the operations they did in a period, their labour and commission (F24).

Labour is priced at the service list's labour price, warranty work included (the center is paid
for it by the manufacturer); the commission is the technician's share of it from their staff profile.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.core.persian import localize_digits
from aftersales.organization.roles import Role
from aftersales.organization.scoping import center_ids, spans_all_centers
from aftersales.repairs.models import Operation


def technician_statement(*, technician, start: datetime.date, end: datetime.date) -> dict:
    """The technician's operations performed from ``start`` to ``end`` (both days included, local time).

    Returns ``{"technician", "start", "end", "rows", "labour", "minutes", "commission_percent",
    "commission"}``; each row holds the order number, the day, the service, minutes, the labour
    amount and whether the order is under warranty. Commission is in whole rials, 0 without a
    staff profile.
    """
    from aftersales.personnel.models import StaffProfile

    operations = (Operation.objects.filter(technician=technician, performed_at__date__gte=start,
                                           performed_at__date__lte=end)
                  .select_related("order", "service_item").order_by("performed_at", "pk"))
    rows = [{
        "operation": operation.pk, "order": operation.order_id, "order_number": operation.order.number,
        "performed_at": operation.performed_at, "service": operation.service_item.title,
        "service_code": operation.service_item.code, "minutes": operation.minutes,
        "labour": operation.service_item.labour_price, "is_warranty": operation.order.is_warranty,
    } for operation in operations]
    rows += _periodic_rows(technician=technician, start=start, end=end)
    rows.sort(key=lambda row: (_moment(row["performed_at"]), row["operation"] or 0))
    labour = sum(row["labour"] for row in rows)
    profile = StaffProfile.objects.filter(user=technician).first()
    percent = profile.commission_percent if profile is not None else Decimal(0)
    commission = int((Decimal(labour) * percent / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return {
        "technician": technician, "start": start, "end": end, "rows": rows, "labour": labour,
        "minutes": sum(row["minutes"] for row in rows), "warranty_labour": sum(r["labour"] for r in rows if r["is_warranty"]),
        "commission_percent": percent, "commission": commission,
    }


def _moment(value) -> datetime.datetime:
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value)
    return timezone.make_aware(datetime.datetime.combine(value, datetime.time(0)))


def _periodic_rows(*, technician, start: datetime.date, end: datetime.date) -> list[dict]:
    """The periodic services the technician gave in the period, as statement rows: a paid visit's
    price is its labour; a free one is warranty work paid by the manufacturer (F20, F24)."""
    from aftersales.warranty.models import PeriodicService

    visits = (PeriodicService.objects.filter(performed_by=technician, done_on__gte=start, done_on__lte=end)
              .select_related("unit").order_by("done_on", "pk"))
    return [{
        "operation": None, "periodic": visit.pk, "unit": visit.unit_id, "serial": visit.unit.serial,
        "order": None, "order_number": "", "performed_at": visit.done_on,
        "service": _("Periodic service %(number)s") % {"number": localize_digits(visit.sequence)}, "service_code": "",
        "minutes": visit.minutes, "labour": visit.price, "is_warranty": visit.is_free,
    } for visit in visits]


def may_see_all_statements(user) -> bool:
    """Managers and accountants; a receptionist (who may see invoices) does not see colleagues' pay."""
    return user.has_perm("repairs.override_warranty") or user.groups.filter(name=Role.ACCOUNTANT).exists()


def technicians_for(user) -> QuerySet:
    """The people whose statement ``user`` may see: managers and accounts see the technicians (and
    anyone with a staff profile) of their centers, everyone else only themselves."""
    User = get_user_model()
    if not user.is_authenticated:
        return User.objects.none()
    if not may_see_all_statements(user):
        return User.objects.filter(pk=user.pk)
    people = User.objects.filter(is_active=True).filter(Q(groups__name=Role.TECHNICIAN) | Q(staff_profile__isnull=False))
    if not spans_all_centers(user):
        people = people.filter(Q(centers__in=center_ids(user)) | Q(staff_profile__center__in=center_ids(user)))
    return User.objects.filter(pk__in=people.values("pk")).order_by("last_name", "first_name", "username")
