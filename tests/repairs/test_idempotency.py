"""Idempotency keys belong to their caller: another user's key gives them nothing of the first
caller's, a key reused with a different request is refused with 422, and long keys are refused."""

import pytest
from django.urls import reverse

from aftersales.repairs.models import RepairOrder

from .test_api import body
from tests.helpers import nothing_written

pytestmark = pytest.mark.django_db


def _post(api_client, user, data, key):
    api_client.force_authenticate(user)
    return api_client.post(reverse("api-repairs-reception"), data, format="json", HTTP_IDEMPOTENCY_KEY=key)


def test_another_centers_key_does_not_return_that_centers_order(api_client, reception_a, reception_b, center_a,
                                                               center_b):
    theirs = _post(api_client, reception_a, body(center_a), "shared-key")
    assert theirs.status_code == 201
    mine = _post(api_client, reception_b, body(center_b), "shared-key")
    assert mine.status_code == 201, mine.content
    assert mine.json()["id"] != theirs.json()["id"]
    assert mine.json()["tracking_code"] != theirs.json()["tracking_code"]
    assert RepairOrder.objects.count() == 2


def test_a_key_reused_with_a_different_request_is_refused(api_client, reception_a, center_a):
    assert _post(api_client, reception_a, body(center_a), "k-42").status_code == 201
    again = _post(api_client, reception_a, body(center_a, description="صدا می‌دهد", serial="OTHER-9"), "k-42")
    assert again.status_code == 422, again.content
    assert "idempotency" in again.json()["code"]
    assert RepairOrder.objects.count() == 1


def test_a_key_over_255_characters_is_refused(api_client, reception_a, center_a):
    payload = body(center_a)  # makes the product model the reception names
    with nothing_written():
        answer = _post(api_client, reception_a, payload, "k" * 256)
    assert answer.status_code == 400
    assert not RepairOrder.objects.exists()
    assert _post(api_client, reception_a, body(center_a), "k" * 255).status_code == 201


def test_an_invoice_key_of_another_user_issues_their_own_invoice(receive, reception_a, manager_a, service_item):
    from aftersales.billing.services import invoice_issue
    from aftersales.repairs.services import operation_add

    first, second = receive(), receive()
    for order in (first, second):
        operation_add(order=order, service_item=service_item, acting_user=reception_a, minutes=30)
    mine = invoice_issue(orders=[first], acting_user=reception_a, submission_key="inv-1")
    theirs = invoice_issue(orders=[second], acting_user=manager_a, submission_key="inv-1")
    assert mine.pk != theirs.pk
    assert invoice_issue(orders=[first], acting_user=reception_a, submission_key="inv-1").pk == mine.pk


def test_the_reception_preview_lists_only_the_users_centers_visits(client, receive, warranted_unit, reception_b,
                                                                   center_b):
    theirs = receive(serial=warranted_unit.serial)
    client.force_login(reception_b)
    page = client.get(reverse("repairs:reception-warranty"), {"serial": warranted_unit.serial}).content.decode()
    assert theirs.number not in page and reverse("repairs:order", args=[theirs.pk]) not in page
