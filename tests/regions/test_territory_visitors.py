"""A territory's visitor picker offers only staff with the visitor role, on the desk and in the admin, and
a non-visitor posted anyway is refused (issue 20, "Smaller things seen")."""

import re

import pytest
from django.contrib import admin
from django.urls import reverse

from aftersales.organization.roles import Role
from aftersales.regions.models import Region, SalesTerritory

from ..factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def visitor(center_a):
    return UserFactory(username="visitor_a", role=Role.VISITOR, centers=[center_a])


def test_the_desk_form_offers_only_visitors(client, head_office, visitor, reception_a):
    client.force_login(head_office)
    page = client.get(reverse("desk:create", args=["territories"])).content.decode()
    picker = page[page.index('name="visitors"'):]
    picker = picker[:picker.index("</select>")]
    assert f'value="{visitor.pk}"' in picker and f'value="{reception_a.pk}"' not in picker
    assert f'value="{head_office.pk}"' not in picker


def test_a_non_visitor_posted_anyway_is_refused(client, head_office, visitor, reception_a):
    client.force_login(head_office)
    response = client.post(reverse("desk:create", args=["territories"]),
                           {"code": "T1", "name": "شمال تهران", "visitors": [reception_a.pk], "is_active": "on",
                            "regions": [Region.objects.filter(kind="city").first().pk]})
    assert response.status_code == 200 and not SalesTerritory.objects.exists()
    assert list(response.context["form"].errors) == ["visitors"]
    response = client.post(reverse("desk:create", args=["territories"]),
                           {"code": "T1", "name": "شمال تهران", "visitors": [visitor.pk], "is_active": "on",
                            "regions": [Region.objects.filter(kind="city").first().pk]})
    assert response.status_code == 302, response.context["form"].errors
    assert list(SalesTerritory.objects.get(code="T1").visitors.all()) == [visitor]


def test_the_admin_picker_offers_only_visitors(rf, head_office, visitor, reception_a):
    request = rf.get("/")
    request.user = head_office
    form_class = admin.site._registry[SalesTerritory].get_form(request)
    assert list(form_class().fields["visitors"].queryset) == [visitor]
