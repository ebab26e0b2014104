"""The portal's lists do only the work they show: the home page's five newest products, my repairs a page at a time
with the open ones first."""

import re

import pytest
from django.urls import reverse

from aftersales.catalog.models import ProductUnit
from aftersales.portal import selectors
from aftersales.repairs.models import RepairOrder
from aftersales.workflow.models import State

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, owner, portal_sign_in):
    portal_sign_in(client)
    return client


def test_home_reads_the_warranty_of_the_five_products_it_shows_not_of_every_one(signed_in, monkeypatch, owner,
                                                                                 warranted_unit):
    for index in range(7):
        ProductUnit.objects.create(serial=f"RF-HOME-{index}", brand=warranted_unit.brand,
                                   product_model=warranted_unit.product_model, owner=owner)
    asked = []
    real = selectors.units_warranty_status

    def counting(units, on=None):
        units = list(units)
        asked.append(len(units))
        return real(units, on)

    monkeypatch.setattr(selectors, "units_warranty_status", counting)
    home = signed_in.get(reverse("portal:home")).content.decode()
    assert asked == [5]
    shown = re.findall(r"RF-HOME-(\d)", home)
    assert shown == ["6", "5", "4", "3", "2"]  # the newest five
    asked.clear()
    assert signed_in.get(reverse("portal:units")).content.decode().count('data-testid="portal-unit"') == 8
    assert asked == [8]


def test_my_repairs_come_twenty_a_page_the_open_ones_first_with_a_persian_pager(signed_in, receive):
    opened = [receive(serial=f"OPEN-{index}") for index in range(3)]  # the oldest: newest-first would page them out
    finished = [receive(serial=f"DONE-{index:02}") for index in range(19)]
    final = State.objects.filter(workflow=finished[0].state.workflow, is_final=True).first()
    RepairOrder.objects.filter(pk__in=[order.pk for order in finished]).update(state=final)

    first = signed_in.get(reverse("portal:repairs")).content.decode()
    states = re.findall(r'data-testid="portal-order" data-state="([\w-]+)"', first)
    assert len(states) == 20 and final.code not in states[:3] and set(states[3:]) == {final.code}
    for order in opened:
        assert f'href="{reverse("portal:repair", args=[order.pk])}"' in first
    assert 'data-testid="portal-repairs-pager"' in first and "صفحه ۱ از ۲" in first and "?page=2" in first

    second = signed_in.get(reverse("portal:repairs") + "?page=2").content.decode()
    rows = re.findall(r'href="/portal/repairs/(\d+)/" data-testid="portal-order" data-state="([\w-]+)"', second)
    assert [state for _pk, state in rows] == [final.code, final.code]
    assert {int(pk) for pk, _state in rows} == {finished[1].pk, finished[0].pk}  # the two oldest finished
    assert "صفحه ۲ از ۲" in second and "?page=1" in second
    assert "<h2 class=\"h6\">در جریان</h2>" not in second  # no empty "in progress" on a page of finished ones
    assert "<h2 class=\"h6\">در جریان</h2>" in first
