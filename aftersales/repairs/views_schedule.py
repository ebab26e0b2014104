"""The home visits schedule (issue 13): day and week per technician with the free slots to book into,
and the technician's list of today's visits for the phone."""

import datetime
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from aftersales.core import jalali

from . import schedule as home
from .forms import ScheduleFilterForm


def _query(**values) -> str:
    return "?" + urlencode({name: value for name, value in values.items() if value not in (None, "")})


def _show_day(form, day: datetime.date) -> None:
    """The date box shows the day on screen (today when none was asked for), not an empty box that the
    date picker fills with the start of the Jalali year."""
    if form.is_bound:
        form.data = form.data.copy()
        form.data["date"] = jalali.format_date(day, latin_digits=True)
    else:
        form.initial["date"] = day


@login_required
@permission_required("repairs.view_repairorder", raise_exception=True)
def schedule(request):
    """Rows per technician who does home service at the center (and one for unassigned visits), a day
    cut into visit slots or a Jalali week from Saturday; each free slot opens the reception desk
    prefilled with the home call, the center, the technician and the time. htmx gets the grid only."""
    form = ScheduleFilterForm(request.GET or None, user=request.user)
    template = "repairs/partials/schedule_grid.html" if request.htmx else "repairs/schedule.html"
    if form.is_bound and not form.is_valid():
        return render(request, template, {"form": form}, status=400)
    data = form.cleaned_data if form.is_bound else {}
    center = data.get("center") or form.fields["center"].queryset.first()
    if center is None:
        return render(request, template, {"form": form})
    view = data.get("view") or "day"
    day = data.get("date") or timezone.localdate()
    _show_day(form, day)
    technician = data.get("technician")
    start, days, step = (home.week_start(day), 7, 7) if view == "week" else (day, 1, 1)
    plan = home.home_schedule(user=request.user, center=center, start=start, days=days, technician=technician)
    if request.user.has_perm("repairs.add_repairorder"):
        desk = reverse("repairs:reception")
        for row in plan.rows:
            for cells in row.days:
                for cell in cells.cells:
                    if not cell.past and (cell.free or row.technician is None):
                        cell.book_url = desk + _query(**home.reception_link_query(
                            center=center, technician=row.technician, start=cell.start))

    def link(to: datetime.date, as_view: str = view) -> str:
        return reverse("repairs:schedule") + _query(view=as_view, date=jalali.format_date(to, latin_digits=True),
                                                    center=center.pk, technician=technician.pk if technician else "")

    today = timezone.localdate()
    context = {
        "form": form, "plan": plan, "center": center, "view": view, "day": day, "today": today,
        "start": start, "end": start + datetime.timedelta(days=days - 1),
        "previous_url": link(day - datetime.timedelta(days=step)), "next_url": link(day + datetime.timedelta(days=step)),
        "today_url": link(today), "day_url": link(day, "day"), "week_url": link(day, "week"),
        "week_days": [(d, link(d, "day")) for d in plan.days],
        "visit_minutes": home.visit_length().seconds // 60,
    }
    return render(request, template, context)


@login_required
@permission_required("repairs.view_repairorder", raise_exception=True)
def schedule_today(request):
    """The signed-in technician's home visits of today (Tehran's day) in time order, for the phone:
    time, customer, tap-to-call mobile, address with its area, the fault, the order."""
    visits = home.technician_today(request.user)
    return render(request, "repairs/schedule_today.html", {"visits": visits, "today": timezone.localdate()})
