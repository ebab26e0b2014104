"""The home-service schedule (issue 13): day and week per technician with the free slots, booking into a
real gap (overlap, working hours, Friday and the past refused with nothing written), the technician's
list of today's visits, the API, scoping."""

import datetime
import html
import re
import zoneinfo
from urllib.parse import parse_qs, urlparse

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from aftersales.customers.models import Customer
from aftersales.organization.roles import Role
from aftersales.repairs.models import RepairOrder

from ..factories import UserFactory

pytestmark = pytest.mark.django_db

TEHRAN = zoneinfo.ZoneInfo("Asia/Tehran")
SATURDAY = datetime.date(2026, 12, 5)  # 1405/09/14
MONDAY = datetime.date(2026, 12, 7)  # 1405/09/16
TUESDAY = datetime.date(2026, 12, 8)
FRIDAY = datetime.date(2026, 12, 11)


def tehran(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=TEHRAN)


@pytest.fixture
def monday_morning():
    """Monday 1405/09/16, 07:00 in Tehran: the whole working day is still to come."""
    with time_machine.travel(tehran(MONDAY, 7), tick=False) as traveller:
        yield traveller


def _home_profile(user, center):
    from aftersales.personnel.models import StaffProfile

    StaffProfile.objects.create(user=user, center=center, does_home_service=True)
    return user


@pytest.fixture
def home_tech(technician_a, center_a):
    technician_a.first_name, technician_a.last_name = "رضا", "کریمی"
    technician_a.save()
    return _home_profile(technician_a, center_a)


@pytest.fixture
def home_tech_2(center_a):
    return _home_profile(UserFactory(username="technician_a2", first_name="مهدی", last_name="نوری",
                                     role=Role.TECHNICIAN, centers=[center_a]), center_a)


@pytest.fixture
def home_tech_b(center_b):
    return _home_profile(UserFactory(username="technician_b", first_name="علی", last_name="اصفهانی",
                                     role=Role.TECHNICIAN, centers=[center_b]), center_b)


@pytest.fixture
def book(receive):
    def _book(when, technician=None, **options):
        options.setdefault("address", "نارمک، خیابان گلبرگ، پلاک ۱۲")
        return receive(kind="home", appointment_at=when, assignee=technician, **options)

    return _book


def _row(plan, technician):
    return next(row for row in plan.rows if row.technician == technician)


def test_day_view_shows_the_booked_visits_and_the_free_slots_per_technician(
        monday_morning, book, client, reception_a, center_a, home_tech, home_tech_2, owner):
    visit = book(tehran(MONDAY, 10), home_tech)
    unassigned = book(tehran(MONDAY, 15), address="تهرانپارس، خیابان جشنواره")
    client.force_login(reception_a)
    page = client.get(reverse("repairs:schedule"), {"date": "۱۴۰۵/۰۹/۱۶", "center": center_a.pk})
    assert page.status_code == 200
    text = page.content.decode()
    plan = page.context["plan"]
    assert [row.technician for row in plan.rows] == [home_tech, home_tech_2, None]  # by name, then "unassigned"
    # 08:00–17:00 in one-hour visits: nine slots, in Persian digits on screen
    assert len(plan.slot_times) == 9 and "۰۸:۰۰" in text and "۱۶:۰۰" in text and "۱۷:۰۰</th>" not in text
    mine = _row(plan, home_tech).days[0]
    assert [cell.start.astimezone(TEHRAN).hour for cell in mine.cells if not cell.free] == [10]
    assert mine.cells[2].visits == [visit] and len(mine.free_cells) == 8
    assert len(_row(plan, home_tech_2).days[0].free_cells) == 9
    assert _row(plan, None).days[0].cells[7].visits == [unassigned]
    # the visit as the receptionist reads it: number (a link to the order), customer, area, state
    assert reverse("repairs:order", args=[visit.pk]) in text and owner.known_name in text
    assert "نارمک" in text and "تهرانپارس" in text and visit.state.name in text
    assert text.count('data-testid="free-slot"') == 8 + 9
    assert "رضا کریمی" in text and "مهدی نوری" in text


