"""The home-service schedule (issue 13): the working day cut into visit slots, the home visits booked
per technician, the gaps between them, and the rules a new booking must keep.

The working day, the length of a visit and the days off are settings (``REPAIRS_HOME_*``), the same for
every center. A visit takes ``REPAIRS_HOME_VISIT_MINUTES`` from its appointment; an order in a final
state (done or cancelled) no longer holds its time.
"""

import datetime
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.core import jalali
from aftersales.core.persian import localize_digits

from .models import RepairOrder

SATURDAY = 5  # the first day of the Iranian week (Python's weekday numbers)


def visit_length() -> datetime.timedelta:
    return datetime.timedelta(minutes=settings.REPAIRS_HOME_VISIT_MINUTES)


def day_start() -> datetime.time:
    return datetime.time.fromisoformat(settings.REPAIRS_HOME_DAY_START)


def day_end() -> datetime.time:
    return datetime.time.fromisoformat(settings.REPAIRS_HOME_DAY_END)


def is_day_off(day: datetime.date) -> bool:
    return day.weekday() in settings.REPAIRS_HOME_DAYS_OFF


def week_start(day: datetime.date) -> datetime.date:
    """The Saturday that starts ``day``'s week."""
    return day - datetime.timedelta(days=(day.weekday() - SATURDAY) % 7)


def at(day: datetime.date, time: datetime.time) -> datetime.datetime:
    """``day`` at ``time`` in Tehran (the current time zone), aware."""
    return timezone.make_aware(datetime.datetime.combine(day, time))


def day_slots(day: datetime.date) -> list[tuple[datetime.datetime, datetime.datetime]]:
    """The visit slots of a working day, (start, end) in order; none on a day off."""
    if is_day_off(day):
        return []
    slots, start, close, step = [], at(day, day_start()), at(day, day_end()), visit_length()
    while start + step <= close:
        slots.append((start, start + step))
        start += step
    return slots


def _clock(value: datetime.datetime | datetime.time) -> str:
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value)
    return localize_digits(value.strftime("%H:%M"))


def home_visits():
    """Home visits with an appointment that still hold their time (the order is not closed)."""
    return RepairOrder.objects.filter(kind=RepairOrder.Kind.HOME, appointment_at__isnull=False, state__is_final=False)


def home_visit_refusals(*, center, appointment_at, assignee=None, exclude_pk=None, lock: bool = True) -> dict[str, str]:
    """Why a home visit cannot be booked at ``appointment_at`` with ``assignee``, by field; empty when it can.

    Refuses an appointment in the past, on a day off, outside the working day (the whole visit must
    fit), a technician who does not work at ``center``, and a time that overlaps another open home
    visit of the same technician (at any center: a person is in one place at a time). Call it inside
    the booking's transaction: it locks the technician's row (unless ``lock`` is false: a look at
    several candidates, which must not hold several rows), so two receptionists booking the same gap
    at once are served one after the other and the second is refused.
    """
    errors = {}
    if assignee is not None and not assignee.centers.filter(pk=center.pk).exists():
        errors["assignee"] = _("%(user)s does not work at %(center)s.") % {"user": assignee, "center": center}
    if appointment_at is None:
        return errors
    local = timezone.localtime(appointment_at)
    day, length = local.date(), visit_length()
    if appointment_at < timezone.now():
        errors["appointment_at"] = _("This time has passed; choose a time to come.")
    elif is_day_off(day):
        errors["appointment_at"] = _("%(day)s is not a working day for home visits.") % {
            "day": jalali.format_date(day, "%A")}
    elif local.time() < day_start() or appointment_at + length > at(day, day_end()):
        errors["appointment_at"] = _(
            "Home visits are booked between %(start)s and %(end)s; a visit takes %(minutes)s minutes."
        ) % {"start": _clock(day_start()), "end": _clock(day_end()),
             "minutes": localize_digits(str(settings.REPAIRS_HOME_VISIT_MINUTES))}
    elif assignee is not None and "assignee" not in errors:
        if lock:
            get_user_model().objects.select_for_update().filter(pk=assignee.pk).first()
        clash = (home_visits().filter(assignee=assignee, appointment_at__gt=appointment_at - length,
                                      appointment_at__lt=appointment_at + length)
                 .exclude(pk=exclude_pk).order_by("appointment_at").first())
        if clash is not None:
            errors["appointment_at"] = _(
                "%(technician)s already has a home visit from %(start)s to %(end)s; choose a free slot."
            ) % {"technician": assignee, "start": _clock(clash.appointment_at),
                 "end": _clock(clash.appointment_at + length)}
    return errors


def address_area(order) -> str:
    """The area of the visit's address: the customer's address region when the order is at one of the
    customer's addresses, else the address's first part («نارمک» of «نارمک، خیابان گلبرگ، پلاک ۱۲»)."""
    address = (order.address or "").strip()
    for saved in getattr(order.customer, "schedule_addresses", ()):
        if saved.address and saved.address in address:
            return str(saved.region.name)
    return re.split(r"[،,\-–]", address, maxsplit=1)[0].strip()[:60]


def _with_area(orders) -> list:
    """The orders in time order, each with ``area`` (see ``address_area``)."""
    from django.db.models import Prefetch

    from aftersales.customers.models import CustomerAddress

    found = list(orders.prefetch_related(Prefetch("customer__addresses", to_attr="schedule_addresses",
                                                  queryset=CustomerAddress.objects.select_related("region")))
                 .order_by("appointment_at", "pk"))
    for order in found:
        order.area = address_area(order)
    return found


