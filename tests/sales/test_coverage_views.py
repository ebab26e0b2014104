"""The service contracts' units on the pages and over the API (F25): reception sees the contract beside
the warranty, a manager keeps the contract's units, another office sees nothing of them."""

import pytest
from django.urls import reverse

from aftersales.catalog.models import ProductUnit
from aftersales.sales.models import ContractUnit
from aftersales.sales.services_coverage import contract_unit_add

from .test_coverage import make_contract

pytestmark = pytest.mark.django_db


@pytest.fixture
def contract(center_a, owner, manager_a):
    return make_contract(center_a, owner, manager_a, number="1405-000101")


@pytest.fixture
def unit(fridge_model):
    return ProductUnit.objects.create(serial="RF-520-0101", brand=fridge_model.brand, product_model=fridge_model)


@pytest.fixture
def covered(contract, unit, manager_a):
    return contract_unit_add(contract=contract, serial_or_unit=unit, acting_user=manager_a)


def test_reception_shows_the_units_service_contract_beside_the_warranty(login, reception_a, covered):
    page = login(reception_a).get(reverse("repairs:reception-warranty"), {"serial": "rf ۵۲۰ ۰۱۰۱"})
    text = page.content.decode()
    assert 'data-testid="service-contract"' in text
    assert "1405-000101" in text or "۱۴۰۵-۰۰۰۱۰۱" in text
    assert 'data-testid="coverage-visits-left"' in text


def test_reception_of_another_center_does_not_see_the_contract(login, reception_b, covered):
    page = login(reception_b).get(reverse("repairs:reception-warranty"), {"serial": "RF-520-0101"})
    assert 'data-testid="service-contract"' not in page.content.decode()


def test_reception_finds_the_units_by_the_contracts_number(login, reception_a, covered, fridge_model, manager_a):
    second = ProductUnit.objects.create(serial="RF-520-0102", brand=fridge_model.brand, product_model=fridge_model)
    contract_unit_add(contract=covered.contract, serial_or_unit=second, acting_user=manager_a)
    page = login(reception_a).get(reverse("repairs:reception-warranty"), {"serial": "۱۴۰۵-۰۰۰۱۰۱"})
    assert page.content.decode().count('data-testid="unit-choice"') == 2


def test_the_units_page_lists_its_service_contract(login, manager_a, covered, unit):
    page = login(manager_a).get(reverse("desk:detail", args=["units", unit.pk]))
    assert 'data-testid="unit-service-contracts"' in page.content.decode()


def test_a_manager_adds_a_unit_by_serial_and_removes_it(login, manager_a, contract, unit):
    client = login(manager_a)
    answer = client.post(reverse("sales:coverage-unit-add", args=[contract.pk]), {"serial": "rf-520-0101"})
    assert answer.status_code == 302
    covered = ContractUnit.objects.get(contract=contract)
    page = client.get(reverse("sales:coverage-units", args=[contract.pk]), {"q": "0101"})
    assert page.content.decode().count('data-testid="contract-unit"') == 1
    client.post(reverse("sales:coverage-unit-remove", args=[contract.pk, covered.pk]))
    assert not ContractUnit.objects.exists()


def test_an_unknown_serial_on_the_page_is_a_400_with_the_message(login, manager_a, contract):
    answer = login(manager_a).post(reverse("sales:coverage-unit-add", args=[contract.pk]), {"serial": "NOPE"})
    assert answer.status_code == 400
    assert 'data-testid="error-serial"' in answer.content.decode()


def test_a_pasted_list_with_a_bad_line_reports_it_and_adds_nothing(login, manager_a, contract, unit):
    answer = login(manager_a).post(reverse("sales:coverage-units-bulk", args=[contract.pk]),
                                   {"serials": "RF-520-0101\nNOPE-2"})
    assert answer.status_code == 400
    assert "NOPE-2" in answer.content.decode()
    assert not ContractUnit.objects.exists()