def test_the_week_view_runs_from_saturday_with_persian_day_names_and_friday_off(
        monday_morning, book, client, reception_a, center_a, home_tech):
    book(tehran(MONDAY, 9), home_tech)
    book(tehran(TUESDAY, 11), home_tech)
    client.force_login(reception_a)
    page = client.get(reverse("repairs:schedule"), {"view": "week", "date": "1405/09/18", "center": center_a.pk})
    assert page.status_code == 200
    plan, text = page.context["plan"], page.content.decode()
    assert plan.days[0] == SATURDAY and plan.days[-1] == FRIDAY
    heads = re.findall(r'<th scope="col" class="[^"]*"><a href="[^"]*">([^<]+)<br>', text)
    assert [head.replace("\u200c", "") for head in heads] == [
        "شنبه", "یکشنبه", "دوشنبه", "سهشنبه", "چهارشنبه", "پنجشنبه", "جمعه"]
    days = _row(plan, home_tech).days
    assert [len(day.free_cells) for day in days] == [0, 0, 8, 8, 9, 9, 0]  # the past, two visits, Friday off
    assert [len(day.visits) for day in days] == [0, 0, 1, 1, 0, 0, 0]
    assert "تعطیل" in text or "day off" in text
    assert page.context["previous_url"].count("1405%2F09%2F11") and page.context["next_url"].count("1405%2F09%2F25")


def test_a_free_slot_opens_the_reception_desk_prefilled(monday_morning, client, reception_a, center_a, home_tech):
    client.force_login(reception_a)
    page = client.get(reverse("repairs:schedule"), {"date": "1405/09/16", "center": center_a.pk})
    first = _row(page.context["plan"], home_tech).days[0].cells[0]
    link = urlparse(first.book_url)
    assert link.path == reverse("repairs:reception")
    assert parse_qs(link.query) == {"kind": ["home"], "center": [str(center_a.pk)], "assignee": [str(home_tech.pk)],
                                    "appointment_at": ["1405/09/16 08:00"]}
    assert html.escape(first.book_url) in page.content.decode()
    desk = client.get(first.book_url)
    form = desk.context["form"]
    assert form["kind"].value() == "home" and str(form["center"].value()) == str(center_a.pk)
    assert str(form["assignee"].value()) == str(home_tech.pk) and form["appointment_at"].value() == "1405/09/16 08:00"
    text = desk.content.decode()
    assert 'value="1405/09/16 08:00"' in text and f'<option value="{home_tech.pk}" selected>' in text


def test_booking_through_the_desk_into_a_gap_assigns_the_technician(
        monday_morning, client, reception_a, center_a, home_tech, fridge_model):
    client.force_login(reception_a)
    response = client.post(reverse("repairs:reception"), {
        "center": center_a.pk, "mobile": "09121112233", "customer_name": "نگار رحیمی", "kind": "home",
        "product_model": fridge_model.pk, "description": "یخچال سرد نمی‌کند", "address": "پونک، خیابان عدل",
        "appointment_at": "1405/09/16 11:00", "assignee": home_tech.pk, "submission": "s-1"})
    assert response.status_code == 302, response.context["form"].errors
    order = RepairOrder.objects.get()
    assert order.assignee == home_tech and order.appointment_at == tehran(MONDAY, 11)
    assert order.referrals.get().to_user == home_tech