@dataclass
class Cell:
    """One slot of one technician's day: the visits that start in it, whether it is taken, past or free."""

    start: datetime.datetime
    end: datetime.datetime
    visits: list = field(default_factory=list)
    busy: bool = False  # taken by a visit (this slot's, or one running over from before, or at another center)
    past: bool = False
    book_url: str = ""  # the reception page for this slot, for those who may receive

    @property
    def free(self) -> bool:
        return not self.busy and not self.past


@dataclass
class DayCells:
    day: datetime.date
    cells: list[Cell]
    others: list = field(default_factory=list)  # visits outside the working day's slots

    @property
    def visits(self) -> list:
        return sorted([visit for cell in self.cells for visit in cell.visits] + self.others,
                      key=lambda order: order.appointment_at)

    @property
    def free_cells(self) -> list[Cell]:
        return [cell for cell in self.cells if cell.free]


@dataclass
class Row:
    technician: object  # a user, or None for the visits no one is assigned to yet
    days: list[DayCells]


@dataclass
class Schedule:
    center: object
    days: list[datetime.date]
    rows: list[Row]

    @property
    def slot_times(self) -> list[tuple[datetime.datetime, datetime.datetime]]:
        """The slots of the first working day: the columns of the day view."""
        return next((slots for slots in (day_slots(day) for day in self.days) if slots), [])


def home_technicians(center):
    """Who does home service at ``center``: the active staff profiles that say so, by name."""
    from aftersales.personnel.models import StaffProfile

    profiles = (StaffProfile.objects.filter(center=center, does_home_service=True, is_active=True, user__is_active=True)
                .select_related("user").order_by("user__first_name", "user__last_name", "user__username"))
    return [profile.user for profile in profiles]


def home_schedule(*, user, center, start: datetime.date, days: int = 1, technician=None) -> Schedule:
    """The home visits of ``center`` (which the caller must be allowed to see) from ``start`` for ``days``
    days, a row per technician who does home service there (or only ``technician``) and a row for the
    visits no one is assigned to; each day cut into slots, booked, past or free.

    A visit holds the slots it overlaps; a technician's open visit at another center makes the slot
    busy without showing it. A visit outside the working day is listed with the day, not in a slot.
    """
    from .selectors import orders_for

    dates = [start + datetime.timedelta(days=offset) for offset in range(days)]
    window = (at(dates[0], datetime.time.min), at(dates[-1] + datetime.timedelta(days=1), datetime.time.min))
    length = visit_length()
    visits = _with_area(orders_for(user).filter(
        kind=RepairOrder.Kind.HOME, center=center, appointment_at__gte=window[0] - length,
        appointment_at__lt=window[1]).select_related("customer", "state"))
    if technician is not None:
        people = [technician]
        visits = [visit for visit in visits if visit.assignee_id == technician.pk]
    else:
        people = home_technicians(center)
        known = {person.pk for person in people}
        extra = {visit.assignee_id for visit in visits if visit.assignee_id and visit.assignee_id not in known}
        if extra:  # assigned to someone not (or no longer) marked for home service: still shown
            people += list(get_user_model().objects.filter(pk__in=extra).order_by("first_name", "last_name"))
    elsewhere = list(home_visits().filter(assignee__in=[person.pk for person in people],
                                          appointment_at__gte=window[0] - length, appointment_at__lt=window[1])
                     .exclude(center=center).values_list("assignee_id", "appointment_at"))
    now = timezone.now()
    rows = []
    for person in [*people, *([None] if technician is None else [])]:
        mine = [visit for visit in visits if visit.assignee_id == (person.pk if person else None)]
        busy = [(visit.appointment_at, visit.appointment_at + length) for visit in mine if not visit.state.is_final]
        if person is not None:
            busy += [(when, when + length) for who, when in elsewhere if who == person.pk]
        row_days = []
        for day in dates:
            cells = [Cell(start=slot_start, end=slot_end, past=slot_start < now,
                          busy=any(begin < slot_end and finish > slot_start for begin, finish in busy))
                     for slot_start, slot_end in day_slots(day)]
            day_cells = DayCells(day=day, cells=cells)
            for visit in mine:
                if timezone.localdate(visit.appointment_at) != day:
                    continue
                home = next((cell for cell in cells if cell.start <= visit.appointment_at < cell.end), None)
                (home.visits if home is not None else day_cells.others).append(visit)
            row_days.append(day_cells)
        rows.append(Row(technician=person, days=row_days))
    return Schedule(center=center, days=dates, rows=rows)


def technician_today(user) -> list:
    """The signed-in technician's home visits of today (Tehran's day), in time order."""
    from .selectors import orders_for

    today = timezone.localdate()
    return _with_area(orders_for(user).filter(
        kind=RepairOrder.Kind.HOME, assignee=user, appointment_at__gte=at(today, datetime.time.min),
        appointment_at__lt=at(today + datetime.timedelta(days=1), datetime.time.min),
    ).select_related("customer", "state", "product_model").prefetch_related("faults__fault_code"))


def reception_link_query(*, center, technician, start: datetime.datetime) -> dict:
    """What the reception page is opened with from a free slot: a home call at the center, the
    technician and the time (as the Jalali date-time input reads it)."""
    query = {"kind": RepairOrder.Kind.HOME, "center": center.pk,
             "appointment_at": jalali.format_datetime(start, latin_digits=True)}
    if technician is not None:
        query["assignee"] = technician.pk
    return query

