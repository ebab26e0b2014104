"""Reads of contracts, cheques and alarms, scoped to the user's centers (F51, F52)."""

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from aftersales.core.persian import normalize_text
from aftersales.organization.scoping import scope_queryset

from .models import Alarm, Cheque, Contract

#: How many unseen alarms the cartable's panel lists.
PANEL_SIZE = 10


#: A "within N days" filter looks at most this far ahead (a larger N would overflow the date).
MAX_DAYS = 36_500


def contract_list(*, user, kind: str = "", status: str = "", customer: int | None = None,
                  ends_within: int | None = None, query: str = "") -> QuerySet:
    contracts = scope_queryset(Contract.objects.select_related("customer", "center", "responsible"), user)
    if kind:
        contracts = contracts.filter(kind=kind)
    if status:
        contracts = contracts.filter(status=status)
    if customer:
        contracts = contracts.filter(customer_id=customer)
    if ends_within is not None:
        ends_within = min(ends_within, MAX_DAYS)
        today = timezone.localdate()
        contracts = contracts.filter(status=Contract.Status.ACTIVE, end_date__gte=today,
                                     end_date__lte=today + datetime.timedelta(days=ends_within))
    query = normalize_text(query.replace("\x00", ""))
    if query:
        contracts = contracts.filter(Q(number__icontains=query) | Q(title__icontains=query)
                                     | Q(customer__company_name__icontains=query)
                                     | Q(customer__last_name__icontains=query))
    return contracts


def contract_get(*, user, pk: int) -> Contract:
    return contract_list(user=user).get(pk=pk)


def cheque_list(*, user, state: str = "", customer: int | None = None, due_within: int | None = None,
                contract: int | None = None, query: str = "") -> QuerySet:
    cheques = scope_queryset(Cheque.objects.select_related("customer", "center", "contract", "responsible"), user)
    if state:
        cheques = cheques.filter(state=state)
    if customer:
        cheques = cheques.filter(customer_id=customer)
    if contract:
        cheques = cheques.filter(contract_id=contract)
    if due_within is not None:
        due_within = min(due_within, MAX_DAYS)
        cheques = cheques.filter(state__in=(Cheque.State.RECEIVED, Cheque.State.DEPOSITED),
                                 due_date__lte=timezone.localdate() + datetime.timedelta(days=due_within))
    query = normalize_text(query.replace("\x00", ""))
    if query:
        cheques = cheques.filter(Q(sayad_number__icontains=query) | Q(customer__company_name__icontains=query)
                                     | Q(customer__last_name__icontains=query)
                                 | Q(bank__icontains=query))
    return cheques


def alarm_list(*, user, unseen: bool = False) -> QuerySet:
    """The user's own alarms, newest first (an alarm is for one user; scoping keeps moved users in bounds)."""
    alarms = scope_queryset(Alarm.objects.filter(user=user).select_related("contract", "cheque"), user)
    if unseen:
        alarms = alarms.filter(seen_at__isnull=True)
    return alarms


def alarms_unseen(*, user) -> dict:
    if not user.is_authenticated:
        return {"count": 0, "alarms": []}
    alarms = alarm_list(user=user, unseen=True)
    count = alarms.count()
    return {"count": count, "alarms": list(alarms[:PANEL_SIZE]) if count else []}
