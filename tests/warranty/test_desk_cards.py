"""Warranty cards on the desk and its API are issued by the numbering service and never edited there."""

import datetime

import pytest

from aftersales.catalog.models import ProductUnit
from aftersales.warranty.models import WarrantyCard
from aftersales.warranty.services import card_number_clean, warranty_card_issue

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_unit(unit):
    return ProductUnit.objects.create(serial="SN-1405-0002", brand=unit.brand, product_model=unit.product_model,
                                      production_date=datetime.date(2026, 1, 10))


def test_api_post_issues_a_numbered_card(admin_user, api_client, unit, client):
    api_client.force_authenticate(admin_user)
    response = api_client.post("/api/warranty-cards/", {"unit": unit.pk}, format="json")
    assert response.status_code == 201
    card = WarrantyCard.objects.get()
    assert card.number and card_number_clean(card.number) == card.number  # check digit holds
    assert response.json()["number"] == card.number and response.json()["status"] == "issued"
    client.force_login(admin_user)
    assert client.get(f"/data/units/{unit.pk}/").status_code == 200


def test_api_post_for_a_unit_with_a_live_card_is_a_field_error(admin_user, api_client, unit):
    warranty_card_issue(unit=unit)
    api_client.force_authenticate(admin_user)
    response = api_client.post("/api/warranty-cards/", {"unit": unit.pk}, format="json")
    assert response.status_code == 400 and list(response.json()) == ["unit"]
    assert WarrantyCard.objects.count() == 1


def test_api_refuses_to_move_or_redate_a_card(admin_user, api_client, unit, other_unit):
    card = warranty_card_issue(unit=unit)
    warranty_card_issue(unit=other_unit)
    api_client.force_authenticate(admin_user)
    for method in (api_client.put, api_client.patch):
        response = method(f"/api/warranty-cards/{card.pk}/", {"unit": other_unit.pk, "purchase_date": "2026-01-01"},
                          format="json")
        assert response.status_code == 405
    card.refresh_from_db()
    assert card.unit == unit and card.purchase_date is None


def test_desk_page_issues_a_numbered_card_and_offers_no_edit(admin_user, client, unit):
    client.force_login(admin_user)
    form = client.get("/data/warranty-cards/new/").content.decode()
    assert 'name="serial"' in form and "<select" not in form.split('name="serial"')[0].rsplit("<form", 1)[-1]
    response = client.post("/data/warranty-cards/new/", {"serial": unit.serial.lower()})
    card = WarrantyCard.objects.get()
    assert response.status_code == 302 and card.number
    assert client.get(f"/data/warranty-cards/{card.pk}/edit/").status_code == 403
    assert f"/data/warranty-cards/{card.pk}/edit/" not in client.get(f"/data/warranty-cards/{card.pk}/").content.decode()
    second = client.post("/data/warranty-cards/new/", {"serial": unit.serial})
    assert second.status_code == 200 and second.context["form"].errors and WarrantyCard.objects.count() == 1
    unknown = client.post("/data/warranty-cards/new/", {"serial": "NO-SUCH-1"})
    assert "serial" in unknown.context["form"].errors and WarrantyCard.objects.count() == 1


@pytest.mark.parametrize("overrides, field", [
    ({"purchase_date": "9999-12-31"}, "purchase_date"),
    ({"purchase_date": "1405/13/01"}, "purchase_date"),
    ({"installation_date": "2099-01-01"}, "installation_date"),
    ({"owner_name": "x" * 1_000_000}, "owner_name"),
    ({"number": "1" * 1_000_000}, "number"),
])
def test_card_activation_api_refuses_implausible_dates_and_over_long_text(admin_user, api_client, unit, overrides, field):
    card = warranty_card_issue(unit=unit)
    api_client.force_authenticate(admin_user)
    payload = {"number": card.number, "purchase_date": "2026-03-30", "owner_mobile": "09121234567", **overrides}
    response = api_client.post("/api/warranty/cards/activate/", payload, format="json")
    assert response.status_code == 400 and field in response.json()
    card.refresh_from_db()
    assert card.status == "issued"
