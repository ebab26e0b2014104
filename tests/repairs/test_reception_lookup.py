"""Reception by any number (issue 20): a customer who brings a warranty card, a sale invoice or a
subscription number is received against the right unit with its warranty — not as "serial not
registered"; a number of several units lists them and the receptionist chooses one."""

import pytest
from django.urls import reverse

from aftersales.catalog.models import ProductUnit
from aftersales.core.persian import to_persian_digits
from aftersales.repairs.models import RepairOrder
from tests.helpers import nothing_written

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(client, reception_a):
    client.force_login(reception_a)
    return client


@pytest.fixture
def invoice_units(warranted_unit, fridge_model):
    """The warranted unit and two more sold on its invoice «F-1405/88»; the second has no warranty card."""
    warranted_unit.sale_invoice_no = "F-1405/88"
    warranted_unit.save()
    others = [ProductUnit.objects.create(serial=f"RF-520-010{n}", brand=fridge_model.brand, product_model=fridge_model,
                                         sale_invoice_no="F-1405/88") for n in (1, 2)]
    return [warranted_unit, *others]


def _form(center, **fields):
    return {"center": center.pk, "mobile": "09121234567", "kind": "in_center", "description": "یخچال سرد نمی‌کند",
            "submission": "lookup-1", **fields}


def _card_number(unit) -> str:
    number = unit.warranty_cards.get().number
    return to_persian_digits(f"{number[:4]}-{number[4:8]}-{number[8:]}")


def test_a_unit_is_received_by_its_warranty_card_number_with_its_warranty(desk, center_a, warranted_unit):
    typed = _card_number(warranted_unit)
    preview = desk.get(reverse("repairs:reception-warranty"), {"serial": typed}).content.decode()
    assert 'data-state="active"' in preview and 'data-testid="unit-match"' in preview
    assert "کارت گارانتی" in preview and "RF-۵۲۰-۰۰۰۱" in preview  # the serial as registered
    answer = desk.post(reverse("repairs:reception"), _form(center_a, serial=typed))
    assert answer.status_code == 302, answer.content.decode()[:3000]
    order = RepairOrder.objects.get()
    assert order.unit == warranted_unit and order.is_warranty and order.warranty_state == "active"
    assert order.product_model == warranted_unit.product_model


def test_a_number_of_several_units_is_received_against_the_one_chosen(desk, center_a, invoice_units):
    preview = desk.get(reverse("repairs:reception-warranty"), {"serial": "f ۱۴۰۵ ۸۸"}).content.decode()
    assert preview.count('data-testid="unit-choice"') == 3 and "data-state=" not in preview
    with nothing_written():
        answer = desk.post(reverse("repairs:reception"), _form(center_a, serial="f ۱۴۰۵ ۸۸"))
    assert answer.status_code == 400 and "۳ دستگاه" in answer.content.decode()
    chosen = invoice_units[1]
    preview = desk.get(reverse("repairs:reception-warranty"), {"serial": "f ۱۴۰۵ ۸۸", "unit": chosen.pk}).content.decode()
    assert 'data-state="not_activated"' in preview  # the chosen unit's own warranty (it has no card)
    answer = desk.post(reverse("repairs:reception"), _form(center_a, serial="f ۱۴۰۵ ۸۸", unit=chosen.pk))
    assert answer.status_code == 302
    order = RepairOrder.objects.get()
    assert order.unit == chosen and not order.is_warranty  # no card: not the warranted unit's warranty


def test_the_warranted_unit_of_an_invoice_is_received_under_warranty(desk, center_a, invoice_units):
    warranted = invoice_units[0]
    answer = desk.post(reverse("repairs:reception"), _form(center_a, serial="F-1405/88", unit=warranted.pk))
    assert answer.status_code == 302
    order = RepairOrder.objects.get()
    assert order.unit == warranted and order.is_warranty and order.warranty_state == "active"


def test_a_choice_that_the_number_does_not_name_is_not_taken(desk, center_a, invoice_units, fridge_model):
    stranger = ProductUnit.objects.create(serial="OTHER-1", brand=fridge_model.brand, product_model=fridge_model)
    with nothing_written():
        answer = desk.post(reverse("repairs:reception"), _form(center_a, serial="F140588", unit=stranger.pk))
    assert answer.status_code == 400


def test_the_reception_api_finds_the_unit_by_its_card(api_client, reception_a, center_a, warranted_unit, owner):
    api_client.force_authenticate(reception_a)
    answer = api_client.post("/api/repairs/orders/", {
        "center": center_a.pk, "customer_mobile": owner.mobile, "description": "صدا می‌دهد",
        "serial": warranted_unit.warranty_cards.get().number}, format="json")
    assert answer.status_code == 201, answer.content
    order = RepairOrder.objects.get()
    assert order.unit == warranted_unit and order.is_warranty


def test_the_reception_api_takes_the_unit_chosen_among_an_invoices_units(api_client, reception_a, center_a,
                                                                         invoice_units, owner):
    api_client.force_authenticate(reception_a)
    order = {"center": center_a.pk, "customer_mobile": owner.mobile, "description": "صدا می‌دهد", "serial": "F-1405/88"}
    with nothing_written():
        answer = api_client.post("/api/repairs/orders/", order, format="json")
    assert answer.status_code == 400 and "serial" in answer.json()
    with nothing_written():
        answer = api_client.post("/api/repairs/orders/", {**order, "unit": 10**9}, format="json")
    assert answer.status_code == 400 and "unit" in answer.json()
    answer = api_client.post("/api/repairs/orders/", {**order, "unit": invoice_units[2].pk}, format="json")
    assert answer.status_code == 201, answer.content
    assert RepairOrder.objects.get().unit == invoice_units[2]
