"""Serve by any number (issue 20, F25/F35): one lookup finds a unit by its serial, warranty card, sale
invoice, delivery note or subscription number, typed with any digits and separators; the units list, the
customer search and GET /api/units/lookup/ use it."""

import pytest

from aftersales.catalog.lookup import unit_lookup
from aftersales.catalog.models import ProductUnit
from aftersales.core.persian import to_persian_digits
from aftersales.warranty.services import warranty_card_issue

pytestmark = pytest.mark.django_db


@pytest.fixture
def units(fridge_model, owner):
    """Three units sold on one invoice (and one delivery note); the first has a subscription and a card."""
    made = [ProductUnit.objects.create(serial=f"RF-520-000{n}", brand=fridge_model.brand, product_model=fridge_model,
                                       sale_invoice_no="F-1405/77", delivery_note_no="HV 9",
                                       subscription_no="AB-55" if n == 1 else "", owner=owner if n == 1 else None)
            for n in (1, 2, 3)]
    return made


def _dashed(number: str) -> str:
    return "-".join(number[i:i + 4] for i in range(0, len(number), 4))


def test_a_unit_is_found_by_each_kind_of_number_however_typed(units):
    first = units[0]
    card = warranty_card_issue(unit=first)
    cases = {
        "serial": ["rf520 ۰۰۰۱", "RF-520-0001"],
        "warranty_card": [to_persian_digits(_dashed(card.number)), " ".join(card.number)],
        "subscription": ["ab ۵۵", "AB55"],
    }
    for kind, typed in cases.items():
        for number in typed:
            matches = unit_lookup(number)
            assert [(m.unit.pk, m.kind) for m in matches] == [(first.pk, kind)], (kind, number)
    assert unit_lookup("") == [] and unit_lookup(" - ") == [] and unit_lookup("NOPE-1") == []


def test_an_invoice_of_three_units_lists_all_three(units):
    for number in ("F1405/77", "f-۱۴۰۵-۷۷", "F 1405 77"):
        matches = unit_lookup(number)
        assert sorted(m.unit.pk for m in matches) == sorted(u.pk for u in units)
        assert {m.kind for m in matches} == {"sale_invoice"} and {m.number for m in matches} == {"F-1405/77"}
    assert {m.kind for m in unit_lookup("hv-۹")} == {"delivery_note"} and len(unit_lookup("HV9")) == 3


def test_the_units_list_finds_units_by_card_and_invoice(client, reception_a, units):
    card = warranty_card_issue(unit=units[1])
    client.force_login(reception_a)
    page = client.get("/data/units/", {"q": to_persian_digits(_dashed(card.number))}).content.decode()
    assert f"/data/units/{units[1].pk}/" in page and f"/data/units/{units[0].pk}/" not in page
    page = client.get("/data/units/", {"q": "f 1405 77"}).content.decode()
    assert all(f"/data/units/{unit.pk}/" in page for unit in units)


def test_the_customer_search_finds_the_owner_by_a_number_of_their_unit(client, reception_a, head_office, units, owner):
    card = warranty_card_issue(unit=units[0])
    for user in (reception_a, head_office):  # a center-bound user finds by exact numbers only
        client.force_login(user)
        for number in ("ab-۵۵", to_persian_digits(card.number), "rf 520 0001"):
            page = client.get("/data/customers/", {"q": number}).content.decode()
            assert f"/data/customers/{owner.pk}/" in page, (user, number)
        assert f"/data/customers/{owner.pk}/" not in client.get("/data/customers/", {"q": "RF5200002"}).content.decode()


def test_the_lookup_api_answers_every_unit_of_a_number(api_client, reception_a, units):
    card = warranty_card_issue(unit=units[0])
    api_client.force_authenticate(reception_a)
    answer = api_client.get("/api/units/lookup/", {"number": to_persian_digits(card.number)})
    assert answer.status_code == 200
    assert [(m["unit"], m["kind"], m["serial"], m["number"]) for m in answer.json()["matches"]] == [
        (units[0].pk, "warranty_card", "RF-520-0001", card.number)]
    answer = api_client.get("/api/units/lookup/", {"number": "f-1405-77"})
    assert sorted(m["unit"] for m in answer.json()["matches"]) == sorted(u.pk for u in units)
    assert {m["kind"] for m in answer.json()["matches"]} == {"sale_invoice"}
    assert api_client.get("/api/units/lookup/", {"number": "none-1"}).json()["matches"] == []


def test_the_lookup_api_refuses_an_empty_number_and_strangers(api_client, reception_a, units):
    api_client.force_authenticate(reception_a)
    for number in ("", "  ", "-/"):
        answer = api_client.get("/api/units/lookup/", {"number": number})
        assert answer.status_code == 400 and "number" in answer.json()
    assert api_client.get("/api/units/lookup/").status_code == 400
    assert api_client.get("/api/units/lookup/", {"number": "x" * 101}).status_code == 400
    api_client.force_authenticate(None)
    assert api_client.get("/api/units/lookup/", {"number": "F140577"}).status_code in (401, 403)


def test_the_lookup_api_is_in_the_openapi_schema(api_client, reception_a):
    api_client.force_authenticate(reception_a)
    schema = api_client.get("/api/schema/", {"format": "json"}).json()
    operation = schema["paths"]["/api/units/lookup/"]["get"]
    assert any(parameter["name"] == "number" and parameter["required"] for parameter in operation["parameters"])


def test_the_lookup_api_refuses_a_nul_character(api_client, reception_a):
    api_client.force_authenticate(reception_a)
    assert api_client.get("/api/units/lookup/", {"number": "AB\x0012"}).status_code == 400
    assert unit_lookup("AB\x0012") == []


def test_every_kind_of_number_is_asked_in_one_statement(units):
    """Reception looks up the number of every unit it receives (issue 21): serial, invoice, note,
    subscription, warranty card, component and service contract in one round trip when nothing matches,
    and one more to read the units when something does."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    card = warranty_card_issue(unit=units[0])
    with CaptureQueriesContext(connection) as unknown:
        assert unit_lookup("55501234") == []  # digits: the card and the contracts are asked too
    assert len(unknown.captured_queries) == 1
    with CaptureQueriesContext(connection) as known:
        assert [m.kind for m in unit_lookup(card.number)] == ["warranty_card"]
    assert len(known.captured_queries) == 2
