"""A signed-in customer asks for a home visit on the portal; it reaches the cartable of the center that serves
their district, a receptionist confirms it, and the customer sees the order with its tracking code (issue 22)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from aftersales.core import jalali
from aftersales.core.persian import localize_digits
from aftersales.customers.models import CustomerAddress
from aftersales.regions.models import Region, SalesTerritory
from aftersales.repairs.models import RepairOrder, ServiceRequest
from aftersales.repairs.requests import service_request_confirm
from tests.helpers import nothing_written

pytestmark = pytest.mark.django_db


@pytest.fixture
def district(owner, center_a, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.BILLING_MANUFACTURER = {**settings.BILLING_MANUFACTURER, "phone": "02188776655"}
    province = Region.objects.create(code="P1", name="تهران", kind=Region.Kind.PROVINCE)
    city = Region.objects.create(code="C1", name="تهران", kind=Region.Kind.CITY, parent=province)
    district = Region.objects.create(code="D1", name="منطقه ۳", kind=Region.Kind.DISTRICT, parent=city)
    territory = SalesTerritory.objects.create(code="T1", name="تهران")
    territory.regions.add(city)
    territory.centers.add(center_a)
    CustomerAddress.objects.create(customer=owner, region=district, address="خیابان ولیعصر، پلاک ۱۲",
                                   postal_code="1647836591")
    return district


@pytest.fixture
def signed_in(client, owner, portal_sign_in):
    portal_sign_in(client)
    return client


def _visit_form(unit, region, **overrides):
    day = timezone.localdate() + datetime.timedelta(days=2)
    data = {"unit": str(unit.pk), "kind": RepairOrder.Kind.HOME, "description": "آب از زیر یخچال می‌ریزد",
            "region": str(region.pk), "address": "خیابان ولیعصر، پلاک ۱۲", "postal_code": "1647836591",
            "preferred_on": jalali.format_date(day, latin_digits=True), "window": "morning", "submission": "k-1"}
    return {**data, **overrides}


def test_a_home_visit_asked_on_the_portal_becomes_an_order_the_customer_sees_with_its_tracking_code(
        signed_in, warranted_unit, district, center_a, reception_a):
    form = signed_in.get(reverse("portal:service")).content.decode()
    assert "خیابان ولیعصر" in form  # the default address, filled in
    response = signed_in.post(reverse("portal:service"), _visit_form(warranted_unit, district))
    assert response.status_code == 302, response.context["form"].errors
    again = signed_in.post(reverse("portal:service"), _visit_form(warranted_unit, district))  # double submit
    assert again.status_code == 302
    sent = ServiceRequest.objects.get()
    assert (sent.center, sent.kind, sent.unit, sent.window) == (center_a, RepairOrder.Kind.HOME, warranted_unit, "morning")
    home = signed_in.get(reverse("portal:home")).content.decode()
    assert 'data-testid="portal-service-request" data-status="pending"' in home
    order = service_request_confirm(request=sent, acting_user=reception_a)
    page = signed_in.get(reverse("portal:repairs")).content.decode()
    assert 'data-status="confirmed"' in page and order.tracking_code in page  # as printed on the receipt
    assert signed_in.get(reverse("portal:repair", args=[order.pk])).status_code == 200


def test_a_region_no_center_serves_is_told_with_head_offices_phone_and_nothing_is_written(
        signed_in, warranted_unit, district):
    far = Region.objects.create(code="C9", name="زابل", kind=Region.Kind.CITY,
                                parent=Region.objects.create(code="P9", name="سیستان", kind=Region.Kind.PROVINCE))
    with nothing_written():
        response = signed_in.post(reverse("portal:service"), _visit_form(warranted_unit, far))
    page = response.content.decode()
    assert response.status_code == 200 and 'data-testid="error-region"' in page
    assert localize_digits("02188776655") in page


def test_a_customer_withdraws_a_pending_request(signed_in, warranted_unit, district):
    signed_in.post(reverse("portal:service"), _visit_form(warranted_unit, district))
    sent = ServiceRequest.objects.get()
    signed_in.post(reverse("portal:service-cancel", args=[sent.pk]))
    sent.refresh_from_db()
    assert sent.status == ServiceRequest.Status.CANCELLED


def test_another_customers_request_cannot_be_withdrawn(client, warranted_unit, district, portal_sign_in, owner):
    from aftersales.customers.models import Customer
    from aftersales.repairs.requests import service_request_submit

    other = Customer.objects.create(kind="person", first_name="رضا", last_name="کریمی", mobile="09127776655")
    theirs = service_request_submit(customer=other, kind=RepairOrder.Kind.IN_CENTER, description="خراب است",
                                    region=district, serial="X-1")
    portal_sign_in(client)
    assert client.post(reverse("portal:service-cancel", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == ServiceRequest.Status.PENDING
