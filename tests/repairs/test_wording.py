"""Wording a customer reads: the hand-back receipt is titled and printed as such, a unit handed back
reads "delivered to the customer" (not «مرجوع شده», a sale returned), and the shipped labels."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from aftersales.catalog.models import ProductUnit, UnitEvent
from aftersales.repairs.services import operation_add, order_hand_back, order_transition
from aftersales.workflow.models import State, Transition

pytestmark = pytest.mark.django_db


@pytest.fixture
def handed_back(receive, warranted_unit, technician_a, manager_a, reception_a, service_item):
    order = receive(unit=warranted_unit)
    for code, user in (("start_diagnosis", technician_a), ("start_repair", technician_a)):
        order = order_transition(order=order, code=code, acting_user=user)
    operation_add(order=order, acting_user=technician_a, service_item=service_item, minutes=30)
    order = order_transition(order=order, code="to_quality_check", acting_user=technician_a)
    order = order_transition(order=order, code="quality_passed", acting_user=manager_a)
    return order_hand_back(order=order, handed_back_to="سارا احمدی", acting_user=reception_a, version=order.version)


def test_the_hand_back_page_is_titled_and_printed_as_the_hand_back_receipt(client, handed_back, reception_a):
    client.force_login(reception_a)
    page = client.get(reverse("repairs:order-handback-receipt", args=[handed_back.pk])).content.decode()
    title = page[page.index("<title>"):page.index("</title>")]
    assert "رسید تحویل" in title and "رسید پذیرش" not in title
    pdf_url = reverse("repairs:order-receipt-pdf", args=[handed_back.pk, "a5"]) + "?handback=1"
    assert pdf_url in page
    answer = client.get(pdf_url)
    assert answer.status_code == 200 and "handback-" in answer["Content-Disposition"]
    reception = client.get(reverse("repairs:order-receipt", args=[handed_back.pk])).content.decode()
    assert "رسید پذیرش" in reception[reception.index("<title>"):reception.index("</title>")]


def test_a_unit_handed_back_reads_delivered_to_the_customer(handed_back, warranted_unit):
    warranted_unit.refresh_from_db()
    assert warranted_unit.get_status_display() == "تحویل مشتری شده"
    event = UnitEvent.objects.filter(unit=warranted_unit).latest("occurred_at")
    assert event.get_kind_display() == "تحویل به مشتری"
    assert ProductUnit.Status.RETURNED.label != "مرجوع شده"


def test_the_shipped_labels_read_as_a_customer_would():
    steps = dict(Transition.objects.filter(workflow__code="repair").values_list("code", "name"))
    assert steps["quality_passed"] == "کیفیت تأیید شد" and steps["cancel"] == "لغو پذیرش"
    assert State.objects.get(workflow__code="repair", code="delivered").name == "تحویل مشتری شده"


def test_the_migration_relabels_an_installed_workflow_and_keeps_an_administrators_label():
    wording = importlib.import_module("aftersales.repairs.migrations.0007_workflow_wording")
    shipped = Transition.objects.filter(workflow__code="repair")
    shipped.filter(code="quality_passed").update(name="تأیید کیفیت")  # installed before
    shipped.filter(code="cancel").update(name="ابطال")  # an administrator's own
    wording.relabel(apps, None)
    assert shipped.get(code="quality_passed").name == "کیفیت تأیید شد"
    assert shipped.get(code="cancel").name == "ابطال"
