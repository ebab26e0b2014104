"""Reads of visit expenses, scoped to the user's centers (F58).

Who files expenses (a visitor: may add, may not approve) reads their own only; who approves, pays or
oversees them (managers, the accountant, head office) reads every expense of their centers.
"""

import datetime
import re
from dataclasses import dataclass, field

import jdatetime
from django.db.models import Count, Q, QuerySet, Sum

from aftersales.core import jalali
from aftersales.core.persian import localize_digits, to_ascii_digits
from aftersales.organization.scoping import scope_queryset

from .models import VisitExpense

_MONTH = re.compile(r"^\s*(\d{4})\s*[-/]\s*(\d{1,2})\s*$")
STATUSES = tuple(VisitExpense.Status.values)


def sees_team(user) -> bool:
    """True when ``user`` reads every expense of their centers, not only their own."""
    return user.has_perm("field.approve_visitexpense") or not user.has_perm("field.add_visitexpense")


def month_range(text: str) -> tuple[datetime.date, datetime.date] | None:
    """The first and last day of a Jalali month typed «۱۴۰۵/۰۹» or "1405-09"; None when it is not one."""
    match = _MONTH.match(to_ascii_digits(text or ""))
    if not match:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    if not (1300 <= year <= 1500 and 1 <= month <= 12):
        return None
    start = jdatetime.date(year, month, 1).togregorian()
    return start, jalali.next_month_start(start) - datetime.timedelta(days=1)


def month_key(day: datetime.date) -> str:
    """The Jalali month of ``day`` as "1405-09" (what the month filter takes)."""
    j = jdatetime.date.fromgregorian(date=day)
    return f"{j.year}-{j.month:02d}"


def month_label(key: str) -> str:
    year, month = (int(part) for part in key.split("-"))
    return localize_digits(jalali.to_jalali(jdatetime.date(year, month, 1).togregorian()).strftime("%B %Y"))


def expense_list(*, user, marketer: int | None = None, status: str = "", kind: str = "", month: str = "",
                 tour: int | None = None, center: int | None = None, own: bool = False) -> QuerySet:
    """The expenses ``user`` may read, filtered; ``own`` keeps the user's own only."""
    expenses = scope_queryset(VisitExpense.objects.select_related("marketer", "center", "tour", "stop__customer",
                                                                  "decided_by"), user)
    if own or not sees_team(user):
        expenses = expenses.filter(marketer=user)
    if marketer:
        expenses = expenses.filter(marketer_id=marketer)
    if status in STATUSES:
        expenses = expenses.filter(status=status)
    if kind in VisitExpense.Kind.values:
        expenses = expenses.filter(kind=kind)
    bounds = month_range(month) if month else None
    if bounds:
        expenses = expenses.filter(spent_on__gte=bounds[0], spent_on__lte=bounds[1])
    if tour:
        expenses = expenses.filter(tour_id=tour)
    if center:
        expenses = expenses.filter(center_id=center)
    return expenses


def expense_get(*, user, pk: int) -> VisitExpense:
    return expense_list(user=user).get(pk=pk)


def approval_queue(*, user) -> QuerySet:
    """The pending expenses a manager may decide: of their centers, not their own, oldest first."""
    if not user.has_perm("field.approve_visitexpense"):
        return VisitExpense.objects.none()
    return (expense_list(user=user, status=VisitExpense.Status.PENDING).exclude(marketer=user)
            .order_by("spent_on", "pk"))


@dataclass
class Totals:
    key: object
    label: str
    approved: int = 0
    pending: int = 0
    refused: int = 0
    count: int = 0
    extra: dict = field(default_factory=dict)

    @property
    def total(self) -> int:
        return self.approved + self.pending + self.refused


def _sums() -> dict:
    return {status: Sum("amount", filter=Q(status=status), default=0) for status in STATUSES} | {"count": Count("pk")}


def _fill(row: Totals, entry: dict) -> None:
    row.approved += entry["approved"]
    row.pending += entry["pending"]
    row.refused += entry["refused"]
    row.count += entry["count"]


def expense_totals(*, user, by: str = "marketer", **filters) -> tuple[list[Totals], Totals]:
    """Approved, pending and refused amounts per marketer, per tour or per Jalali month (``by``), with the
    grand total; the list's filters apply. The database sums; months are folded from days here."""
    expenses = expense_list(user=user, **filters).order_by()
    grand = Totals(None, "")
    rows: dict = {}
    if by == "month":
        for entry in expenses.values("spent_on").annotate(**_sums()):
            key = month_key(entry["spent_on"])
            row = rows.setdefault(key, Totals(key, month_label(key)))
            _fill(row, entry)
        ordered = [rows[key] for key in sorted(rows, reverse=True)]
    elif by == "tour":
        entries = expenses.values("tour", "tour__name", "tour__marketer__first_name", "tour__marketer__last_name",
                                  "tour__marketer__username").annotate(**_sums())
        for entry in entries:
            if entry["tour"] is None:
                label = ""
            else:
                who = " ".join(filter(None, (entry["tour__marketer__first_name"], entry["tour__marketer__last_name"])))
                label = f"{entry['tour__name']} · {who or entry['tour__marketer__username']}"
            row = rows.setdefault(entry["tour"], Totals(entry["tour"], label))
            _fill(row, entry)
        ordered = sorted(rows.values(), key=lambda row: (row.key is None, -row.total, row.label))
    else:
        entries = expenses.values("marketer", "marketer__first_name", "marketer__last_name",
                                  "marketer__username").annotate(**_sums())
        for entry in entries:
            name = " ".join(filter(None, (entry["marketer__first_name"], entry["marketer__last_name"])))
            row = rows.setdefault(entry["marketer"], Totals(entry["marketer"], name or entry["marketer__username"]))
            _fill(row, entry)
        ordered = sorted(rows.values(), key=lambda row: (-row.total, row.label))
    for row in ordered:
        grand.approved += row.approved
        grand.pending += row.pending
        grand.refused += row.refused
        grand.count += row.count
    return ordered, grand


def marketers_for(user):
    """The marketers whose expenses ``user`` may filter by: people of their centers who filed any."""
    from aftersales.organization.models import User

    filed = scope_queryset(VisitExpense.objects.all(), user)
    if not sees_team(user):
        filed = filed.filter(marketer=user)
    return User.objects.filter(pk__in=filed.values("marketer")).order_by("last_name", "first_name", "username")


def tours_for(user):
    """The tours ``user`` may file or filter expenses by: their own as a marketer, their centers' as a manager."""
    from .models import Tour

    tours = scope_queryset(Tour.objects.select_related("marketer"), user)
    if not sees_team(user):
        tours = tours.filter(marketer=user)
    return tours.order_by("-start_date", "-pk")
