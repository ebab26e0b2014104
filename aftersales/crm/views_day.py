"""Pages of appointments and plans (F49), the marketer's day and the daily reports (F56)."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aftersales.core import jalali
from aftersales.organization.scoping import scope_queryset

from . import day as selectors
from . import services
from .forms_day import (AppointmentForm, CalendarFilterForm, CommentForm, DailyReportForm, DayForm, MonthFilterForm,
                        PlanForm, ReportFilterForm, service_errors)
from .models import Appointment, DailyReport, Party


def _party(request, pk) -> Party:
    return get_object_or_404(scope_queryset(Party.objects.select_related("customer", "marketer"), request.user), pk=pk)


def _day_query(day: datetime.date) -> str:
    return jalali.format_date(day, latin_digits=True)


# --- plans and appointments ---------------------------------------------------------------------------------

@login_required
@permission_required("crm.add_appointmentplan", raise_exception=True)
def plan_create(request, pk):
    """A manager plans N visits or calls with a party for a period (F49)."""
    party = _party(request, pk)
    form = PlanForm(request.POST or None, user=request.user, party=party)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                plan = services.plan_create(party=party, kind=data["kind"], count=data["count"],
                                            start_date=data["start_date"], end_date=data["end_date"],
                                            marketer=data["marketer"], acting_user=request.user)
            except ValidationError as error:
                service_errors(form, error)
            else:
                messages.success(request, _("The plan is saved: %(plan)s.") % {"plan": plan})
                return redirect(f"{reverse('crm:plan-progress')}?day={_day_query(plan.start_date)}")
        status = 400
    return render(request, "crm/plan_form.html", {"form": form, "party": party}, status=status)


@login_required
@permission_required("crm.add_appointment", raise_exception=True)
def appointment_book(request, pk):
    """Book an appointment with a party in the calendar, on its own or as one of a plan's (F49)."""
    party = _party(request, pk)
    form = AppointmentForm(request.POST or None, party=party)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                appointment = services.appointment_book(party=party, at=data["at"], kind=data["kind"],
                                                        plan=data["plan"], notes=data["notes"],
                                                        acting_user=request.user)
            except ValidationError as error:
                service_errors(form, error, aliases={"at": "date"})
            else:
                messages.success(request, _("The appointment is booked for %(at)s.")
                                 % {"at": jalali.format_datetime(appointment.at)})
                day = timezone.localdate(appointment.at)
                return redirect(f"{reverse('crm:appointment-calendar')}?day={_day_query(day)}")
        status = 400
    return render(request, "crm/appointment_form.html", {"form": form, "party": party}, status=status)


