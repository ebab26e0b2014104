"""The portal's lists read a fixed number of statements however much the customer owns (issue 22's figure: pages
under 100 ms for a customer with 20 units and 100 repairs; ``benchmarks/bench_portal.py`` measures it)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aftersales.catalog.models import ProductUnit
from aftersales.warranty.services import warranty_card_activate, warranty_card_issue

pytestmark = pytest.mark.django_db


def _statements(client, url) -> int:
    client.get(url)  # the policies are kept per process for a while: the second request is the one counted
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_my_products_home_and_repairs_read_as_many_statements_for_six_units_as_for_one(
        client, portal_sign_in, warranted_unit, owner, receive):
    portal_sign_in(client)
    receive(unit=warranted_unit)
    pages = [reverse("portal:units"), reverse("portal:home"), reverse("portal:repairs")]
    before = [_statements(client, url) for url in pages]
    for index in range(5):
        unit = ProductUnit.objects.create(serial=f"RF-520-01{index}", brand=warranted_unit.brand,
                                          product_model=warranted_unit.product_model, owner=owner)
        card = warranty_card_issue(unit=unit)
        warranty_card_activate(number=card.number, purchase_date=warranted_unit.warranty_cards.get().purchase_date,
                               channel="staff")
        receive(unit=unit)
    assert client.get(reverse("portal:units")).content.decode().count('data-testid="portal-unit"') == 6
    assert [_statements(client, url) for url in pages] == before
