"""Appointments and plans on the pages (F49): booking, the Jalali calendar, plan vs done."""

import datetime
import re

import pytest
from django.utils import timezone

from aftersales.core import jalali
from aftersales.crm import services
from aftersales.crm.models import Appointment, AppointmentPlan

pytestmark = pytest.mark.django_db


def _j(day: datetime.date) -> str:
    return jalali.format_date(day, latin_digits=True)


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


@pytest.fixture
def tomorrow():
    return timezone.localdate() + datetime.timedelta(days=1)


def test_the_calendar_shows_the_weeks_appointments_in_jalali_from_saturday(login, lead, visitor_a, tomorrow):
    services.appointment_book(party=lead, at=_at(tomorrow, 10, 30), acting_user=visitor_a, notes="نمایش کاتالوگ")
    response = login(visitor_a).get("/crm/appointments/", {"day": _j(tomorrow)})
    assert response.status_code == 200
    page = response.content.decode()
    week = page[page.index('data-testid="calendar-week"'):]
    names = re.findall(r'card-header py-1"><strong>(.*?)</strong>', week)
    assert names == ["شنبه", "یک‌شنبه", "دوشنبه", "سه‌شنبه", "چهارشنبه", "پنج‌شنبه", "جمعه"]  # from Saturday
    cell = week[week.index(f'data-day="{jalali.format_date(tomorrow)}"'):]
    cell = cell[:cell.index("</section>")]
    assert "فروشگاه لوازم خانگی نور" in cell and "۱۰:۳۰" in cell and "نمایش کاتالوگ" in cell
    assert jalali.format_date(tomorrow, "%A") in cell
    assert f"/crm/log/?appointment={Appointment.objects.get().pk}" in cell
    assert f"/crm/parties/{lead.pk}/" in cell


def test_the_month_view_lists_the_jalali_months_appointments(login, lead, visitor_a, tomorrow):
    services.appointment_book(party=lead, at=_at(tomorrow, 9), acting_user=visitor_a)
    response = login(visitor_a).get("/crm/appointments/", {"view": "month", "day": _j(tomorrow)})
    page = response.content.decode()
    assert jalali.format_date(tomorrow, "%B %Y") in page
    cell = page[page.index(f'data-day="{jalali.format_date(tomorrow)}"'):]
    assert "فروشگاه لوازم خانگی نور" in cell[:cell.index("</td>")]


def test_a_visitor_sees_only_their_own_appointments_and_a_manager_filters_by_marketer(
        login, lead, visitor_a, marketing_manager, center_a, tomorrow):
    from tests.factories import UserFactory

    from aftersales.organization.roles import Role

    colleague = UserFactory(username="visitor_a2", role=Role.VISITOR, centers=[center_a])
    services.appointment_book(party=lead, at=_at(tomorrow, 9), acting_user=visitor_a, marketer=visitor_a)
    services.appointment_book(party=lead, at=_at(tomorrow, 11), acting_user=visitor_a, marketer=colleague)
    page = login(colleague).get("/crm/appointments/", {"day": _j(tomorrow)}).content.decode()
    assert "۱۱:۰۰" in page and "۰۹:۰۰" not in page
    client = login(marketing_manager)
    page = client.get("/crm/appointments/", {"day": _j(tomorrow)}).content.decode()
    assert "۱۱:۰۰" in page and "۰۹:۰۰" in page
    page = client.get("/crm/appointments/", {"day": _j(tomorrow), "marketer": visitor_a.pk}).content.decode()
    assert "۰۹:۰۰" in page and "۱۱:۰۰" not in page


def test_booking_on_the_page_puts_it_in_the_calendar(login, lead, visitor_a, tomorrow):
    client = login(visitor_a)
    response = client.post(f"/crm/parties/{lead.pk}/appointments/new/",
                           {"date": jalali.format_date(tomorrow), "time": "۱۴:۱۵", "kind": "call", "notes": ""})
    assert response.status_code == 302
    appointment = Appointment.objects.get()
    assert (appointment.at, appointment.kind, appointment.marketer) == (_at(tomorrow, 14, 15), "call", visitor_a)
    assert "۱۴:۱۵" in client.get(response["Location"]).content.decode()


