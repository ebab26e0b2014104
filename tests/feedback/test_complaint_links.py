"""Complaints linked to the customer by a known mobile and to the repair order they are about (issue 13)."""

import pytest
from django.urls import reverse

from aftersales.customers.models import Customer, CustomerPhone
from aftersales.feedback.models import Complaint
from aftersales.feedback.services import complaint_link_order, complaint_receive
from tests.helpers import nothing_written

pytestmark = pytest.mark.django_db


def _public(client, **fields):
    client.get("/feedback/")
    return client.post("/feedback/", {"kind": "complaint", "category": "service", "name": "سارا", "mobile": "",
                                      "email": "", "serial": "", "tracking_code": "", "text": "تعمیر طول کشید",
                                      "submission": "k-" + fields.get("mobile", "") + fields.get("tracking_code", ""),
                                      **fields})


def test_a_complaint_from_a_customers_other_mobile_is_linked_to_them(client):
    sara = Customer.objects.create(kind="person", first_name="سارا", last_name="احمدی", mobile="09121234567")
    CustomerPhone.objects.create(customer=sara, kind="mobile", number="09351112233")
    assert _public(client, mobile="۰۹۳۵ ۱۱۱ ۲۲۳۳").status_code == 302
    assert Complaint.objects.get().customer == sara


def test_the_public_form_links_the_order_named_by_its_tracking_code(client, receive, owner, center_a):
    order = receive()
    response = _public(client, mobile="09129998877", tracking_code=order.tracking_code.lower())
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert (complaint.repair_order, complaint.customer, complaint.center) == (order, owner, center_a)


def test_an_unknown_tracking_code_is_refused_and_nothing_is_written(client, receive):
    receive()
    response = _public(client, mobile="09129998877", tracking_code="NOPE12345")
    assert response.status_code == 400
    assert "کد پیگیری" in response.content.decode()
    assert not Complaint.objects.exists()


def test_staff_file_a_complaint_about_an_order_of_their_center(client, receive, reception_a, owner):
    order = receive()
    client.force_login(reception_a)
    response = client.post("/data/complaints/new/", {"kind": "complaint", "category": "delay", "name": "سارا",
                                                     "mobile": "09121234567", "repair_order": order.pk,
                                                     "text": "قطعه نرسید"})
    assert response.status_code == 302, response.context["form"].errors
    complaint = Complaint.objects.get()
    assert complaint.repair_order == order and complaint.customer == owner and complaint.center == order.center


def test_staff_cannot_file_a_complaint_on_another_centers_order(client, reception_a, reception_b, center_b):
    from aftersales.repairs.services import reception_create

    theirs = reception_create(center=center_b, acting_user=reception_b, description="صدا می‌دهد",
                              customer_mobile="09121112233")
    client.force_login(reception_a)
    response = client.post("/data/complaints/new/", {"kind": "complaint", "category": "delay", "name": "x",
                                                     "mobile": "09121112233", "repair_order": theirs.pk, "text": "x"})
    assert response.status_code == 200 and "repair_order" in response.context["form"].errors
    assert not Complaint.objects.exists()
    with pytest.raises(Exception):
        complaint_receive(channel="phone", text="x", mobile="09121112233", repair_order=theirs, acting_user=reception_a)
    assert not Complaint.objects.exists()


@pytest.fixture
def complaint(owner, center_a):
    return complaint_receive(channel="phone", text="تعمیرکار دیر آمد", mobile=owner.mobile, center=center_a)


def test_the_complaints_page_links_it_to_one_of_the_customers_orders(client, receive, manager_a, complaint, owner):
    order = receive()
    someone_else = receive(customer=Customer.objects.create(kind="person", last_name="دیگری", mobile="09127776655"))
    client.force_login(manager_a)
    page = client.get(reverse("desk:detail", args=["complaints", complaint.pk])).content.decode()
    link_form = page.split('data-testid="complaint-link-order"')[1].split("</form>")[0]
    assert order.number in link_form and someone_else.number not in link_form

    response = client.post(reverse("feedback:complaint-link-order", args=[complaint.pk]), {"repair_order": order.pk})
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.repair_order == order
    assert complaint.history.first().history_user == manager_a  # the audit names who linked it

    order_page = client.get(reverse("repairs:order", args=[order.pk])).content.decode()
    assert 'data-testid="order-complaints"' in order_page and complaint.number in order_page


def test_another_customers_order_is_refused_and_nothing_changes(receive, manager_a, complaint):
    from django.core.exceptions import ValidationError

    other = receive(customer=Customer.objects.create(kind="person", last_name="دیگری", mobile="09127776655"))
    with nothing_written(), pytest.raises(ValidationError) as refused:
        complaint_link_order(complaint=complaint, repair_order=other, acting_user=manager_a)
    assert "repair_order" in refused.value.message_dict
    complaint.refresh_from_db()
    assert complaint.repair_order is None and complaint.history.count() == 1


def test_another_centers_order_is_refused_on_the_page_and_nothing_changes(client, manager_a, reception_b, center_b,
                                                                          complaint, owner):
    from aftersales.repairs.services import reception_create

    theirs = reception_create(center=center_b, acting_user=reception_b, description="x", customer=owner)
    client.force_login(manager_a)
    client.post(reverse("feedback:complaint-link-order", args=[complaint.pk]), {"repair_order": theirs.pk})
    complaint.refresh_from_db()
    assert complaint.repair_order is None and complaint.history.count() == 1
    from django.core.exceptions import ValidationError

    with nothing_written(), pytest.raises(ValidationError):
        complaint_link_order(complaint=complaint, repair_order=theirs, acting_user=manager_a)


def test_the_api_shows_and_sets_the_link_within_the_callers_centers(api_client, receive, manager_a, reception_b,
                                                                    center_b, complaint, owner):
    from aftersales.repairs.services import reception_create

    order = receive()
    theirs = reception_create(center=center_b, acting_user=reception_b, description="x", customer=owner)
    api_client.force_authenticate(manager_a)
    with nothing_written():
        refused = api_client.patch(f"/api/complaints/{complaint.pk}/", {"repair_order": theirs.pk}, format="json")
    assert refused.status_code == 400 and "repair_order" in refused.json()
    complaint.refresh_from_db()
    assert complaint.repair_order is None

    linked = api_client.patch(f"/api/complaints/{complaint.pk}/", {"repair_order": order.pk}, format="json")
    assert linked.status_code == 200 and linked.json()["repair_order"] == order.pk
    created = api_client.post("/api/complaints/", {"kind": "complaint", "category": "delay", "mobile": "09129990000",
                                                   "repair_order": order.pk, "text": "هنوز آماده نیست"}, format="json")
    assert created.status_code == 201, created.json()
    assert Complaint.objects.get(pk=created.json()["id"]).customer == owner
