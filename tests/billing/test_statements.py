"""Technicians' statements of work (F24): labour, minutes and commission in a period, seen by the right people."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from aftersales.billing.statements import technician_statement, technicians_for
from aftersales.catalog.models import ServiceItem
from aftersales.organization.roles import Role
from aftersales.personnel.models import StaffProfile
from aftersales.repairs.models import Operation, RepairOrder

from ..factories import UserFactory

pytestmark = pytest.mark.django_db

START, END = datetime.date(2026, 3, 21), datetime.date(2026, 4, 20)  # 1405/01/01 – 1405/01/31


def _at(day: datetime.date, hour: int = 12) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.fixture
def install(fridge_model):
    return ServiceItem.objects.create(code="INSTALL", title="نصب یخچال", labour_price=1_800_000,
                                      product_group=fridge_model.group)


@pytest.fixture
def work(receive, technician_a, service_item, install):
    """Technician A's operations: two in the period (one under warranty), one on each side of it."""
    paid, warranty = receive(), receive()
    RepairOrder.objects.filter(pk=warranty.pk).update(is_warranty=True)
    RepairOrder.objects.filter(pk=paid.pk).update(is_warranty=False)

    def operation(order, item, minutes, when):
        return Operation.objects.create(order=order, service_item=item, minutes=minutes, technician=technician_a,
                                        performed_at=when)

    return {
        "first_day": operation(paid, service_item, 45, _at(START, 0) + datetime.timedelta(minutes=1)),
        "last_day": operation(warranty, install, 30, _at(END, 23) + datetime.timedelta(minutes=58)),
        "before": operation(paid, service_item, 20, _at(START - datetime.timedelta(days=1), 23)),
        "after": operation(paid, install, 20, _at(END + datetime.timedelta(days=1), 0)),
        "paid": paid, "warranty": warranty,
    }


@pytest.fixture
def colleague(center_a):
    return UserFactory(username="technician_a2", role=Role.TECHNICIAN, centers=[center_a])


def test_lists_the_operations_of_the_period_with_their_labour(work, technician_a):
    statement = technician_statement(technician=technician_a, start=START, end=END)
    assert [row["operation"] for row in statement["rows"]] == [work["first_day"].pk, work["last_day"].pk]
    first, last = statement["rows"]
    assert (first["order_number"], first["service"], first["minutes"], first["labour"], first["is_warranty"]) == (
        work["paid"].number, "شارژ گاز", 45, 2_500_000, False)
    assert (last["labour"], last["is_warranty"]) == (1_800_000, True)
    assert statement["labour"] == 4_300_000 and statement["minutes"] == 75


def test_period_bounds_include_both_days_and_nothing_outside(work, technician_a):
    one_day = technician_statement(technician=technician_a, start=START, end=START)
    assert [row["operation"] for row in one_day["rows"]] == [work["first_day"].pk]
    day_before = START - datetime.timedelta(days=1)
    assert [row["operation"] for row in technician_statement(technician=technician_a, start=day_before,
                                                             end=day_before)["rows"]] == [work["before"].pk]


def test_commission_is_the_profiles_share_of_labour_in_whole_rials(work, technician_a, center_a):
    StaffProfile.objects.create(user=technician_a, center=center_a, commission_percent=Decimal("12.35"))
    statement = technician_statement(technician=technician_a, start=START, end=END)
    assert statement["commission"] == 531_050  # 4,300,000 × 12.35% = 531,050
    assert isinstance(statement["commission"], int)


def test_commission_is_zero_without_a_staff_profile(work, technician_a):
    assert technician_statement(technician=technician_a, start=START, end=END)["commission"] == 0


def test_counts_only_the_technicians_own_work(work, colleague):
    statement = technician_statement(technician=colleague, start=START, end=END)
    assert statement["rows"] == [] and statement["labour"] == 0 and statement["minutes"] == 0


def test_technician_may_see_only_themselves_and_manager_sees_the_centers_technicians(
        technician_a, colleague, manager_a, manager_b):
    assert list(technicians_for(technician_a)) == [technician_a]
    assert set(technicians_for(manager_a)) == {technician_a, colleague}
    assert list(technicians_for(manager_b)) == []


def test_a_receptionist_sees_only_their_own_statement_and_an_accountant_the_centers(
        technician_a, colleague, reception_a, center_a):
    from aftersales.organization.roles import Role
    from tests.factories import UserFactory

    accountant = UserFactory(username="accountant_a", role=Role.ACCOUNTANT, centers=[center_a])
    assert list(technicians_for(reception_a)) == [reception_a]
    assert set(technicians_for(accountant)) == {technician_a, colleague}


def _query(technician, start="1405/01/01", end="1405/01/31"):
    return {"technician": technician.pk, "start": start, "end": end}


def test_statement_page_shows_the_totals(login, work, technician_a, manager_a):
    StaffProfile.objects.create(user=technician_a, center=center_of(manager_a), commission_percent=Decimal("10"))
    response = login(manager_a).get(reverse("billing:statement"), _query(technician_a))
    assert response.status_code == 200
    statement = response.context["statement"]
    assert statement["labour"] == 4_300_000 and statement["commission"] == 430_000
    assert 'data-testid="statement-table"' in response.content.decode()


def center_of(user):
    return user.centers.get()


def test_technician_sees_their_own_month_on_first_visit(login, technician_a):
    response = login(technician_a).get(reverse("billing:statement"))
    assert response.status_code == 200 and response.context["statement"]["technician"] == technician_a


def test_technician_cannot_see_a_colleagues_statement(login, work, technician_a, colleague):
    client = login(colleague)
    assert client.get(reverse("billing:statement"), _query(technician_a)).status_code == 403
    assert client.get(reverse("billing:statement-pdf"), _query(technician_a)).status_code == 403


def test_manager_of_another_center_cannot_see_the_statement(login, work, technician_a, manager_b):
    assert login(manager_b).get(reverse("billing:statement"), _query(technician_a)).status_code == 403


def test_bad_period_is_a_form_error(login, technician_a):
    response = login(technician_a).get(reverse("billing:statement"), _query(technician_a, start="1405/02/01"))
    assert response.status_code == 400 and response.context["statement"] is None


def test_statement_pdf_is_a_pdf(login, work, technician_a):
    response = login(technician_a).get(reverse("billing:statement-pdf"), _query(technician_a))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
