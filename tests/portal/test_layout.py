"""The portal and the staff side load their common head (meta, Bootstrap for the language's direction, the app's
CSS, all served locally) from one partial; each adds only its own."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _head(response) -> str:
    return re.search(r"<head>(.*?)</head>", response.content.decode(), re.S).group(1)


def test_the_portal_and_the_staff_pages_share_one_head(client, reception_a):
    portal = client.get(reverse("portal:sign-in"))
    client.force_login(reception_a)
    staff = client.get(reverse("organization:dashboard"))
    assert portal.status_code == staff.status_code == 200
    for response in (portal, staff):
        assert "core/partials/head.html" in [template.name for template in response.templates]
        head = _head(response)
        assert head.lstrip().startswith('<meta charset="utf-8">')
        assert 'bootstrap.rtl.min.css"' in head and "aftersales/css/app.css" in head and "//" not in head
    assert "portal/portal.css" in _head(portal) and "portal/portal.css" not in _head(staff)
    assert "<script" not in _head(portal) and "<script" not in portal.content.decode()  # no script on a plain page
