"""Roles read in Persian on a center's page, and the admin's help for multi-selects and the password
choice is in Persian (issue 20, "Smaller things seen")."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_centers_page_lists_its_staffs_roles_by_their_persian_names(client, manager_a, technician_a, center_a):
    client.force_login(manager_a)
    page = client.get(reverse("organization:center-detail", args=[center_a.pk])).content.decode()
    assert "تکنسین" in page and "مدیر مرکز" in page
    assert ">technician<" not in page and "center_manager" not in page


def test_the_admins_multi_select_and_password_help_are_persian(admin_client):
    helps = []
    for url in ("/admin/personnel/staffprofile/add/", "/admin/auth/group/add/", "/admin/organization/user/add/"):
        html = admin_client.get(url).content.decode()
        helps += [re.sub(r"<[^>]+>", "", text) for text in re.findall(r'<div class="help"[^>]*>(.*?)</div>\s*</div>', html, re.S)]
    joined = " ".join(helps)
    assert "کلید کنترل" in joined
    for english in ("Control", "Command", "Mac", "Whether the user", "Single Sign-On"):
        assert english not in joined, english
