"""The contact form sent twice at the same instant (a double tap on a slow connection): one contact, and
both answers lead to it (PostgreSQL)."""

import pytest
from django.test import Client
from django.urls import reverse

from aftersales.crm.models import Answer, Party
from aftersales.marketing.models import Contact
from tests.twins import at_once

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _reference(transactional_db):
    """A transactional test before this one emptied the tables the migrations had filled."""
    from django.apps import apps

    from aftersales.crm.reference import load_marketing_reference
    from aftersales.organization.roles import sync_roles

    sync_roles()
    load_marketing_reference(apps)


def test_two_contact_forms_with_one_key_at_once_log_one_contact_and_move_once(lead, visitor_a):
    data = {"party": lead.pk, "submission": "twin", "kind": "visit", "notes": "بازدید از فروشگاه", "adhoc": "1",
            "adhoc_q_0": "تعداد شعب؟", "adhoc_a_0": "۳", "move": "analyse"}

    def submit():
        client = Client()
        client.force_login(visitor_a)
        answer = client.post(reverse("crm:contact-log"), data)
        return answer.status_code, answer.get("Location")

    first, second = at_once(submit)
    assert first == second and first[0] == 302, (first, second)
    contact = Contact.objects.get()
    assert first[1] == reverse("crm:contact-done", args=[contact.pk])
    assert Answer.objects.count() == 1
    assert Party.objects.get(pk=lead.pk).state.code == "needs_analysis"


def test_two_api_posts_with_one_idempotency_key_at_once_log_one_contact(lead, visitor_a):
    from rest_framework.test import APIClient

    def submit():
        client = APIClient()
        client.force_authenticate(visitor_a)
        answer = client.post("/api/contacts/", {"customer": lead.pk, "kind": "call_out", "notes": "تماس"},
                             format="json", HTTP_IDEMPOTENCY_KEY="twin")
        return answer.status_code, answer.json().get("id")

    first, second = at_once(submit)
    assert first == second and first[0] == 201, (first, second)
    assert Contact.objects.count() == 1