def test_a_receptionist_sees_but_cannot_change_the_units(login, reception_a, contract, unit):
    client = login(reception_a)
    assert client.get(reverse("sales:coverage-units", args=[contract.pk])).status_code == 200
    assert client.post(reverse("sales:coverage-unit-add", args=[contract.pk]), {"serial": unit.serial}).status_code == 403


def test_another_centers_manager_gets_a_404(login, manager_b, contract):
    assert login(manager_b).get(reverse("sales:coverage-units", args=[contract.pk])).status_code == 404


def test_the_repair_order_counts_its_visit_under_the_contract_once(login, reception_a, covered, unit, receive):
    order = receive(unit=unit, serial=unit.serial)
    client = login(reception_a)
    page = client.get(reverse("repairs:order", args=[order.pk]))
    assert 'data-testid="visit-count"' in page.content.decode()
    for _ in range(2):
        client.post(reverse("sales:coverage-unit-visit", args=[covered.pk]),
                    {"order": order.pk, "next": reverse("repairs:order", args=[order.pk])})
    covered.refresh_from_db()
    assert covered.visits_used == 1
    assert 'data-testid="visit-counted"' in client.get(reverse("repairs:order", args=[order.pk])).content.decode()


def test_the_service_contracts_list_finds_a_contract_by_a_units_serial(login, manager_a, covered):
    page = login(manager_a).get(reverse("sales:coverage-contracts"), {"q": "rf5200101"})
    assert page.content.decode().count('data-testid="service-contract-row"') == 1


# The API.

def test_api_lists_and_adds_units_and_answers_400_for_a_unit_already_covered(api_client, manager_a, contract, unit):
    api_client.force_authenticate(manager_a)
    url = f"/api/contracts/{contract.pk}/units/"
    added = api_client.post(url, {"serial": "RF 520 0101"}, format="json")
    assert added.status_code == 201 and added.json()["serial"] == "RF-520-0101"
    again = api_client.post(url, {"serial": "RF-520-0101"}, format="json")
    assert again.status_code == 400 and "serial" in again.json()
    listed = api_client.get(url, {"q": "0101"}).json()
    assert listed["count"] == 1
    assert api_client.delete(f"{url}{added.json()['id']}/").status_code == 204


def test_api_bulk_names_each_bad_serial_by_position(api_client, manager_a, contract, unit):
    api_client.force_authenticate(manager_a)
    answer = api_client.post(f"/api/contracts/{contract.pk}/units/bulk/", {"serials": ["RF-520-0101", "NOPE"]},
                             format="json")
    assert answer.status_code == 400 and list(answer.json()["serials"]) == ["1"]


def test_api_hides_another_offices_contract(api_client, manager_b, contract):
    api_client.force_authenticate(manager_b)
    assert api_client.get(f"/api/contracts/{contract.pk}/units/").status_code == 404
    assert api_client.post(f"/api/contracts/{contract.pk}/units/", {"serial": "x"}, format="json").status_code == 404


def test_api_gives_the_units_active_service_contract(api_client, reception_a, reception_b, covered):
    api_client.force_authenticate(reception_a)
    found = api_client.get("/api/units/RF-520-0101/service-contract/").json()
    assert found["service_contract"]["number"] == "1405-000101"
    assert found["service_contract"]["terms"]["visits_left"] == 2
    api_client.force_authenticate(reception_b)
    assert api_client.get("/api/units/RF-520-0101/service-contract/").json()["service_contract"] is None


def test_api_counts_a_visit_and_refuses_beyond_those_included(api_client, reception_a, covered):
    api_client.force_authenticate(reception_a)
    url = f"/api/contract-units/{covered.pk}/visits/"
    assert api_client.post(url, {}, format="json").status_code == 200
    assert api_client.post(url, {}, format="json").status_code == 200
    assert api_client.post(url, {}, format="json").status_code == 400


def test_the_contracts_page_panel_counts_its_units(rf, manager_a, covered):
    from aftersales.sales.views_coverage import contract_units_panel_html

    request = rf.get("/")
    request.user = manager_a
    html = contract_units_panel_html(request, covered.contract)
    assert 'data-testid="contract-units-panel"' in html and 'data-testid="contract-units-manage"' in html
