"""Reference rows kept in the process for the reception's hot path (issue 21)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aftersales.core.rowcache import row_cached
from aftersales.organization.models import ServiceCenter
from aftersales.repairs.models import RepairOrder

pytestmark = pytest.mark.django_db


def test_a_row_is_read_once_then_kept(center_a):
    with CaptureQueriesContext(connection) as reads:
        first, again = row_cached(ServiceCenter, center_a.pk), row_cached(ServiceCenter, str(center_a.pk))
    assert first == again == center_a and len(reads) == 1


def test_a_save_here_is_seen_at_once(center_a):
    assert row_cached(ServiceCenter, center_a.pk).name == center_a.name
    center_a.name = "مرکز تازه"
    center_a.save()
    assert row_cached(ServiceCenter, center_a.pk).name == "مرکز تازه"


def test_an_unknown_id_is_not_kept_so_a_new_row_is_found_at_once(center_a):
    missing = center_a.pk + 1000
    assert row_cached(ServiceCenter, missing) is None
    ServiceCenter.objects.create(pk=missing, code="NEW", name="مرکز نو", province="تهران", city="تهران")
    assert row_cached(ServiceCenter, missing).code == "NEW"


@pytest.mark.parametrize("pk", [0, -1, 2**63, 2**64, "abc", None, 1.5j])
def test_an_id_no_row_can_have_reads_nothing(pk):
    with CaptureQueriesContext(connection) as reads:
        assert row_cached(ServiceCenter, pk) is None
    assert len(reads) == 0


def test_reception_into_a_center_just_closed_is_refused(api_client, reception_a, center_a, fridge_model):
    body = {"center": center_a.pk, "customer_mobile": "09121234567", "serial": "ROW-1",
            "product_model": fridge_model.pk, "description": "سرد نمی‌کند"}
    api_client.force_authenticate(reception_a)
    assert api_client.post(reverse("api-repairs-reception"), body, format="json").status_code == 201
    center_a.is_active = False
    center_a.save()
    refused = api_client.post(reverse("api-repairs-reception"), {**body, "serial": "ROW-2"}, format="json")
    assert refused.status_code == 400 and "center" in refused.json()
    assert RepairOrder.objects.count() == 1