def test_booking_outside_the_plans_period_shows_the_persian_error(login, lead, marketing_manager, visitor_a):
    today = timezone.localdate()
    response = login(marketing_manager).post(f"/crm/parties/{lead.pk}/plans/new/", {
        "kind": "visit", "count": "۲", "start_date": _j(today), "end_date": _j(today + datetime.timedelta(days=6)),
        "marketer": visitor_a.pk})
    assert response.status_code == 302
    plan = AppointmentPlan.objects.get()
    assert (plan.count, plan.marketer) == (2, visitor_a)
    outside = today + datetime.timedelta(days=10)
    response = login(visitor_a).post(f"/crm/parties/{lead.pk}/appointments/new/", {
        "date": _j(outside), "time": "10:00", "kind": "visit", "plan": plan.pk})
    assert response.status_code == 400
    page = response.content.decode()
    errors = page[page.index('data-testid="error-date"'):]
    assert "این برنامه از" in errors[:400] and jalali.format_date(plan.end_date) in errors[:400]
    assert not Appointment.objects.exists()


def test_a_full_plan_and_a_past_time_are_refused_on_their_fields(login, lead, marketing_manager, visitor_a, tomorrow):
    plan = services.plan_create(party=lead, kind="visit", count=1, start_date=timezone.localdate(),
                                end_date=tomorrow, acting_user=marketing_manager)
    services.appointment_book(party=lead, at=_at(tomorrow, 9), plan=plan, acting_user=visitor_a)
    client = login(visitor_a)
    response = client.post(f"/crm/parties/{lead.pk}/appointments/new/",
                           {"date": _j(tomorrow), "time": "11:00", "kind": "visit", "plan": plan.pk})
    assert response.status_code == 400
    page = response.content.decode()
    assert "قرار این برنامه رزرو شده است" in page[page.index('data-testid="error-plan"'):][:300]
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    response = client.post(f"/crm/parties/{lead.pk}/appointments/new/",
                           {"date": _j(yesterday), "time": "11:00", "kind": "visit"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "زمان این قرار گذشته است" in page[page.index('data-testid="error-date"'):][:300]
    assert Appointment.objects.count() == 1


def test_another_centers_visitor_cannot_book_or_plan_for_the_party(login, lead, visitor_b, manager_b):
    assert login(visitor_b).get(f"/crm/parties/{lead.pk}/appointments/new/").status_code == 404
    assert login(visitor_b).get(f"/crm/parties/{lead.pk}/plans/new/").status_code == 403  # not a planner


def test_cancelling_an_appointment_strikes_it_from_the_plan(login, lead, marketing_manager, visitor_a, tomorrow):
    plan = services.plan_create(party=lead, kind="visit", count=1, start_date=timezone.localdate(),
                                end_date=tomorrow, acting_user=marketing_manager)
    appointment = services.appointment_book(party=lead, at=_at(tomorrow, 9), plan=plan, acting_user=visitor_a)
    response = login(visitor_a).post(f"/crm/appointments/{appointment.pk}/cancel/")
    assert response.status_code == 302
    appointment.refresh_from_db()
    assert appointment.status == "cancelled"
    services.appointment_book(party=lead, at=_at(tomorrow, 10), plan=plan, acting_user=visitor_a)  # its place is free


def test_plan_vs_done_counts_per_party_and_per_marketer(login, lead, marketing_manager, visitor_a, tomorrow):
    today = timezone.localdate()
    first, last = jalali.month_start(today), jalali.next_month_start(today) - datetime.timedelta(days=1)
    plan = services.plan_create(party=lead, kind="visit", count=4, start_date=first, end_date=last,
                                marketer=visitor_a, acting_user=marketing_manager)
    soon = max(timezone.now() + datetime.timedelta(minutes=30), _at(first, 9))
    if timezone.localdate(soon) > last:  # the month's last half hour: book in the plan's period anyway
        soon = timezone.now()
    kept = services.appointment_book(party=lead, at=soon, plan=plan, acting_user=visitor_a)
    services.contact_record(customer=lead.customer, kind="visit", notes="بازدید شد", appointment=kept,
                            acting_user=visitor_a)
    dropped = services.appointment_book(party=lead, at=soon, plan=plan, acting_user=visitor_a)
    services.appointment_cancel(appointment=dropped, acting_user=visitor_a)
    services.appointment_book(party=lead, at=soon, plan=plan, acting_user=visitor_a)
    response = login(marketing_manager).get("/crm/plans/", {"day": _j(today)})
    page = response.content.decode()
    row = page[page.index(f'data-plan="{plan.pk}"'):]
    row = row[:row.index("</tr>")]
    for column, value in (("planned", "۴"), ("booked", "۲"), ("done", "۱"), ("cancelled", "۱"), ("to-book", "۲")):
        assert f'data-col="{column}">{value}<' in row, column
    marketers = page[page.index('data-testid="progress-marketers"'):]
    assert str(visitor_a) in marketers and 'data-col="to-book">۲<' in marketers
    next_month = jalali.next_month_start(today) + datetime.timedelta(days=1)
    assert f'data-plan="{plan.pk}"' not in login(marketing_manager).get("/crm/plans/", {"day": _j(next_month)}
                                                                         ).content.decode()
