"""The demo's portal customer (issue 22): the README tells a visitor to sign in with this mobile."""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from aftersales.portal.demo import DEMO_MOBILE

pytestmark = pytest.mark.django_db


def test_the_demo_customer_signs_in_and_sees_units_in_every_state_an_estimate_and_what_is_owed(client, portal_sign_in):
    call_command("seed_demo", "--size", "small")
    portal_sign_in(client, mobile=DEMO_MOBILE)
    home = client.get(reverse("portal:home")).content.decode()
    assert home.count('data-testid="portal-estimate-waiting"') == 1
    units = client.get(reverse("portal:units")).content.decode()
    assert sorted(re.findall(r'data-testid="portal-unit" data-state="(\w+)"', units)) == [
        "active", "active", "expired", "expired", "not_activated"]
    pages = [client.get(reverse("portal:unit", args=[pk])).content.decode()
             for pk in re.findall(r'href="/portal/units/(\d+)/"', units)]
    assert sum('data-testid="portal-next-visit"' in page for page in pages) >= 1  # the air conditioner's service
    repairs = client.get(reverse("portal:repairs")).content.decode()
    orders = re.findall(r'href="/portal/repairs/(\d+)/"', repairs)
    assert len(orders) == 2
    details = [client.get(reverse("portal:repair", args=[pk])).content.decode() for pk in orders]
    assert sum('data-testid="portal-estimate"' in page for page in details) == 1
    owed = [page for page in details if 'data-testid="portal-owed"' in page]
    assert len(owed) == 1 and re.search(r'data-testid="portal-invoice" data-owed="[1-9]\d*"', owed[0])
    assert 'data-testid="portal-handback-pdf"' in owed[0]
