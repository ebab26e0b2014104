import re

import pytest
from tests.helpers import nothing_written

pytestmark = pytest.mark.django_db


def test_token_login_then_read_own_profile(api_client, reception_a, password, center_a):
    token = api_client.post("/api/auth/token/", {"username": "reception_a", "password": password}).json()["token"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    profile = api_client.get("/api/me/").json()
    assert profile["username"] == "reception_a"
    assert profile["centers"] == [center_a.code] and profile["roles"] == ["receptionist"]


def test_api_refuses_anonymous_calls(api_client):
    assert api_client.get("/api/centers/").status_code in (401, 403)


def test_invalid_mobile_and_national_code_are_400_with_field_errors(api_client, reception_a):
    api_client.force_authenticate(reception_a)
    response = api_client.patch("/api/me/", {"mobile": "12345", "national_code": "1111111111"}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"mobile", "national_code"}
    reception_a.refresh_from_db()
    assert reception_a.mobile == ""


def test_invalid_postal_code_on_center_is_400(api_client, manager_a, center_a):
    api_client.force_authenticate(manager_a)
    response = api_client.patch(f"/api/centers/{center_a.pk}/", {"postal_code": "0000000000"}, format="json")
    assert response.status_code == 400 and "postal_code" in response.json()


def test_center_update_by_api_is_normalised_and_audited(api_client, manager_a, center_a):
    api_client.force_authenticate(manager_a)
    response = api_client.patch(f"/api/centers/{center_a.pk}/", {"phone": "+98 21 8877 1122"}, format="json")
    assert response.status_code == 200 and response.json()["phone"] == "02188771122"
    assert center_a.history.latest().history_user == manager_a


def test_dates_are_iso_with_a_jalali_display_field(api_client, head_office, center_a):
    api_client.force_authenticate(head_office)
    row = api_client.get(f"/api/centers/{center_a.pk}/").json()
    assert row["created_at"].startswith(str(center_a.created_at.year))
    assert row["created_at_jalali"].startswith("14")


def test_receptionist_cannot_change_a_center_by_api(api_client, reception_a, center_a):
    api_client.force_authenticate(reception_a)
    with nothing_written():
        assert api_client.patch(f"/api/centers/{center_a.pk}/", {"name": "x"}, format="json").status_code == 403


def test_schema_and_docs_are_served_without_a_cdn(client):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200 and b"/api/centers/" in schema.content
    docs = client.get("/api/docs/").content.decode()
    # Hosts, not the bare letters "cdn": the page carries a random CSRF token that may contain them.
    assert "swagger-ui" in docs and not re.search(r"//[\w.-]*(cdn|jsdelivr|unpkg)[\w.-]*/", docs.lower())
