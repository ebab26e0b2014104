"""No record of one center leaks to the staff of another: list, detail, form, export, API and admin."""

import io

import pytest
from openpyxl import load_workbook

from aftersales.organization.models import ServiceCenter
from aftersales.organization.scoping import scope_queryset

pytestmark = pytest.mark.django_db


def _codes_in_export(response) -> set[str]:
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    return {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}


@pytest.mark.parametrize("user_name", ["reception_a", "technician_a", "manager_a"])
def test_center_staff_see_only_their_own_center_in_every_channel(request, client, api_client, user_name, center_a, center_b):
    user = request.getfixturevalue(user_name)
    client.force_login(user)
    api_client.force_authenticate(user)

    assert list(scope_queryset(ServiceCenter.objects.all(), user)) == [center_a]

    listing = client.get("/centers/")
    assert listing.status_code == 200
    assert center_a.name in listing.content.decode() and center_b.name not in listing.content.decode()

    assert client.get(f"/centers/{center_a.pk}/").status_code == 200
    assert client.get(f"/centers/{center_b.pk}/").status_code == 404

    assert _codes_in_export(client.get("/centers/export.xlsx")) == {center_a.code}

    api_list = api_client.get("/api/centers/")
    assert [row["code"] for row in api_list.json()["results"]] == [center_a.code]
    assert api_client.get(f"/api/centers/{center_b.pk}/").status_code == 404


def test_center_manager_cannot_edit_another_center_by_form_or_api(client, api_client, manager_a, center_b):
    client.force_login(manager_a)
    assert client.get(f"/centers/{center_b.pk}/edit/").status_code == 404
    assert client.post(f"/centers/{center_b.pk}/edit/", {"name": "x", "province": "x", "city": "x"}).status_code == 404
    api_client.force_authenticate(manager_a)
    assert api_client.patch(f"/api/centers/{center_b.pk}/", {"name": "x"}, format="json").status_code == 404
    center_b.refresh_from_db()
    assert center_b.name == "مرکز خدمات اصفهان"


def test_center_manager_sees_only_own_center_in_admin(client, manager_a, center_a, center_b):
    client.force_login(manager_a)
    manager_a.user_permissions.add(*manager_a.groups.get().permissions.all())
    page = client.get("/admin/organization/servicecenter/")
    assert page.status_code == 200
    body = page.content.decode()
    assert center_a.code in body and center_b.code not in body
    assert client.get(f"/admin/organization/servicecenter/{center_b.pk}/change/").status_code in (302, 404)


def test_head_office_sees_every_center(client, api_client, head_office, center_a, center_b):
    client.force_login(head_office)
    assert client.get(f"/centers/{center_b.pk}/").status_code == 200
    assert _codes_in_export(client.get("/centers/export.xlsx")) == {center_a.code, center_b.code}
    api_client.force_authenticate(head_office)
    assert {row["code"] for row in api_client.get("/api/centers/").json()["results"]} == {center_a.code, center_b.code}


def test_user_without_a_center_sees_nothing(db, center_a):
    from tests.factories import UserFactory

    loner = UserFactory(role="receptionist")
    assert not scope_queryset(ServiceCenter.objects.all(), loner).exists()


def test_role_that_spans_all_centers_is_data_not_code(reception_a, center_b):
    profile = reception_a.groups.get().role_profile
    profile.spans_all_centers = True
    profile.save()
    reception_a.refresh_from_db()
    assert center_b in scope_queryset(ServiceCenter.objects.all(), reception_a)
