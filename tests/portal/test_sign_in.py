"""A customer signs in to the portal with a code texted to their mobile (issue 22): no password, the warranty
activation's limits, and a portal session that opens nothing of the staff side and no one else's data."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from aftersales.customers.models import Customer, CustomerPhone
from aftersales.portal.models import SignInRequest
from tests.helpers import nothing_written

from .conftest import texted_code

pytestmark = pytest.mark.django_db


def test_a_customer_signs_in_with_the_texted_code_and_stays_signed_in_for_a_month(
        client, owner, sms_outbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(reverse("portal:sign-in"), {"mobile": "۰۹۱۲ ۱۲۳ ۴۵۶۷"})  # Persian digits, spaces
    assert started.status_code == 302
    [sms] = sms_outbox
    assert sms.to == "09121234567" and "پرتال" in sms.body
    page = client.get(started.url)
    assert "0912•••4567" in page.content.decode().replace("۰۹۱۲", "0912").replace("۴۵۶۷", "4567")
    assert client.get(reverse("portal:home")).status_code == 302  # not yet
    done = client.post(started.url, {"code": texted_code(sms_outbox)})
    assert done.status_code == 302 and done.url == reverse("portal:home")
    home = client.get(done.url)
    assert home.status_code == 200 and "سارا" in home.content.decode()
    assert client.session.get_expiry_age() >= 29 * 24 * 3600
    assert SignInRequest.objects.get().code_hash != texted_code(sms_outbox)  # kept hashed
    assert client.post(started.url, {"code": texted_code(sms_outbox)}).status_code == 404  # one sign-in per code


def test_the_page_tells_nothing_about_a_mobile_until_its_code_is_verified_then_offers_to_register(
        client, owner, sms_outbox, django_capture_on_commit_callbacks):
    known = client.post(reverse("portal:sign-in"), {"mobile": "09121234567"})
    unknown = client.post(reverse("portal:sign-in"), {"mobile": "09351112233"})
    assert known.status_code == unknown.status_code == 302  # the same answer: a code was texted to each
    assert client.get(unknown.url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("portal:sign-in"), {"mobile": "09351112233"})
    started = SignInRequest.objects.filter(mobile="09351112233").latest("pk")
    done = client.post(reverse("portal:code", args=[started.token]), {"code": texted_code(sms_outbox)})
    assert done.url == reverse("portal:home")
    assert client.get(done.url).url == reverse("portal:register")
    form = client.get(reverse("portal:register"))
    assert "ثبت" in form.content.decode() or form.status_code == 200
    refused = client.post(reverse("portal:register"), {"first_name": "علی", "last_name": "", "national_code": "123"})
    assert refused.status_code == 200 and 'data-testid="error-last_name"' in refused.content.decode()
    assert not Customer.objects.filter(mobile="09351112233").exists()
    client.post(reverse("portal:register"), {"first_name": "علی", "last_name": "رضایی", "national_code": ""})
    customer = Customer.objects.get(mobile="09351112233")
    assert customer.last_name == "رضایی" and not customer.is_lead
    assert client.get(reverse("portal:home")).status_code == 200


def test_wrong_codes_are_counted_and_the_fifth_ends_the_request(client, owner, sms_outbox,
                                                                 django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        url = client.post(reverse("portal:sign-in"), {"mobile": "09121234567"}).url
    right = texted_code(sms_outbox)
    wrong = "00000" if right != "00000" else "11111"
    first = client.post(url, {"code": wrong})
    assert first.status_code == 200 and "۴" in first.content.decode()  # four tries left
    for _ in range(4):
        client.post(url, {"code": wrong})
    late = client.post(url, {"code": right})
    assert late.status_code == 200 and 'data-testid="error-code"' in late.content.decode()
    assert SignInRequest.objects.get().attempts == 5
    assert client.get(reverse("portal:home")).status_code == 302


def test_an_expired_code_is_refused(client, owner, sms_outbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        url = client.post(reverse("portal:sign-in"), {"mobile": "09121234567"}).url
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=11)):
        response = client.post(url, {"code": texted_code(sms_outbox)})
    assert response.status_code == 200 and 'data-testid="error-code"' in response.content.decode()
    assert client.get(reverse("portal:home")).status_code == 302


def test_three_codes_a_mobile_an_hour_and_a_cap_per_client_address(client, owner, settings):
    for _ in range(3):
        assert client.post(reverse("portal:sign-in"), {"mobile": "09121234567"}).status_code == 302
    with nothing_written():
        fourth = client.post(reverse("portal:sign-in"), {"mobile": "09121234567"})
    assert fourth.status_code == 200 and 'data-testid="error-mobile"' in fourth.content.decode()
    settings.PORTAL_CODES_PER_ADDRESS_PER_HOUR = 5
    assert client.post(reverse("portal:sign-in"), {"mobile": "09351112233"}).status_code == 302
    assert client.post(reverse("portal:sign-in"), {"mobile": "09351112234"}).status_code == 302
    with nothing_written():
        sixth = client.post(reverse("portal:sign-in"), {"mobile": "09351112235"})
    assert 'data-testid="error-mobile"' in sixth.content.decode()
    other_address = client.post(reverse("portal:sign-in"), {"mobile": "09351112235"}, REMOTE_ADDR="10.0.0.9")
    assert other_address.status_code == 302


def test_an_invalid_mobile_gets_a_persian_message_and_no_code(client, sms_outbox):
    with nothing_written():
        response = client.post(reverse("portal:sign-in"), {"mobile": "12345"})
    assert response.status_code == 200 and 'data-testid="error-mobile"' in response.content.decode()
    assert sms_outbox == []


def test_a_customer_with_several_mobiles_sees_the_same_account_from_each(client, owner, portal_sign_in, warranted_unit):
    CustomerPhone.objects.create(customer=owner, number="09129998877", kind=CustomerPhone.Kind.MOBILE)
    portal_sign_in(client, "09129998877")
    page = client.get(reverse("portal:units"))
    assert warranted_unit.serial in page.content.decode()


def test_a_portal_session_opens_nothing_of_the_staff_side(client, owner, portal_sign_in, center_a):
    portal_sign_in(client)
    for url in ("/", "/repairs/cartable/", "/data/customers/", "/billing/", "/reports/", "/admin/"):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert response.status_code == 403 or "login" in response.url, url
    assert client.get("/api/repairs/orders/").status_code in (401, 403)
    assert client.get("/api/me/").status_code in (401, 403)


def test_a_mobile_taken_off_the_record_stops_showing_that_customer(client, owner, portal_sign_in, warranted_unit):
    portal_sign_in(client)
    assert client.get(reverse("portal:units")).status_code == 200
    Customer.objects.filter(pk=owner.pk).update(mobile="09120000000")
    assert client.get(reverse("portal:units")).url == reverse("portal:register")


def test_signing_out_ends_the_portal_session(client, owner, portal_sign_in):
    portal_sign_in(client)
    client.post(reverse("portal:sign-out"))
    assert client.get(reverse("portal:home")).status_code == 302
