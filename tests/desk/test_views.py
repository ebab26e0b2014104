"""The generic master-data pages and API, exercised through regions and sales territories."""

import io

import pytest
from openpyxl import load_workbook

from aftersales.desk.registry import Resource, _RESOURCES
from aftersales.organization.models import ServiceCenter
from aftersales.regions.models import Region, SalesTerritory
from tests.helpers import nothing_written

pytestmark = pytest.mark.django_db


def test_list_searches_and_filters_with_persian_normalisation(client, reception_a):
    client.force_login(reception_a)
    body = client.get("/data/regions/", {"q": "اصفهان", "kind": "province"}).content.decode()
    assert "اصفهان" in body and "کاشان" not in body
    body = client.get("/data/regions/", {"q": "كاشان"}).content.decode()  # Arabic kaf
    assert "کاشان" in body


def test_detail_lists_the_cities_of_a_province(client, reception_a):
    client.force_login(reception_a)
    province = Region.objects.get(kind="province", name="یزد")
    body = client.get(f"/data/regions/{province.pk}/").content.decode()
    assert "میبد" in body and 'data-testid="audit-trail"' in body


def test_export_has_every_row_the_search_found(client, reception_a):
    client.force_login(reception_a)
    response = client.get("/data/regions/export.xlsx", {"kind": "province"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == 32 and sheet.sheet_view.rightToLeft


def test_receptionist_reads_but_may_not_add(client, reception_a):
    client.force_login(reception_a)
    assert client.get("/data/regions/new/").status_code == 403
    with nothing_written():
        assert client.post("/data/territories/new/", {"code": "T1", "name": "x"}).status_code == 403
    assert not SalesTerritory.objects.exists()


def test_head_office_creates_a_territory_with_audit(client, head_office, center_a):
    client.force_login(head_office)
    cities = list(Region.objects.filter(kind="city", parent__name="گیلان")[:2])
    response = client.post("/data/territories/new/", {
        "code": "NORTH-1", "name": "شمال", "regions": [c.pk for c in cities], "centers": [center_a.pk],
        "is_active": "on", "reason": "طرح فروش ۱۴۰۵",
    })
    assert response.status_code == 302
    territory = SalesTerritory.objects.get(code="NORTH-1")
    assert set(territory.regions.all()) == set(cities) and list(territory.centers.all()) == [center_a]
    record = territory.history.latest()
    assert record.history_user == head_office and record.history_change_reason == "طرح فروش ۱۴۰۵"


def test_invalid_record_shows_errors_and_writes_nothing(client, head_office):
    client.force_login(head_office)
    tehran = Region.objects.get(kind="city", name="تهران")
    before = Region.objects.count()
    response = client.post("/data/regions/new/", {"code": "X1", "name": "جدید", "kind": "city", "parent": tehran.pk})
    assert response.status_code == 200 and 'data-testid="error-parent"' in response.content.decode()
    assert Region.objects.count() == before


def test_unknown_resource_and_record_are_404(client, head_office):
    client.force_login(head_office)
    assert client.get("/data/no-such-thing/").status_code == 404
    assert client.get("/data/regions/999999/").status_code == 404


def test_api_lists_searches_and_rejects_bad_input(api_client, head_office):
    api_client.force_authenticate(head_office)
    rows = api_client.get("/api/regions/", {"q": "یزد", "kind": "province"}).json()["results"]
    assert [row["name"] for row in rows] == ["یزد"]
    response = api_client.post("/api/territories/", {"code": "", "name": ""}, format="json")
    assert response.status_code == 400 and {"code", "name", "regions"} <= set(response.json())


def test_api_create_is_audited_with_the_caller(api_client, head_office):
    api_client.force_authenticate(head_office)
    city = Region.objects.filter(kind="city").first()
    response = api_client.post("/api/territories/", {"code": "T-9", "name": "غرب", "regions": [city.pk]}, format="json")
    assert response.status_code == 201
    assert SalesTerritory.objects.get(code="T-9").history.latest().history_user == head_office


@pytest.fixture
def scoped_centers():
    resource = Resource(model=ServiceCenter, slug="test-centers", list_fields=["name", "code"], form_fields=["name"])
    _RESOURCES[resource.slug] = resource
    yield resource
    _RESOURCES.pop(resource.slug)


def test_center_scoped_resources_never_leak_across_centers(client, reception_a, center_a, center_b, scoped_centers):
    client.force_login(reception_a)
    reception_a.user_permissions.add(*reception_a.groups.get().permissions.all())
    body = client.get("/data/test-centers/").content.decode()
    assert center_a.name in body and center_b.name not in body
    assert client.get(f"/data/test-centers/{center_b.pk}/").status_code == 404
    sheet = load_workbook(io.BytesIO(client.get("/data/test-centers/export.xlsx").content)).active
    assert [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)] == [center_a.code]
