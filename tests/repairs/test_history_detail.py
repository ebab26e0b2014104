"""A unit's and a customer's history in full detail (F15, F20, F27): each visit opens to everything
recorded on it, periodic services stand in the same timeline with who gave them, and a periodic
service counts in the technician's statement of work."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from aftersales.billing.services import invoice_issue
from aftersales.billing.statements import technician_statement
from aftersales.feedback.services import survey_answer, survey_invite
from aftersales.repairs.models import OrderFault, PartLine
from aftersales.repairs.parts import part_issue, part_replacement_record
from aftersales.repairs.services import fault_add, operation_add, part_request
from aftersales.warranty.models import PolicyVersion
from aftersales.warranty.services import periodic_schedule_create, periodic_service_record

from ..factories import UserFactory

pytestmark = pytest.mark.django_db


def _visit(html: str, marker: str) -> str:
    """The ``<details>`` block of one visit of the history panel."""
    found = re.search(r'<details[^>]*data-testid="%s"[^>]*>.*?</details>' % marker, html, re.S)
    assert found, f"no {marker} in the history"
    return found.group(0)


@pytest.fixture
def worked_order(receive, technician_a, keeper_a, stocked, compressor_part, service_item, reception_a):
    """A paid visit: a reported and a found fault, a gas charge of 40 minutes, a compressor swapped
    (serials in and out, the old one back to the manufacturer), invoiced, and the survey answered."""
    order = receive(serial="NON-HIST-1", description="صدای زیاد دارد")
    fault_add(order=order, acting_user=reception_a, note="صدای زیاد", source=OrderFault.Source.REPORTED)
    fault_add(order=order, acting_user=technician_a, note="کمپرسور سوخته", source=OrderFault.Source.FOUND)
    operation_add(order=order, acting_user=technician_a, service_item=service_item, minutes=40, note="نشتی گرفته شد")
    line = part_request(order=order, acting_user=technician_a, spare_part=compressor_part, quantity=1)
    line = part_issue(line=line, warehouse=stocked, quantity=1, acting_user=keeper_a)
    part_replacement_record(line=line, acting_user=technician_a, new_serial="CMPNEW77", old_serial="CMPOLD11",
                            fate=PartLine.Fate.TO_MANUFACTURER)
    invoice = invoice_issue(orders=[order], acting_user=reception_a)
    survey = survey_invite(mobile=order.customer.mobile, customer=order.customer, center=order.center,
                           ref=f"repairs.repairorder:{order.pk}")
    survey_answer(token=survey.token, score=4, recommend=9, comment="خوب بود")
    return {"order": order, "invoice": invoice}


def test_a_visit_on_the_customers_page_opens_to_everything_recorded_on_it(login, reception_a, worked_order):
    order = worked_order["order"]
    page = login(reception_a).get(reverse("desk:detail", args=["customers", order.customer.pk]))
    html = _visit(page.content.decode(), "history-order")
    for seen in ("صدای زیاد", "کمپرسور سوخته", "اعلام مشتری", "نشتی گرفته شد", "CMPNEW77", "CMPOLD11",
                 "۴۰", "کریمی", "به سازنده برگشت داده شد", "۴ از ۵", "خوب بود"):
        assert seen in html, seen
    assert "reported by the customer" not in html
    assert f"{worked_order['invoice'].number}"[-3:].translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")) in html
    assert "۱۸٬۰۰۰٬۰۰۰" in html  # the compressor's price


def test_the_invoice_is_not_shown_to_who_may_not_see_invoices(login, technician_a, worked_order):
    order = worked_order["order"]
    page = login(technician_a).get(reverse("desk:detail", args=["customers", order.customer.pk]))
    assert page.status_code == 200
    html = _visit(page.content.decode(), "history-order")
    assert "CMPOLD11" in html and "صورتحساب خدمات" not in html


@pytest.fixture
def periodic_unit(warranted_unit):
    """The warranted unit with two free monthly visits, the first due today."""
    version = PolicyVersion.objects.get(policy__code="fridge-18")
    PolicyVersion.objects.filter(pk=version.pk).update(free_periodic_services=2, periodic_interval_months=1)
    version.refresh_from_db()
    today = timezone.localdate()
    start = today.replace(day=1) if today.day <= 28 else today.replace(day=28)
    periodic_schedule_create(unit=warranted_unit, version=version, start=start - datetime.timedelta(days=31))
    return warranted_unit


@pytest.fixture
def colleague(center_a):
    from aftersales.organization.roles import Role

    return UserFactory(username="technician_a2", role=Role.TECHNICIAN, centers=[center_a], first_name="رضا",
                       last_name="نوری")


def test_a_periodic_visit_records_who_gave_it_and_stands_in_the_units_and_customers_history(
        login, periodic_unit, reception_a, colleague, receive):
    receive(unit=periodic_unit)
    visit = periodic_service_record(unit=periodic_unit, acting_user=reception_a, performed_by=colleague,
                                    work_done="شستشوی کندانسور", minutes=25)
    assert (visit.performed_by, visit.done_by, visit.minutes) == (colleague, reception_a, 25)
    client = login(reception_a)
    for slug, pk in (("units", periodic_unit.pk), ("customers", periodic_unit.owner_id)):
        html = client.get(reverse("desk:detail", args=[slug, pk])).content.decode()
        shown = _visit(html, "history-periodic")
        assert "رضا نوری" in shown and "شستشوی کندانسور" in shown and "۲۵" in shown


def test_the_periodic_visit_form_names_the_technician_who_gave_it(login, periodic_unit, manager_a, colleague):
    client = login(manager_a)
    page = client.get(reverse("desk:detail", args=["units", periodic_unit.pk]))
    assert 'name="performed_by"' in page.content.decode()
    client.post(reverse("warranty:periodic-record", args=[periodic_unit.pk]),
                {"performed_by": colleague.pk, "work_done": "سرویس دوره‌ای", "minutes": "۳۰"})
    visit = periodic_unit.periodic_services.get(done_on__isnull=False)
    assert (visit.performed_by, visit.done_by, visit.minutes, visit.work_done) == (colleague, manager_a, 30,
                                                                                   "سرویس دوره‌ای")


def test_a_periodic_visit_counts_in_the_technicians_statement(periodic_unit, reception_a, colleague):
    periodic_service_record(unit=periodic_unit, acting_user=reception_a, performed_by=colleague, minutes=25)
    today = timezone.localdate()
    statement = technician_statement(technician=colleague, start=today, end=today)
    assert [(row["service"], row["minutes"], row["is_warranty"]) for row in statement["rows"]] == [
        ("سرویس دوره‌ای ۱", 25, True)]
    assert statement["minutes"] == 25
    assert technician_statement(technician=reception_a, start=today, end=today)["rows"] == []


def test_the_statement_page_lists_the_periodic_visit(login, periodic_unit, reception_a, colleague, manager_a):
    periodic_service_record(unit=periodic_unit, acting_user=reception_a, performed_by=colleague, minutes=25)
    from aftersales.core import jalali

    today = jalali.format_date(timezone.localdate(), latin_digits=True)
    page = login(manager_a).get(reverse("billing:statement"), {"technician": colleague.pk, "start": today,
                                                                "end": today})
    assert page.status_code == 200 and periodic_unit.serial in page.content.decode()


def test_the_history_reads_a_fixed_number_of_queries_whatever_the_visits(
        rf, receive, technician_a, service_item, reception_a, django_assert_max_num_queries, owner):
    from django.db import connection
    from django.template.loader import render_to_string
    from django.test.utils import CaptureQueriesContext

    from aftersales.repairs.views import customer_history_panel

    def visit():
        order = receive(serial=f"NON-Q-{owner.repair_orders.count()}")
        fault_add(order=order, acting_user=technician_a, note="خرابی")
        operation_add(order=order, acting_user=technician_a, service_item=service_item, minutes=10)

    def panel():
        request = rf.get("/")
        request.user = type(reception_a).objects.get(pk=reception_a.pk)
        context = customer_history_panel(request, owner)
        return render_to_string("repairs/partials/history_panel.html", context, request=request), context

    visit()
    with CaptureQueriesContext(connection) as one_visit:
        panel()
    for _ in range(5):
        visit()
    with django_assert_max_num_queries(len(one_visit.captured_queries)):
        html, context = panel()
    assert len(context["history"]) == 6 and html.count('data-testid="history-order"') == 6
