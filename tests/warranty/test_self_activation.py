"""The customer activates their warranty on the public page, confirmed by a code texted to them (F26)."""

import datetime
import re

import pytest
from django.urls import reverse

from aftersales.warranty.models import ActivationRequest, WarrantyCard
from aftersales.warranty.services import warranty_card_activate, warranty_card_issue, warranty_void

pytestmark = pytest.mark.django_db

BOUGHT = "۱۴۰۵/۰۲/۱۵"


def start(client, serial="SN-1405-0001", mobile="۰۹۱۲ ۱۲۳ ۴۵۶۷", purchase_date=BOUGHT, name="سارا احمدی"):
    return client.post(reverse("warranty-activate"),
                       {"serial": serial, "mobile": mobile, "purchase_date": purchase_date, "name": name})


def texted_code(sms_outbox) -> str:
    return re.search(r"(?<!\d)\d{5}(?!\d)", sms_outbox[-1].body).group()


def test_customer_activates_with_the_code_texted_to_them_and_becomes_the_owner(
        client, unit, policy, sms_outbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = start(client, serial="sn 1405-۰۰۰۱")
    assert response.status_code == 302
    [code_sms] = sms_outbox
    assert code_sms.to == "09121234567" and unit.serial in code_sms.body
    confirm = client.get(response.url)
    assert "0912•••4567" in confirm.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(response.url, {"code": texted_code(sms_outbox)})
    assert done.status_code == 200 and "data-testid=\"activation-done\"" in done.content.decode()
    card = WarrantyCard.objects.get(unit=unit)  # a unit with no card gets one
    assert card.status == WarrantyCard.Status.ACTIVE and card.channel == WarrantyCard.Channel.CUSTOMER
    assert card.purchase_date == datetime.date(2026, 5, 5)
    unit.refresh_from_db()
    assert unit.owner.mobile == "09121234567" and unit.owner.last_name == "احمدی"
    assert "فعال شد" in sms_outbox[-1].body and card.number in sms_outbox[-1].body  # the shipped rule


def test_a_wrong_code_is_refused_and_five_wrong_codes_end_the_request(client, unit, policy, sms_outbox,
                                                                      django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        url = start(client).url
    right = texted_code(sms_outbox)
    wrong = "00000" if right != "00000" else "11111"
    response = client.post(url, {"code": wrong})
    assert response.status_code == 200 and 'data-testid="error-code"' in response.content.decode()
    for _ in range(4):
        client.post(url, {"code": wrong})
    response = client.post(url, {"code": right})
    assert not WarrantyCard.objects.filter(unit=unit, status=WarrantyCard.Status.ACTIVE).exists()
    assert ActivationRequest.objects.get().attempts == 5


def test_an_expired_code_is_refused(client, unit, policy, sms_outbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        url = start(client).url
    ActivationRequest.objects.update(expires_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))
    client.post(url, {"code": texted_code(sms_outbox)})
    assert not WarrantyCard.objects.filter(unit=unit).exists()


def test_an_unknown_serial_says_not_registered_and_sends_nothing(client, unit, policy, sms_outbox):
    response = start(client, serial="NO-SUCH-SERIAL")
    assert response.status_code == 200
    assert 'data-testid="error-serial"' in response.content.decode()
    assert sms_outbox == [] and not ActivationRequest.objects.exists()


def test_an_active_or_voided_warranty_is_refused_with_the_reason(client, unit, policy, reception_a):
    card = warranty_card_issue(unit=unit)
    warranty_card_activate(number=card.number, purchase_date=datetime.date(2026, 5, 1), channel="staff")
    assert 'data-testid="error-serial"' in start(client).content.decode()
    other = type(unit).objects.create(serial="SN-1405-0002", brand=unit.brand, product_model=unit.product_model)
    warranty_void(unit=other, reason="voltage", acting_user=reception_a)
    body = start(client, serial="SN-1405-0002").content.decode()
    assert 'data-testid="error-serial"' in body and not ActivationRequest.objects.exists()


def test_a_landline_or_a_future_date_is_refused(client, unit, policy):
    assert 'data-testid="error-mobile"' in start(client, mobile="02188776655").content.decode()
    assert 'data-testid="error-purchase_date"' in start(client, purchase_date="۱۴۹۹/۰۱/۰۱").content.decode()


def test_at_most_three_codes_an_hour_go_to_one_mobile(client, unit, policy, settings):
    settings.WARRANTY_PUBLIC_CHECKS_PER_MINUTE = 100
    for _ in range(3):
        assert start(client).status_code == 302
    assert 'data-testid="error-mobile"' in start(client).content.decode()
    assert ActivationRequest.objects.count() == 3


def test_the_public_activation_is_rate_limited_per_connection(client, unit, policy, settings):
    settings.WARRANTY_PUBLIC_CHECKS_PER_MINUTE = 2
    start(client, serial="X1")
    start(client, serial="X2")
    assert start(client, serial="X3").status_code == 429


def test_the_check_page_offers_activation_for_a_card_not_yet_activated(client, unit, policy):
    body = client.get(reverse("warranty-check"), {"serial": unit.serial}).content.decode()
    assert 'data-testid="activate-link"' in body


def test_a_used_request_cannot_activate_again(client, unit, policy, sms_outbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        url = start(client).url
    code = texted_code(sms_outbox)
    client.post(url, {"code": code})
    response = client.post(url, {"code": code})
    assert 'data-testid="error-code"' in response.content.decode()


@pytest.mark.parametrize("viewer", ["head_office", "admin_user"])
def test_the_customers_page_shows_that_a_code_was_sent_but_never_the_code(
        client, unit, policy, sms_outbox, django_capture_on_commit_callbacks, viewer, request):
    """Staff read the customer's messages on their page; an activation code is a key to the warranty
    and never shows there, in any digits (issue 13)."""
    from aftersales.core.persian import to_persian_digits
    from aftersales.customers.models import Customer
    from aftersales.messaging.models import Message

    with django_capture_on_commit_callbacks(execute=True):
        url = start(client).url
    code = texted_code(sms_outbox)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"code": code}).status_code == 200
    customer = Customer.objects.get(mobile="09121234567")
    assert Message.objects.filter(to=customer.mobile, body__contains=code).exists()  # the real SMS had it
    client.force_login(request.getfixturevalue(viewer))
    page = client.get(reverse("desk:detail", args=["customers", customer.pk])).content.decode()
    assert "کد تأیید فعال‌سازی گارانتی دستگاه" in page and "••••••" in page  # the code SMS is listed, masked
    assert code not in page and to_persian_digits(code) not in page