@pytest.mark.parametrize("when, reason", [
    (tehran(MONDAY, 10, 30), "already has a home visit"),  # overlaps 10:00–11:00
    (tehran(MONDAY, 16, 30), "between"),  # would end after 17:00
    (tehran(MONDAY, 7), "between"),  # before the working day
    (tehran(FRIDAY, 10), "not a working day"),
    (tehran(MONDAY, 6), "passed"),  # before now (07:00)
])
def test_a_home_visit_that_does_not_fit_is_refused_and_nothing_is_written(monday_morning, book, home_tech, when,
                                                                          reason, settings):
    settings.LANGUAGE_CODE = "en"
    book(tehran(MONDAY, 10), home_tech)
    orders, customers = RepairOrder.objects.count(), Customer.objects.count()
    with pytest.raises(ValidationError) as refused:
        book(when, home_tech, customer=None, customer_mobile="09127778899", customer_name="کاوه امینی")
    assert reason in " ".join(refused.value.message_dict["appointment_at"])
    assert RepairOrder.objects.count() == orders and Customer.objects.count() == customers


def test_the_refusals_read_in_persian(monday_morning, book, home_tech):
    book(tehran(MONDAY, 10), home_tech)
    with pytest.raises(ValidationError) as refused:
        book(tehran(MONDAY, 10, 30), home_tech)
    assert "۱۰:۰۰" in refused.value.message_dict["appointment_at"][0]
    assert "رضا کریمی" in refused.value.message_dict["appointment_at"][0]
    with pytest.raises(ValidationError) as refused:
        book(tehran(FRIDAY, 10), home_tech)
    assert "جمعه" in refused.value.message_dict["appointment_at"][0]


def test_the_desk_refuses_an_overlap_with_the_reason_on_the_field(
        monday_morning, book, client, reception_a, center_a, home_tech, fridge_model):
    book(tehran(MONDAY, 10), home_tech)
    client.force_login(reception_a)
    response = client.post(reverse("repairs:reception"), {
        "center": center_a.pk, "mobile": "09121112233", "customer_name": "نگار رحیمی", "kind": "home",
        "product_model": fridge_model.pk, "description": "یخچال سرد نمی‌کند", "address": "پونک، خیابان عدل",
        "appointment_at": "1405/09/16 10:30", "assignee": home_tech.pk, "submission": "s-2"})
    assert response.status_code == 400
    assert response.context["form"].errors["appointment_at"]
    assert RepairOrder.objects.count() == 1 and not Customer.objects.filter(mobile="09121112233").exists()


def test_a_closed_visit_frees_its_slot_and_another_technicians_visit_does_not_clash(
        monday_morning, book, home_tech, home_tech_2, reception_a):
    from aftersales.repairs.services import order_transition

    first = book(tehran(MONDAY, 10), home_tech)
    assert book(tehran(MONDAY, 10), home_tech_2).assignee == home_tech_2
    order_transition(order=first, code="cancel", acting_user=reception_a, comment="مشتری منصرف شد")
    assert book(tehran(MONDAY, 10), home_tech).assignee == home_tech


def test_a_technician_of_another_center_cannot_be_booked(monday_morning, book, home_tech_b):
    with pytest.raises(ValidationError) as refused:
        book(tehran(MONDAY, 10), home_tech_b)
    assert "assignee" in refused.value.message_dict and not RepairOrder.objects.exists()


def test_another_centers_visits_are_invisible_and_its_center_cannot_be_picked(
        monday_morning, book, client, reception_a, reception_b, center_a, center_b, home_tech, home_tech_b,
        head_office):
    from aftersales.customers.models import Customer

    other = book(tehran(MONDAY, 9), home_tech_b, center=center_b, acting_user=reception_b,
                 customer=Customer.objects.create(kind="person", first_name="بهرام", last_name="صفوی",
                                                  mobile="09131234567"), address="اصفهان، جلفا")
    client.force_login(reception_a)
    page = client.get(reverse("repairs:schedule"), {"date": "1405/09/16"})
    text = page.content.decode()
    assert page.context["center"] == center_a and other.number not in text and "بهرام" not in text
    assert "علی اصفهانی" not in text and f'value="{center_b.pk}"' not in text
    refused = client.get(reverse("repairs:schedule"), {"date": "1405/09/16", "center": center_b.pk})
    assert refused.status_code == 400 and "plan" not in refused.context and "بهرام" not in refused.content.decode()
    client.force_login(head_office)
    page = client.get(reverse("repairs:schedule"), {"date": "1405/09/16", "center": center_b.pk})
    assert page.status_code == 200 and "بهرام" in page.content.decode()