@login_required
@permission_required("crm.change_appointment", raise_exception=True)
@require_POST
def appointment_cancel(request, pk):
    appointment = get_object_or_404(scope_queryset(Appointment.objects.select_related("party"), request.user), pk=pk)
    if not selectors.is_team_manager(request.user) and appointment.marketer_id != request.user.pk:
        raise PermissionDenied
    try:
        services.appointment_cancel(appointment=appointment, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The appointment is cancelled."))
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = f"{reverse('crm:appointment-calendar')}?day={_day_query(timezone.localdate(appointment.at))}"
    return redirect(target)


@login_required
@permission_required("crm.view_appointment", raise_exception=True)
def appointment_calendar(request):
    """The Jalali calendar of appointments: a week from Saturday (the default) or a month (F49)."""
    form = CalendarFilterForm(request.GET or None, user=request.user)
    values = form.cleaned_data if form.is_valid() else {}
    view = values.get("view") or "week"
    day = values.get("day") or timezone.localdate()
    manager = selectors.is_team_manager(request.user)
    marketer = values.get("marketer") if manager else None
    context = {"form": form, "view": view, "day": day, "manager": manager, "marketer": marketer,
               "today": timezone.localdate()}
    if view == "month":
        weeks = selectors.month_view(request.user, day, marketer=marketer)
        first, _last = selectors.month_bounds(day)
        context.update(weeks=weeks, week_names=[cell.day for cell in weeks[0]], title_day=first,
                       previous=selectors.previous_month_start(day), next=jalali.next_month_start(day))
    else:
        start = selectors.week_start(day)
        context.update(days=selectors.week_view(request.user, day, marketer=marketer), title_day=start,
                       week_end=start + datetime.timedelta(days=6),
                       previous=start - datetime.timedelta(days=7), next=start + datetime.timedelta(days=7))
    query = {"view": view}
    if marketer is not None:
        query["marketer"] = marketer.pk
    context["query"] = "&".join(f"{name}={value}" for name, value in query.items())
    context.update(day_q=_day_query(day), today_q=_day_query(context["today"]),
                   previous_q=_day_query(context["previous"]), next_q=_day_query(context["next"]))
    return render(request, "crm/appointment_calendar.html", context)


@login_required
@permission_required("crm.view_appointmentplan", raise_exception=True)
def plan_progress(request):
    """Plan vs done per plan, party and marketer for a Jalali month (F49)."""
    form = MonthFilterForm(request.GET or None, user=request.user, initial={"day": timezone.localdate()})
    values = form.cleaned_data if form.is_valid() else {}
    day = values.get("day") or timezone.localdate()
    manager = selectors.is_team_manager(request.user)
    marketer = values.get("marketer") if manager else None
    progress = selectors.plan_progress(request.user, day, marketer=marketer)
    marketer_query = f"&marketer={marketer.pk}" if marketer is not None else ""
    return render(request, "crm/plan_progress.html", {
        "form": form, "progress": progress, "manager": manager, "marketer_query": marketer_query,
        "previous_q": _day_query(selectors.previous_month_start(day)),
        "next_q": _day_query(jalali.next_month_start(day))})


# --- the marketer's day and the daily reports ---------------------------------------------------------------

@login_required
@permission_required("crm.view_party", raise_exception=True)
def day(request):
    """The marketer's day on a phone (F56): appointments, next steps due, what they logged, their report."""
    form = DayForm(request.GET or None)
    chosen = form.cleaned_data.get("day") if form.is_valid() else None
    today = timezone.localdate()
    shown = min(chosen or today, today)
    if not form.is_bound:
        form = DayForm(initial={"day": shown})
    report = DailyReport.objects.filter(user=request.user, day=shown).select_related("commented_by").first()
    report_form = DailyReportForm(initial={"day": shown, "note": report.note if report else ""})
    return render(request, "crm/day.html", {
        "form": form, "content": selectors.marketer_day(request.user, shown), "report": report,
        "report_form": report_form, "can_file": request.user.has_perm("crm.add_dailyreport"),
        "previous_q": _day_query(shown - datetime.timedelta(days=1)),
        "next_q": _day_query(shown + datetime.timedelta(days=1)) if shown < today else ""})


@login_required
@permission_required("crm.add_dailyreport", raise_exception=True)
@require_POST
def daily_report_file(request):
    """File (or refile) the marketer's own report of a day; its content is read live from the log."""
    form = DailyReportForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(message for errors in form.errors.values() for message in errors))
        return redirect("crm:day")
    shown = form.cleaned_data["day"]
    try:
        services.daily_report_file(user=request.user, day=shown, note=form.cleaned_data["note"],
                                   acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your report of %(day)s is filed; your manager reads it.")
                         % {"day": jalali.format_date(shown)})
    return redirect(f"{reverse('crm:day')}?day={_day_query(shown)}")


@login_required
@permission_required("crm.comment_dailyreport", raise_exception=True)
def report_list(request):
    """The team's filed daily reports by day, for their manager (F56)."""
    form = ReportFilterForm(request.GET or None, user=request.user)
    values = form.cleaned_data if form.is_valid() else {}
    reports = selectors.daily_report_list(request.user, day=values.get("day"), marketer=values.get("marketer"))
    days = []
    for report in reports[:300]:
        if not days or days[-1][0] != report.day:
            days.append((report.day, []))
        days[-1][1].append(report)
    return render(request, "crm/report_list.html", {"form": form, "days": days})


def _report(request, pk) -> DailyReport:
    return get_object_or_404(selectors.daily_report_list(request.user), pk=pk)


@login_required
@permission_required("crm.comment_dailyreport", raise_exception=True)
def report_detail(request, pk):
    """A marketer's day as they saw it (computed live from the log), their note, and the comment form."""
    report = _report(request, pk)
    return _report_page(request, report, CommentForm(initial={"comment": report.manager_comment}))


def _report_page(request, report, form, status=200):
    return render(request, "crm/report_detail.html", {
        "report": report, "content": selectors.marketer_day(report.user, report.day), "form": form,
        "can_comment": report.user_id != request.user.pk}, status=status)


@login_required
@permission_required("crm.comment_dailyreport", raise_exception=True)
@require_POST
def daily_report_comment(request, pk):
    report = _report(request, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.daily_report_comment(report=report, comment=form.cleaned_data["comment"],
                                          acting_user=request.user)
        except ValidationError as error:
            service_errors(form, error)
        else:
            messages.success(request, _("Your comment is saved; %(name)s sees it on their day.")
                             % {"name": report.user})
            return redirect("crm:report-detail", pk=report.pk)
    return _report_page(request, report, form, status=400)
