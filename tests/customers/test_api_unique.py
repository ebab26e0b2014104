"""Unique identifiers of customers are field errors on the API and the desk, never a server error."""

import pytest
from django.db import IntegrityError

from aftersales.customers.models import Customer
from tests.helpers import nothing_written

pytestmark = pytest.mark.django_db


@pytest.fixture
def saved(db):
    return Customer.objects.create(kind="person", last_name="احمدی", national_code="0499370899")


@pytest.mark.parametrize("payload, field", [
    ({"kind": "person", "last_name": "کریمی", "national_code": "۰۴۹۹۳۷۰۸۹۹"}, "national_code"),
    ({"kind": "legal", "company_name": "شرکت نمونه", "legal_national_id": "10380284790"}, "legal_national_id"),
])
def test_api_answers_a_duplicate_identifier_with_a_field_error(admin_user, api_client, saved, payload, field):
    Customer.objects.create(kind="legal", company_name="شرکت نخست", legal_national_id="10380284790")
    api_client.force_authenticate(admin_user)
    with nothing_written():
        response = api_client.post("/api/customers/", payload, format="json")
    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert "وجود دارد" in response.json()[field][0] or "موجود" in response.json()[field][0]


def test_api_update_to_a_taken_national_code_is_refused_but_keeping_ones_own_is_not(admin_user, api_client, saved):
    other = Customer.objects.create(kind="person", last_name="کریمی")
    api_client.force_authenticate(admin_user)
    with nothing_written():
        response = api_client.patch(f"/api/customers/{other.pk}/", {"national_code": "0499370899"}, format="json")
    assert response.status_code == 400 and "national_code" in response.json()
    response = api_client.patch(f"/api/customers/{saved.pk}/", {"national_code": "0499370899", "first_name": "سارا"},
                                format="json")
    assert response.status_code == 200


def test_a_merged_away_customer_does_not_hold_its_national_code(admin_user, api_client, saved):
    keep = Customer.objects.create(kind="person", last_name="احمدی")
    Customer.objects.filter(pk=saved.pk).update(merged_into=keep)
    api_client.force_authenticate(admin_user)
    response = api_client.post("/api/customers/", {"kind": "person", "last_name": "کریمی", "national_code": "0499370899"},
                               format="json")
    assert response.status_code == 201


def test_a_duplicate_the_database_refuses_late_is_still_a_field_error(admin_user, api_client, saved, monkeypatch):
    from aftersales.core import api

    monkeypatch.setattr(api, "constraint_errors", lambda *args, **kwargs: {})  # lose the race: skip the check
    api_client.force_authenticate(admin_user)
    with nothing_written():
        response = api_client.post("/api/customers/", {"kind": "person", "last_name": "کریمی", "national_code": "0499370899"},
                                   format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["national_code"]
    assert Customer.objects.count() == 1


def test_desk_form_answers_a_duplicate_national_code_with_a_field_error(admin_user, client, saved):
    client.force_login(admin_user)
    response = client.post("/data/customers/new/", {"kind": "person", "last_name": "کریمی", "national_code": "0499370899"})
    assert response.status_code == 200
    assert "national_code" in response.context["form"].errors
    assert Customer.objects.count() == 1
