import pytest

from aftersales.catalog.models import ProductUnit
from tests.helpers import nothing_written

pytestmark = pytest.mark.django_db


def test_tracking_system_pushes_units_and_gets_per_row_results(api_client, integration_user, fridge_model):
    api_client.force_authenticate(integration_user)
    payload = {"units": [{"serial": "A1", "brand": "SNOW", "model": "RF-520"}, {"serial": "A2", "brand": "NOPE", "model": "X"}],
               "events": [{"serial": "A1", "event_id": "1", "kind": "shipped", "occurred_at": "2026-03-01T08:00:00+03:30"}]}
    response = api_client.post("/api/serial-registry/push/", payload, format="json")
    assert response.status_code == 200
    body = response.json()
    assert [r["status"] for r in body["units"]] == ["created", "error"]
    assert body["events"][0]["status"] == "created"
    assert ProductUnit.objects.get(serial="A1").status == "shipped"


def test_push_refuses_users_without_permission(api_client, reception_a, fridge_model):
    api_client.force_authenticate(reception_a)
    with nothing_written():
        response = api_client.post("/api/serial-registry/push/", {"units": []}, format="json")
    assert response.status_code == 403


def test_push_refuses_oversized_batches_with_a_400(api_client, integration_user):
    api_client.force_authenticate(integration_user)
    with nothing_written():
        response = api_client.post("/api/serial-registry/push/", {"units": [{}] * 5001}, format="json")
    assert response.status_code == 400


def test_units_are_found_by_serial_typed_in_persian_digits(client, reception_a, fridge_model):
    from aftersales.catalog.services import units_push

    units_push(units=[{"serial": "SN-12345", "brand": "SNOW", "model": "RF-520", "sale_invoice_no": "F-900"}], events=[])
    client.force_login(reception_a)
    link = f"/data/units/{ProductUnit.objects.get().pk}/"
    body = client.get("/data/units/", {"q": "sn ۱۲۳۴۵"}).content.decode()
    assert link in body
    body = client.get("/data/units/", {"q": "f900"}).content.decode()
    assert link in body
    assert link not in client.get("/data/units/", {"q": "SN1234"}).content.decode()
