"""Appointments, plans and daily reports over REST (F49, F56): scoping, the services' rules as 400 field errors."""

import datetime

import pytest
from django.utils import timezone

from aftersales.core import jalali
from aftersales.crm import services
from aftersales.crm.models import Appointment, AppointmentPlan, DailyReport

pytestmark = pytest.mark.django_db


def _j(day: datetime.date) -> str:
    return jalali.format_date(day, latin_digits=True)


@pytest.fixture
def tomorrow():
    return timezone.localdate() + datetime.timedelta(days=1)


def _as(api_client, user):
    api_client.force_authenticate(user)
    return api_client


def test_booking_by_jalali_time_and_listing_by_range(api_client, lead, visitor_a, tomorrow):
    client = _as(api_client, visitor_a)
    response = client.post("/api/appointments/", {"party": lead.pk, "at": f"{_j(tomorrow)} ۱۰:۳۰", "kind": "call",
                                                  "notes": "پیگیری پیش‌فاکتور"}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["kind"], body["status"], body["marketer"], body["at_jalali"]) == (
        "call", "booked", visitor_a.pk, f"{_j(tomorrow)} 10:30")
    listed = client.get("/api/appointments/", {"from": _j(tomorrow), "to": _j(tomorrow)}).json()
    assert [row["id"] for row in listed] == [body["id"]]
    assert client.get("/api/appointments/", {"to": _j(timezone.localdate())}).json() == []
    assert client.get("/api/appointments/", {"from": "1405/13/40"}).status_code == 400


def test_an_appointment_outside_the_plan_is_a_400_on_at_in_persian(api_client, lead, marketing_manager, visitor_a):
    today = timezone.localdate()
    response = _as(api_client, marketing_manager).post("/api/appointment-plans/", {
        "party": lead.pk, "kind": "visit", "count": 2, "start_date": _j(today),
        "end_date": _j(today + datetime.timedelta(days=6)), "marketer": visitor_a.pk}, format="json")
    assert response.status_code == 201, response.json()
    plan = response.json()
    assert (plan["count"], plan["booked"], plan["to_book"], plan["marketer"]) == (2, 0, 2, visitor_a.pk)
    outside = timezone.make_aware(datetime.datetime.combine(today + datetime.timedelta(days=9), datetime.time(10)))
    response = _as(api_client, visitor_a).post("/api/appointments/", {
        "party": lead.pk, "at": outside.isoformat(), "plan": plan["id"]}, format="json")
    assert response.status_code == 400
    assert "این برنامه از" in response.json()["at"][0]
    assert not Appointment.objects.exists()


def test_a_plan_whose_period_ends_before_it_starts_is_a_400(api_client, lead, marketing_manager):
    today = timezone.localdate()
    response = _as(api_client, marketing_manager).post("/api/appointment-plans/", {
        "party": lead.pk, "count": 1, "start_date": _j(today), "end_date": _j(today - datetime.timedelta(days=1))},
        format="json")
    assert response.status_code == 400 and "end_date" in response.json()
    assert not AppointmentPlan.objects.exists()


def test_a_visitor_cannot_plan_and_another_center_cannot_book(api_client, lead, visitor_a, visitor_b, tomorrow):
    today = timezone.localdate()
    response = _as(api_client, visitor_a).post("/api/appointment-plans/", {
        "party": lead.pk, "count": 1, "start_date": _j(today), "end_date": _j(tomorrow)}, format="json")
    assert response.status_code == 403
    response = _as(api_client, visitor_b).post("/api/appointments/", {"party": lead.pk, "at": f"{_j(tomorrow)} 10:00"},
                                               format="json")
    assert response.status_code == 400 and "party" in response.json()  # another center's party is no choice


def test_plans_list_counts_booked_done_and_cancelled(api_client, lead, marketing_manager, visitor_a, tomorrow):
    plan = services.plan_create(party=lead, kind="visit", count=3, start_date=timezone.localdate(), end_date=tomorrow,
                                acting_user=marketing_manager)
    at = timezone.now() + datetime.timedelta(minutes=30)
    kept = services.appointment_book(party=lead, at=at, plan=plan, acting_user=visitor_a)
    services.contact_record(customer=lead.customer, kind="visit", notes="انجام شد", appointment=kept,
                            acting_user=visitor_a)
    dropped = services.appointment_book(party=lead, at=at, plan=plan, acting_user=visitor_a)
    response = _as(api_client, visitor_a).post(f"/api/appointments/{dropped.pk}/cancel/")
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    rows = _as(api_client, marketing_manager).get("/api/appointment-plans/").json()
    assert [(row["id"], row["booked"], row["done"], row["cancelled"], row["to_book"]) for row in rows] == [
        (plan.pk, 1, 1, 1, 2)]
    again = _as(api_client, visitor_a).post(f"/api/appointments/{dropped.pk}/cancel/")
    assert again.status_code == 400


def test_daily_reports_are_filed_by_their_owner_and_commented_by_the_manager(api_client, lead, visitor_a, manager_a,
                                                                             manager_b):
    services.contact_record(customer=lead.customer, kind="visit", notes="بازدید", acting_user=visitor_a)
    response = _as(api_client, visitor_a).post("/api/daily-reports/", {"day": _j(timezone.localdate()),
                                                                       "note": "یک بازدید"}, format="json")
    assert response.status_code == 201, response.json()
    report = response.json()
    assert (report["user"], report["note"], report["counts"]["visits"]) == (visitor_a.pk, "یک بازدید", 1)
    future = _as(api_client, visitor_a).post("/api/daily-reports/", {"day": _j(timezone.localdate()
                                                                               + datetime.timedelta(days=1))})
    assert future.status_code == 400 and "day" in future.json()

    assert [row["id"] for row in _as(api_client, manager_b).get("/api/daily-reports/").json()] == []
    assert _as(api_client, manager_b).post(f"/api/daily-reports/{report['id']}/comment/",
                                           {"comment": "x"}).status_code == 404
    client = _as(api_client, manager_a)
    assert [row["id"] for row in client.get("/api/daily-reports/").json()] == [report["id"]]
    assert client.post(f"/api/daily-reports/{report['id']}/comment/", {"comment": " "}).status_code == 400
    response = client.post(f"/api/daily-reports/{report['id']}/comment/", {"comment": "خوب است"})
    assert response.status_code == 200 and response.json()["manager_comment"] == "خوب است"
    assert _as(api_client, visitor_a).post(f"/api/daily-reports/{report['id']}/comment/",
                                           {"comment": "x"}).status_code == 403
    assert DailyReport.objects.get().manager_comment == "خوب است"


def test_the_schema_documents_the_endpoints(api_client, head_office):
    schema = _as(api_client, head_office).get("/api/schema/", {"format": "json"}).json()
    for path in ("/api/appointments/", "/api/appointments/{id}/cancel/", "/api/appointment-plans/",
                 "/api/daily-reports/", "/api/daily-reports/{id}/comment/"):
        assert path in schema["paths"], path
