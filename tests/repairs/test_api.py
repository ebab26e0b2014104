"""Reception and workflow steps over the API: 201, idempotent retries, 400 with reasons, scoping."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from aftersales.core import jalali

from aftersales.repairs.models import RepairOrder

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_user(api_client):
    def _as(user):
        api_client.force_authenticate(user)
        return api_client

    return _as


PROMISED = timezone.localdate() + datetime.timedelta(days=3)


def body(center, **overrides):
    return {"center": center.pk, "customer_mobile": "+98 912 123 4567", "customer_name": "سارا احمدی",
            "serial": "UNKNOWN-1", "product_model": any_product_model().pk, "description": "روشن نمی‌شود",
            "promised_on": jalali.format_date(PROMISED), **overrides}


def any_product_model():
    """A model to receive an unregistered serial as: the desk and the API ask for one (issue 13)."""
    from aftersales.catalog.models import Brand, ProductGroup, ProductModel

    brand, _new = Brand.objects.get_or_create(code="API", defaults={"name": "برند آزمایشی"})
    group, _new = ProductGroup.objects.get_or_create(code="API", defaults={"name": "گروه آزمایشی"})
    model, _new = ProductModel.objects.get_or_create(code="API-1", defaults={"name": "مدل آزمایشی", "brand": brand,
                                                                            "group": group})
    return model


def test_reception_over_the_api_creates_the_order_and_a_retry_returns_it(as_user, reception_a, center_a):
    client = as_user(reception_a)
    first = client.post(reverse("api-repairs-reception"), body(center_a), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == 201, first.content
    again = client.post(reverse("api-repairs-reception"), body(center_a), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert again.json()["id"] == first.json()["id"] and RepairOrder.objects.count() == 1
    data = first.json()
    assert data["state"] == "received" and data["is_warranty"] is False and data["warranty_state"] == "not_registered"
    assert data["tracking_url"].endswith(f"/track/{data['tracking_code']}") and data["promised_on"] == PROMISED.isoformat()


def test_bad_reception_input_is_a_400_with_field_errors(as_user, reception_a, center_a, center_b):
    client = as_user(reception_a)
    response = client.post(reverse("api-repairs-reception"), body(center_b), format="json")
    assert response.status_code == 400 and "center" in response.json()
    response = client.post(reverse("api-repairs-reception"), body(center_a, customer_mobile="0912"), format="json")
    assert response.status_code == 400 and "customer_mobile" in response.json()
    response = client.post(reverse("api-repairs-reception"), body(center_a, description=""), format="json")
    assert response.status_code == 400 and "description" in response.json()
    response = client.post(reverse("api-repairs-reception"), body(center_a, fault_codes=["NOPE"]), format="json")
    assert response.status_code == 400 and "fault_codes" in response.json()
    assert not RepairOrder.objects.exists()


def test_steps_over_the_api_say_why_they_are_refused(as_user, reception_a, technician_a, center_a):
    order_id = as_user(reception_a).post(reverse("api-repairs-reception"), body(center_a), format="json").json()["id"]
    client = as_user(technician_a)
    url = reverse("api-repairs-step", args=[order_id])
    moved = client.post(url, {"code": "start_diagnosis", "version": 1}, format="json")
    assert moved.status_code == 200 and moved.json()["state"] == "diagnosing" and moved.json()["version"] == 2
    stale = client.post(url, {"code": "start_repair", "version": 1}, format="json")
    assert stale.status_code == 400 and stale.json()["code"] == "stale"
    assert client.get(reverse("api-repairs-order", args=[order_id])).json()["state"] == "diagnosing"


def test_another_centers_order_is_not_found(as_user, reception_a, reception_b, center_a):
    order_id = as_user(reception_a).post(reverse("api-repairs-reception"), body(center_a), format="json").json()["id"]
    assert as_user(reception_b).get(reverse("api-repairs-order", args=[order_id])).status_code == 404


MEGABYTE = "x" * 1_000_000


@pytest.mark.parametrize("overrides, field", [
    ({"serial": MEGABYTE}, "serial"),
    ({"accessories": MEGABYTE}, "accessories"),
    ({"condition": MEGABYTE}, "condition"),
    ({"address": MEGABYTE}, "address"),
    ({"customer_name": "سارا " + MEGABYTE}, "customer_name"),
    ({"customer_mobile": "0912" * 250_000}, "customer_mobile"),
    ({"fault_codes": [MEGABYTE]}, "fault_codes"),
    ({"promised_on": "9999-12-31"}, "promised_on"),
    ({"promised_on": "1899-12-31"}, "promised_on"),
    ({"promised_on": "2020-01-01"}, "promised_on"),
    ({"promised_on": "1405/13/01"}, "promised_on"),
    ({"kind": "space"}, "kind"),
    ({"product_model": 987654}, "product_model"),
    ({"product_model": 2**64}, "product_model"),
])
def test_reception_refuses_what_the_order_cannot_hold_with_a_field_error(as_user, reception_a, center_a, overrides, field):
    response = as_user(reception_a).post(reverse("api-repairs-reception"), body(center_a, **overrides), format="json")
    assert response.status_code == 400, response.content[:300]
    assert field in response.json()
    assert not RepairOrder.objects.exists()


def test_reception_keeps_a_known_product_model_and_an_empty_promise(as_user, reception_a, center_a, fridge_model):
    response = as_user(reception_a).post(reverse("api-repairs-reception"),
                                         body(center_a, product_model=fridge_model.pk, promised_on=""), format="json")
    assert response.status_code == 201, response.content
    order = RepairOrder.objects.get()
    assert order.product_model == fridge_model and order.promised_on is None
