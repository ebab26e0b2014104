"""Customers are served by every center, but the national customer list is not browsed from one center:
a center-bound user finds a customer by an exact identifier only, and sees on a customer's page only
what concerns their centers, with no secret of a message."""

import pytest
from django.urls import reverse

from aftersales.customers.models import Customer

pytestmark = pytest.mark.django_db


@pytest.fixture
def customers(db):
    return [Customer.objects.create(kind="person", first_name="سارا", last_name=f"احمدی {n}",
                                    mobile=f"0912123450{n}", national_code="") for n in range(3)]


def test_a_receptionist_cannot_page_through_or_name_search_the_customer_list(api_client, reception_a, customers):
    api_client.force_authenticate(reception_a)
    assert api_client.get("/api/customers/").json()["count"] == 0
    assert api_client.get("/api/customers/", {"q": "احمدی"}).json()["count"] == 0
    found = api_client.get("/api/customers/", {"q": "۰۹۱۲۱۲۳۴۵۰۱"}).json()
    assert [row["mobile"] for row in found["results"]] == ["09121234501"]


def test_head_office_searches_the_whole_list(api_client, head_office, customers):
    api_client.force_authenticate(head_office)
    assert api_client.get("/api/customers/").json()["count"] == 3
    assert api_client.get("/api/customers/", {"q": "احمدی"}).json()["count"] == 3


def test_the_list_page_and_export_follow_the_same_rule(client, reception_a, customers):
    client.force_login(reception_a)
    page = client.get(reverse("desk:list", args=["customers"])).content.decode()
    assert "احمدی 1" not in page
    page = client.get(reverse("desk:list", args=["customers"]), {"q": "+989121234502"}).content.decode()
    assert "احمدی 2" in page and "احمدی 1" not in page


def test_a_customers_page_shows_only_the_users_centers_and_no_secret(client, reception_a, reception_b, center_a,
                                                                    center_b, customers):
    from aftersales.messaging.services import message_queue

    sara = customers[0]
    message_queue(channel="sms", to=sara.mobile, body="پیگیری: https://x/track/AB12CD34EF56G", customer_id=sara.pk,
                  center=center_a, pattern_params={"link": "https://x/track/AB12CD34EF56G"})
    message_queue(channel="sms", to=sara.mobile, body="پیام مرکز اصفهان", customer_id=sara.pk, center=center_b)
    client.force_login(reception_a)
    page = client.get(reverse("desk:detail", args=["customers", sara.pk])).content.decode()
    assert "پیگیری" in page and "AB12CD34EF56G" not in page
    assert "پیام مرکز اصفهان" not in page
