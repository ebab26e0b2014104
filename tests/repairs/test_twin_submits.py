"""Two submits of the same reception at the same instant (same key, same user) give both callers
the same order, and one order exists (PostgreSQL: the second insert of the key waits for the first)."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from aftersales.repairs.models import RepairOrder
from aftersales.repairs.reference import load_repair_workflow
from aftersales.repairs.services import reception_create
from aftersales.workflow.models import State, Transition, Workflow
from tests.twins import at_once

from .test_api import body

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _workflow():
    load_repair_workflow(Workflow, State, Transition)  # a flushed database: ship the workflow again


def test_two_receptions_with_one_key_at_once_give_one_order(center_a, reception_a):
    def submit():
        return reception_create(center=center_a, acting_user=reception_a, description="روشن نمی‌شود",
                                customer_mobile="09121234567", customer_name="سارا احمدی", serial="TWIN-1",
                                submission_key="double-click").pk

    first, second = at_once(submit)
    assert first == second and isinstance(first, int), (first, second)
    assert RepairOrder.objects.count() == 1


def test_two_api_receptions_with_one_idempotency_key_at_once_give_one_order(center_a, reception_a):
    def submit():
        client = APIClient()
        client.force_authenticate(reception_a)
        answer = client.post(reverse("api-repairs-reception"), body(center_a), format="json",
                             HTTP_IDEMPOTENCY_KEY="retried")
        return answer.status_code, answer.json().get("id")

    first, second = at_once(submit)
    assert first == second and first[0] == 201, (first, second)
    assert RepairOrder.objects.count() == 1
