"""Visit expenses over REST (F58): a multipart filing with the receipt, retried under one Idempotency-Key,
400 with Persian field errors, scoped reads, and the manager's approval and refusal."""

import datetime

import pytest
from django.utils import timezone

from aftersales.field.models import VisitExpense

from .conftest_expenses import *  # noqa: F401,F403
from .conftest_expenses import png

pytestmark = pytest.mark.django_db
URL = "/api/visit-expenses/"


def payload(**values):
    data = {"spent_on": (timezone.localdate() - datetime.timedelta(days=1)).isoformat(), "kind": "giveaway",
            "amount": 7_000_000, "description": "سررسید تبلیغاتی"}
    data.update(values)
    return data


def test_a_multipart_filing_with_its_receipt_retried_under_one_key_is_stored_once(api_client, visitor_a):
    api_client.force_authenticate(visitor_a)
    first = api_client.post(URL, payload(receipt=png()), format="multipart", HTTP_IDEMPOTENCY_KEY="phone-1")
    again = api_client.post(URL, payload(receipt=png()), format="multipart", HTTP_IDEMPOTENCY_KEY="phone-1")
    assert first.status_code == again.status_code == 201, first.content
    assert first.json()["id"] == again.json()["id"] and VisitExpense.objects.count() == 1
    assert first.json()["receipt_url"] == f"/field/expenses/{first.json()['id']}/receipt/"
    assert first.json()["status"] == "pending"


def test_bad_input_is_a_400_with_persian_field_errors(api_client, visitor_a):
    api_client.force_authenticate(visitor_a)
    response = api_client.post(URL, payload(), format="multipart")
    assert response.status_code == 400 and "عکس رسید" in response.json()["receipt"][0]
    future = (timezone.localdate() + datetime.timedelta(days=2)).isoformat()
    response = api_client.post(URL, payload(amount=10, spent_on=future), format="json")
    assert response.status_code == 400 and "آینده" in response.json()["spent_on"][0]
    response = api_client.post(URL, payload(amount=0, kind="yacht"), format="json")
    assert response.status_code == 400 and {"amount", "kind"} <= set(response.json())
    response = api_client.post(URL, payload(receipt=png(name="x.png").__class__("x.png", b"not an image")),
                               format="multipart")
    assert response.status_code == 400 and "receipt" in response.json()
    assert not VisitExpense.objects.exists()
    response = api_client.post(URL, payload(amount="۱٬۲۰۰٬۰۰۰"), format="multipart")
    assert response.status_code == 201 and response.json()["amount"] == 1_200_000


def test_reads_are_scoped_and_filtered(api_client, submit, visitor_a, visitor_b, manager_a):
    mine = submit(kind="meal")
    far = submit(acting_user=visitor_b)
    api_client.force_authenticate(manager_a)
    assert [row["id"] for row in api_client.get(URL).json()["results"]] == [mine.pk]
    assert api_client.get(URL, {"kind": "transport"}).json()["count"] == 0
    assert api_client.get(URL, {"marketer": "99999999999999999999999", "month": "x"}).status_code == 200
    assert api_client.get(f"{URL}{far.pk}/").status_code == 404
    assert api_client.post(f"{URL}{far.pk}/approve/").status_code == 404


def test_the_manager_approves_and_refuses_with_a_reason_once(api_client, submit, manager_a, visitor_a):
    first, second = submit(), submit()
    api_client.force_authenticate(manager_a)
    response = api_client.post(f"{URL}{first.pk}/approve/")
    assert response.status_code == 200 and response.json()["status"] == "approved"
    assert api_client.post(f"{URL}{first.pk}/approve/").status_code == 400
    assert "reason" in api_client.post(f"{URL}{second.pk}/refuse/", {}, format="json").json()
    response = api_client.post(f"{URL}{second.pk}/refuse/", {"reason": "بدون رسید"}, format="json")
    assert response.json()["refusal_reason"] == "بدون رسید"
    api_client.force_authenticate(visitor_a)
    assert api_client.post(f"{URL}{second.pk}/refuse/", {"reason": "x"}, format="json").status_code == 403


def test_a_marketer_withdraws_their_pending_expense(api_client, submit, visitor_a, visitor_a2):
    expense = submit()
    api_client.force_authenticate(visitor_a2)
    assert api_client.delete(f"{URL}{expense.pk}/").status_code == 404
    api_client.force_authenticate(visitor_a)
    assert api_client.delete(f"{URL}{expense.pk}/").status_code == 204
    assert not VisitExpense.objects.exists()
