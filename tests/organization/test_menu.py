"""The top menu groups each role's pages by subject (organization.menu), issue 13."""

import pytest
from django.utils import translation

from aftersales.organization.menu import menu_for

pytestmark = pytest.mark.django_db


def _menu(user):
    with translation.override("en"):
        return {group.key: [label for label, _ in entries] for group, entries in menu_for(user)}


def test_superuser_sees_every_group_in_order(django_user_model):
    root = django_user_model.objects.create_superuser("root", password="x-Pass-123")
    with_labels = menu_for(root)
    assert [group.key for group, _ in with_labels] == [
        "workshop", "warranty", "warehouse-billing", "customers", "crm", "sales", "master-data", "administration"]
    hrefs = [href for _, entries in with_labels for _, href in entries]
    assert "/repairs/reception/" in hrefs and "/data/customers/" in hrefs and "/data/warranty-cards/" in hrefs
    assert len(hrefs) == len(set(hrefs))  # a page is listed once


def test_receptionist_sees_only_what_they_may_open(reception_a):
    menu = _menu(reception_a)
    assert "Reception" in menu["workshop"]
    assert "Customers" in menu["customers"] and "Complaints" in menu["customers"]
    assert "Desk (master data)" not in menu.get("administration", [])
    assert "Campaigns" not in menu.get("customers", [])


def test_menu_page_links_render_for_the_receptionist(client, reception_a):
    client.force_login(reception_a)
    page = client.get("/").content.decode()
    assert 'data-menu-group="workshop"' in page and "/repairs/reception/" in page
    assert "/marketing/campaigns/" not in page


def test_anonymous_visitor_has_no_menu():
    from django.contrib.auth.models import AnonymousUser

    assert menu_for(AnonymousUser()) == []
