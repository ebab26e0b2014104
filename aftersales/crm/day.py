"""Reads of the marketer's calendar and day: appointments by week or Jalali month, plan vs done, what a
marketer did on a day (F49, F56), and the cartable's reminders of what falls due today.

A marketer's day is computed live from the log (contacts they logged, stage moves they took, appointments
they had), so the report their manager reads is the same page they saw, whenever it is read.
"""

import datetime
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q
from django.utils import timezone

from aftersales.core import jalali
from aftersales.marketing.models import Contact
from aftersales.organization.models import User
from aftersales.organization.roles import Role
from aftersales.organization.scoping import scope_queryset
from aftersales.workflow.models import TransitionLog

from .models import Appointment, AppointmentPlan, DailyReport, Party

#: The roles whose people book appointments and keep parties: the marketers a manager filters by.
MARKETER_ROLES = (Role.VISITOR, Role.MARKETING_MANAGER, Role.CALL_CENTER_AGENT)
#: The cartable lists at most this many reminders of each kind.
REMINDERS_SHOWN = 10


def is_team_manager(user) -> bool:
    """A manager sees the appointments and reports of everyone in their centers, not only their own."""
    return user.has_perm("crm.add_appointmentplan") or user.has_perm("crm.comment_dailyreport")


def day_bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """The first moment of a Tehran day and of the next one."""
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    end = timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min))
    return start, end


def week_start(day: datetime.date) -> datetime.date:
    """The Saturday a Jalali week starts on."""
    return day - datetime.timedelta(days=(day.weekday() - 5) % 7)  # Saturday is weekday 5