def test_a_technicians_visit_at_another_center_makes_the_slot_busy_without_showing_it(
        monday_morning, book, client, reception_a, reception_b, center_a, center_b, home_tech):
    home_tech.centers.add(center_b)
    book(tehran(MONDAY, 9), home_tech, center=center_b, acting_user=reception_b, address="اصفهان، جلفا")
    client.force_login(reception_a)
    page = client.get(reverse("repairs:schedule"), {"date": "1405/09/16", "center": center_a.pk})
    cell = _row(page.context["plan"], home_tech).days[0].cells[1]
    assert cell.busy and not cell.visits and "جلفا" not in page.content.decode()


def test_the_htmx_request_gets_the_grid_only(monday_morning, client, reception_a, center_a, home_tech):
    client.force_login(reception_a)
    page = client.get(reverse("repairs:schedule"), {"date": "1405/09/16", "view": "week"}, HTTP_HX_REQUEST="true")
    text = page.content.decode()
    assert page.status_code == 200 and 'data-testid="schedule-week"' in text and "<html" not in text


def test_the_technicians_today_page_lists_only_their_visits_of_tehrans_today_in_order(
        monday_morning, book, client, home_tech, home_tech_2):
    late = book(tehran(TUESDAY, 14), home_tech, description="ماشین لباسشویی آب را تخلیه نمی‌کند")
    early = book(tehran(TUESDAY, 9), home_tech, address="پیروزی، خیابان نبرد")
    book(tehran(MONDAY, 10), home_tech)  # yesterday, seen from Tuesday
    book(tehran(TUESDAY, 11), home_tech_2)  # a colleague's
    with time_machine.travel(tehran(TUESDAY, 0, 30), tick=False):  # the UTC day is still Monday
        client.force_login(home_tech)
        page = client.get(reverse("repairs:schedule-today"))
    assert page.status_code == 200
    assert page.context["visits"] == [early, late]
    text = page.content.decode()
    assert text.index("۰۹:۰۰") < text.index("۱۴:۰۰") and 'href="tel:09121234567"' in text
    assert "پیروزی" in text and "آب را تخلیه نمی‌کند" in text
    assert reverse("repairs:order", args=[early.pk]) in text


def test_schedule_api_returns_visits_and_free_slots_in_the_callers_centers(
        monday_morning, book, api_client, reception_a, center_a, center_b, home_tech):
    visit = book(tehran(MONDAY, 10), home_tech)
    api_client.force_authenticate(reception_a)
    response = api_client.get(reverse("api-repairs-schedule"),
                              {"center": center_a.pk, "from": "۱۴۰۵/۰۹/۱۶", "to": "2026-12-08"})
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["from"] == "2026-12-07" and data["to"] == "2026-12-08" and data["visit_minutes"] == 60
    assert [item["order"] for item in data["visits"]] == [visit.pk]
    assert data["visits"][0]["technician"] == home_tech.pk and data["visits"][0]["area"] == "نارمک"
    assert len(data["free_slots"]) == 8 + 9 and data["technicians"] == [{"id": home_tech.pk, "name": "رضا کریمی"}]
    refused = api_client.get(reverse("api-repairs-schedule"), {"center": center_b.pk})
    assert refused.status_code == 400 and "center" in refused.json()
    assert api_client.get(reverse("api-repairs-schedule"), {"from": "1405/13/40"}).status_code == 400


