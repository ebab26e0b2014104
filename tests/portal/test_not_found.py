"""A customer who reaches a portal address with nothing for them gets the portal's own "not found" page: its header
and a way home, in Persian, still a 404, and the same page whether the row is someone else's or no one's."""

import re

import pytest
from django.urls import reverse

from aftersales.catalog.models import ProductUnit
from aftersales.customers.models import Customer

pytestmark = pytest.mark.django_db


def _without_csrf(page: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)


def test_another_customers_unit_and_a_missing_one_show_the_same_portal_page(client, owner, portal_sign_in,
                                                                           fridge_model):
    portal_sign_in(client)
    other = Customer.objects.create(kind="person", first_name="رضا", last_name="کریمی", mobile="09127776655")
    theirs = ProductUnit.objects.create(serial="OTHER-404", brand=fridge_model.brand, product_model=fridge_model,
                                        owner=other)
    someone_elses = client.get(reverse("portal:unit", args=[theirs.pk]))
    missing = client.get(reverse("portal:unit", args=[theirs.pk + 1000]))
    assert someone_elses.status_code == missing.status_code == 404
    page = someone_elses.content.decode()
    assert 'data-testid="portal-not-found"' in page and "صفحه پیدا نشد" in page
    assert f'href="{reverse("portal:home")}" data-testid="portal-not-found-home"' in page
    assert 'data-testid="portal-bar"' in page and 'data-testid="portal-who"' in page  # still signed in, in the portal
    assert "داشبورد" not in page and "OTHER-404" not in page and "کریمی" not in page
    assert _without_csrf(page) == _without_csrf(missing.content.decode())
    assert "no-cache" in someone_elses["Cache-Control"]


def test_an_unknown_portal_address_shows_the_portal_page_to_a_visitor_not_signed_in(client):
    response = client.get("/portal/no-such-page/")
    page = response.content.decode()
    assert response.status_code == 404 and 'data-testid="portal-not-found"' in page
    assert 'data-testid="portal-bar"' not in page
    assert 'name="viewport" content="width=device-width, initial-scale=1"' in page and 'lang="fa" dir="rtl"' in page


def test_the_staff_side_keeps_its_own_not_found_page(client, reception_a):
    client.force_login(reception_a)
    response = client.get("/data/no-such-page/")
    page = response.content.decode()
    assert response.status_code == 404 and 'data-testid="portal-not-found"' not in page
    assert "صفحه پیدا نشد" in page and "بازگشت به داشبورد" in page