def month_bounds(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The first and the last day of ``day``'s Jalali month."""
    return jalali.month_start(day), jalali.next_month_start(day) - datetime.timedelta(days=1)


def previous_month_start(day: datetime.date) -> datetime.date:
    return jalali.month_start(jalali.month_start(day) - datetime.timedelta(days=1))


# --- the calendar -------------------------------------------------------------------------------------------

def marketers_for(user):
    """The marketers a manager may filter the calendar and the plans by: active people of their centers
    (every center for a role that spans them) in a marketing role."""
    people = User.objects.filter(is_active=True, groups__name__in=MARKETER_ROLES)
    return scope_queryset(people, user).distinct().order_by("last_name", "first_name", "username")


def appointment_list(user, *, start: datetime.date | None = None, end: datetime.date | None = None,
                     marketer=None, include_cancelled: bool = True):
    """The appointments ``user`` may see between two days (both included): a manager's centers' (of one
    marketer when asked), everyone else's own."""
    appointments = scope_queryset(Appointment.objects.all(), user)
    if not is_team_manager(user):
        appointments = appointments.filter(marketer=user)
    elif marketer is not None:
        appointments = appointments.filter(marketer=marketer)
    if start is not None:
        appointments = appointments.filter(at__gte=day_bounds(start)[0])
    if end is not None:
        appointments = appointments.filter(at__lt=day_bounds(end)[1])
    if not include_cancelled:
        appointments = appointments.exclude(status=Appointment.Status.CANCELLED)
    return appointments.select_related("party__customer", "marketer", "plan").order_by("at", "pk")


@dataclass
class CalendarDay:
    day: datetime.date
    appointments: list = field(default_factory=list)
    in_month: bool = True
    is_today: bool = False


def calendar_days(appointments, start: datetime.date, end: datetime.date, *, month: datetime.date | None = None
                  ) -> list[CalendarDay]:
    """One cell per day from ``start`` to ``end`` with that Tehran day's appointments."""
    today = timezone.localdate()
    cells, by_day = [], {}
    day = start
    while day <= end:
        cell = CalendarDay(day=day, is_today=day == today,
                           in_month=month is None or jalali.month_start(day) == month)
        cells.append(cell)
        by_day[day] = cell
        day += datetime.timedelta(days=1)
    for appointment in appointments:
        cell = by_day.get(timezone.localdate(appointment.at))
        if cell is not None:
            cell.appointments.append(appointment)
    return cells


def week_view(user, day: datetime.date, *, marketer=None) -> list[CalendarDay]:
    start = week_start(day)
    end = start + datetime.timedelta(days=6)
    return calendar_days(appointment_list(user, start=start, end=end, marketer=marketer), start, end)


def month_view(user, day: datetime.date, *, marketer=None) -> list[list[CalendarDay]]:
    """The Jalali month of ``day`` as weeks from Saturday, the neighbouring months' days blank."""
    first, last = month_bounds(day)
    start, end = week_start(first), week_start(last) + datetime.timedelta(days=6)
    cells = calendar_days(appointment_list(user, start=first, end=last, marketer=marketer), start, end, month=first)
    return [cells[index:index + 7] for index in range(0, len(cells), 7)]


# --- plan vs done -------------------------------------------------------------------------------------------

@dataclass
class Progress:
    planned: int = 0
    booked: int = 0
    done: int = 0
    cancelled: int = 0

    @property
    def to_book(self) -> int:
        return max(0, self.planned - self.booked)

    def add(self, other: "Progress") -> None:
        self.planned += other.planned
        self.booked += other.booked
        self.done += other.done
        self.cancelled += other.cancelled


def plans_in_force(user, *, start: datetime.date, end: datetime.date, marketer=None):
    """The plans ``user`` may see whose period meets ``start``–``end``, each with its appointments
    booked (done or still booked), done and cancelled counted."""
    plans = scope_queryset(AppointmentPlan.objects.all(), user).filter(start_date__lte=end, end_date__gte=start)
    if not is_team_manager(user):
        plans = plans.filter(Q(marketer=user) | Q(party__marketer=user))
    elif marketer is not None:
        plans = plans.filter(marketer=marketer)
    return plan_counts(plans).select_related("party__customer", "marketer").order_by("party__customer_id", "start_date")


def plan_counts(plans):
    status = Appointment.Status
    return plans.annotate(
        booked=Count("appointments", filter=~Q(appointments__status=status.CANCELLED), distinct=True),
        done=Count("appointments", filter=Q(appointments__status=status.DONE), distinct=True),
        cancelled=Count("appointments", filter=Q(appointments__status=status.CANCELLED), distinct=True))


def plan_progress(user, month: datetime.date, *, marketer=None) -> dict:
    """Plan vs done for the Jalali month of ``month``: each plan in force, then totals per party and per
    marketer (planned, booked, done, cancelled, still to book = planned − booked)."""
    first, last = month_bounds(month)
    plans = list(plans_in_force(user, start=first, end=last, marketer=marketer))
    parties, marketers, total = {}, {}, Progress()
    for plan in plans:
        plan.progress = Progress(planned=plan.count, booked=plan.booked, done=plan.done, cancelled=plan.cancelled)
        party = parties.setdefault(plan.party_id, {"party": plan.party, "progress": Progress(), "plans": []})
        party["progress"].add(plan.progress)
        party["plans"].append(plan)
        person = marketers.setdefault(plan.marketer_id, {"marketer": plan.marketer, "progress": Progress()})
        person["progress"].add(plan.progress)
        total.add(plan.progress)
    return {"start": first, "end": last, "plans": plans, "parties": list(parties.values()),
            "marketers": sorted(marketers.values(), key=lambda row: str(row["marketer"] or "")), "total": total}


# --- the marketer's day -------------------------------------------------------------------------------------

def next_steps_due(user, day: datetime.date | None = None):
    """The parties ``user`` keeps whose next step falls due on ``day`` (today) or earlier, the oldest first."""
    day = day or timezone.localdate()
    parties = scope_queryset(Party.objects.all(), user).filter(marketer=user, next_step_date__lte=day)
    return parties.select_related("customer", "state").order_by("next_step_date", "pk")


def _moves(user, start, end) -> list[TransitionLog]:
    """The stage moves ``user`` took on parties in ``[start, end)``, each with its party attached."""
    party_type = ContentType.objects.get_for_model(Party)
    moves = list(TransitionLog.objects.filter(content_type=party_type, by=user, at__gte=start, at__lt=end)
                 .exclude(source__isnull=True).select_related("source", "target", "transition").order_by("at", "pk"))
    parties = Party.objects.select_related("customer").in_bulk({move.object_id for move in moves})
    for move in moves:
        move.party = parties.get(move.object_id)
    return moves


def marketer_day(user, day: datetime.date) -> dict:
    """What ``user`` did on ``day``: the appointments of the day, the contacts they logged with the answers
    of each, the stage moves they took, and the counts; the next steps due only for today (a past day's
    reminders are gone with the steps taken since)."""
    start, end = day_bounds(day)
    contacts = list(Contact.objects.filter(logged_by=user, occurred_at__gte=start, occurred_at__lt=end)
                    .select_related("customer").prefetch_related("answers").order_by("occurred_at", "pk"))
    appointments = list(Appointment.objects.filter(marketer=user, at__gte=start, at__lt=end)
                        .select_related("party__customer", "plan").order_by("at", "pk"))
    moves = _moves(user, start, end)
    kinds = Contact.Kind
    counts = {
        "visits": sum(contact.kind == kinds.VISIT for contact in contacts),
        "calls": sum(contact.kind in (kinds.CALL_IN, kinds.CALL_OUT) for contact in contacts),
        "answers": sum(len(contact.answers.all()) for contact in contacts),
        "moves": len(moves),
        "appointments_done": sum(appointment.status == Appointment.Status.DONE for appointment in appointments),
        "appointments": sum(appointment.status != Appointment.Status.CANCELLED for appointment in appointments),
    }
    today = timezone.localdate()
    return {"day": day, "is_today": day == today, "contacts": contacts, "appointments": appointments,
            "moves": moves, "counts": counts, "marketer": user,
            "next_steps": list(next_steps_due(user, day)[:100]) if day == today else []}


# --- daily reports ------------------------------------------------------------------------------------------

def daily_report_list(user, *, day: datetime.date | None = None, start: datetime.date | None = None,
                      end: datetime.date | None = None, marketer=None):
    """The filed reports ``user`` may read: a manager's centers' (``crm.comment_dailyreport``), else their own."""
    reports = scope_queryset(DailyReport.objects.all(), user)
    if not user.has_perm("crm.comment_dailyreport"):
        reports = reports.filter(user=user)
    elif marketer is not None:
        reports = reports.filter(user=marketer)
    if day is not None:
        reports = reports.filter(day=day)
    if start is not None:
        reports = reports.filter(day__gte=start)
    if end is not None:
        reports = reports.filter(day__lte=end)
    return reports.select_related("user", "center", "commented_by").order_by("-day", "user__last_name", "pk")


# --- the cartable -------------------------------------------------------------------------------------------

def reminders_due(user) -> dict:
    """The cartable's reminders: ``user``'s parties whose next step is due today or overdue, and their
    appointments still booked for today (at most ``REMINDERS_SHOWN`` of each, with the full counts)."""
    today = timezone.localdate()
    steps = next_steps_due(user, today)
    start, end = day_bounds(today)
    appointments = (scope_queryset(Appointment.objects.all(), user)
                    .filter(marketer=user, status=Appointment.Status.BOOKED, at__gte=start, at__lt=end)
                    .select_related("party__customer").order_by("at", "pk"))
    return {"steps": list(steps[:REMINDERS_SHOWN]), "step_count": steps.count(),
            "appointments": list(appointments[:REMINDERS_SHOWN]), "appointment_count": appointments.count(),
            "today": today}