def test_reception_api_books_a_technician_and_refuses_an_overlap(monday_morning, book, api_client, reception_a,
                                                                 center_a, home_tech, fridge_model):
    book(tehran(MONDAY, 10), home_tech)
    api_client.force_authenticate(reception_a)
    body = {"center": center_a.pk, "customer_mobile": "09121112233", "customer_name": "نگار رحیمی", "kind": "home",
            "product_model": fridge_model.pk, "description": "سرد نمی‌کند", "address": "پونک، خیابان عدل",
            "assignee": home_tech.pk}
    url = reverse("api-repairs-reception")
    refused = api_client.post(url, {**body, "appointment_at": "2026-12-07T10:30:00+03:30"}, format="json")
    assert refused.status_code == 400 and "appointment_at" in refused.json()
    assert RepairOrder.objects.count() == 1 and not Customer.objects.filter(mobile="09121112233").exists()
    booked = api_client.post(url, {**body, "appointment_at": "2026-12-07T11:00:00+03:30"}, format="json")
    assert booked.status_code == 201, booked.content
    assert booked.json()["assignee"] == home_tech.pk


def test_the_api_schema_has_the_schedule(client):
    schema = client.get(reverse("api-schema")).content.decode()
    assert "/api/repairs/schedule/" in schema and "free_slots" in schema


def test_the_demo_books_this_weeks_home_visits_with_several_today_for_the_technician(
        monday_morning, center_a, fridge_model, owner, client):
    import random

    from aftersales.catalog.models import ProductUnit
    from aftersales.repairs.demo_schedule import seed_home_visits

    UserFactory(username="reception", role=Role.RECEPTIONIST, centers=[center_a])
    technician = _home_profile(UserFactory(username="technician", role=Role.TECHNICIAN, centers=[center_a]), center_a)
    colleague = _home_profile(UserFactory(username="teh01-03", role=Role.TECHNICIAN, centers=[center_a]), center_a)
    for number in range(60):
        ProductUnit.objects.create(serial=f"DEMO-{number}", brand=fridge_model.brand, product_model=fridge_model,
                                   owner=owner)
    assert "home visits" in seed_home_visits(size="small", rng=random.Random(7))
    visits = RepairOrder.objects.filter(kind="home", center=center_a)
    today = visits.filter(appointment_at__date=MONDAY)  # the test database's time zone is Tehran's
    assert today.filter(assignee=technician).count() == 4 and today.filter(assignee=colleague).count() == 2
    assert not visits.filter(appointment_at__lt=tehran(MONDAY, 7)).exists()
    assert not visits.filter(appointment_at__date=FRIDAY).exists()
    assert visits.filter(appointment_at__date__gt=MONDAY, assignee__isnull=True).exists()
    assert seed_home_visits(size="small", rng=random.Random(7)) == "already present"
    client.force_login(technician)
    assert len(client.get(reverse("repairs:schedule-today")).context["visits"]) == 4


def test_automatic_assignment_gives_a_home_visit_only_to_a_technician_free_then(
        monday_morning, book, center_a, home_tech, home_tech_2):
    book(tehran(MONDAY, 10), home_tech)
    center_a.auto_assign = True
    center_a.save()
    assert book(tehran(MONDAY, 10)).assignee == home_tech_2
    assert book(tehran(MONDAY, 10)).assignee is None  # both are out then: it waits for someone to take it
    assert book(tehran(MONDAY, 12)).assignee in (home_tech, home_tech_2)


@pytest.mark.parametrize("query", [{}, {"view": "week"}])
def test_the_date_box_shows_the_day_on_screen_when_none_was_asked_for(monday_morning, client, reception_a, center_a,
                                                                        home_tech, query):
    client.force_login(reception_a)
    page = client.get(reverse("repairs:schedule"), query)
    assert page.status_code == 200
    box = re.search(r'<input[^>]*name="date"[^>]*>', page.content.decode()).group(0)
    assert 'value="1405/09/16"' in box or 'value="۱۴۰۵/۰۹/۱۶"' in box, box
