"""The customer's account pages on the portal (issue 22): register a purchase (the warranty's activation, without a
texted code), complaints and their answers, the messages we sent them (codes hidden), and their details,
addresses and advertising-SMS switch; each refusal with a Persian message and nothing written."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from aftersales.catalog.models import ProductUnit
from aftersales.core import jalali
from aftersales.customers.models import Customer, CustomerAddress, CustomerPhone
from aftersales.feedback.models import Complaint
from aftersales.feedback.services import complaint_answer
from aftersales.messaging.models import Kind, Message, OptOut
from aftersales.messaging.services import message_queue
from aftersales.regions.models import Region
from aftersales.warranty.models import PurchaseProof, VoidReason, WarrantyCard
from aftersales.warranty.services import warranty_card_activate, warranty_card_issue, warranty_void
from tests.helpers import nothing_written

pytestmark = pytest.mark.django_db


def _png(colour=(30, 120, 200)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def _photo(content: bytes | None = None, name="invoice.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, _png() if content is None else content, content_type="image/png")


def _day(days_ago: int) -> str:
    return jalali.format_date(timezone.localdate() - datetime.timedelta(days=days_ago), latin_digits=True)


def _text(response) -> str:
    return response.content.decode()


@pytest.fixture
def signed_in(client, owner, portal_sign_in):
    portal_sign_in(client)
    return client


@pytest.fixture
def new_unit(warranted_unit, fridge_model):
    """A refrigerator of the warranted model, made 200 days ago, nobody's yet, with a card issued not activated."""
    unit = ProductUnit.objects.create(serial="RF-520-0100", brand=fridge_model.brand, product_model=fridge_model,
                                      production_date=timezone.localdate() - datetime.timedelta(days=200))
    warranty_card_issue(unit=unit)
    return unit


@pytest.fixture
def stranger(db):
    return Customer.objects.create(kind="person", first_name="رضا", last_name="کریمی", mobile="09127776655")


def _register(client, **fields):
    data = {"serial": "RF-520-0100", "card_number": "", "purchase_date": _day(10), "invoice_photo": _photo()}
    data.update(fields)
    return client.post(reverse("portal:unit-register"), data)


# --- register a purchase --------------------------------------------------------------------------------------

def test_registering_a_purchase_makes_the_customer_the_owner_with_an_active_card_and_keeps_the_photo(
        signed_in, owner, new_unit, reception_a, client):
    page = signed_in.get(reverse("portal:unit-register") + "?serial=RF-520-0100")
    assert page.status_code == 200 and 'value="RF-520-0100"' in _text(page)
    assert "jalalidatepicker" in _text(page)  # the product's Jalali picker
    card = WarrantyCard.objects.get(unit=new_unit)
    response = _register(signed_in, serial="rf-520-0100", card_number=card.number)
    assert response.status_code == 302 and response.url == reverse("portal:unit", args=[new_unit.pk])
    new_unit.refresh_from_db()
    card.refresh_from_db()
    assert new_unit.owner == owner
    assert card.status == WarrantyCard.Status.ACTIVE and card.channel == WarrantyCard.Channel.CUSTOMER
    assert card.purchase_date == timezone.localdate() - datetime.timedelta(days=10)
    proof = PurchaseProof.objects.get(unit=new_unit)
    assert proof.card == card and proof.customer == owner
    with proof.image.open("rb") as stored:
        assert stored.read() == _png()
    unit_page = _text(signed_in.get(response.url))
    assert 'data-state="active"' in unit_page and "گارانتی" in unit_page

    # Staff see the photo on the unit's warranty panel, through a login-protected view; nobody else does.
    client.logout()
    proof_url = reverse("warranty:proof-photo", args=[proof.pk])
    assert client.get(proof_url).status_code == 302  # to the login
    client.force_login(reception_a)
    panel = _text(client.get(reverse("desk:detail", kwargs={"slug": "units", "pk": new_unit.pk})))
    assert proof_url in panel
    photo = client.get(proof_url)
    assert photo.status_code == 200 and b"".join(photo.streaming_content) == _png()


def test_a_unit_without_a_card_gets_one_and_a_persian_date_is_read(signed_in, owner, warranted_unit, fridge_model):
    unit = ProductUnit.objects.create(serial="RF-520-0200", brand=fridge_model.brand, product_model=fridge_model)
    purchase = timezone.localdate() - datetime.timedelta(days=3)
    persian_day = jalali.format_date(purchase)  # «۱۴۰۵/۰۹/۰۴»
    response = _register(signed_in, serial="RF-520-0200", purchase_date=persian_day)
    assert response.status_code == 302
    card = WarrantyCard.objects.get(unit=unit)
    assert card.status == WarrantyCard.Status.ACTIVE and card.purchase_date == purchase
    assert ProductUnit.objects.get(pk=unit.pk).owner == owner


def test_a_not_activated_unit_of_the_customer_links_to_the_page_prefilled(signed_in, owner, new_unit):
    ProductUnit.objects.filter(pk=new_unit.pk).update(owner=owner)
    page = _text(signed_in.get(reverse("portal:unit", args=[new_unit.pk])))
    assert reverse("portal:unit-register") + "?serial=RF-520-0100" in page
    assert reverse("warranty-activate") not in page
    # Registering the customer's own not-activated unit keeps it theirs.
    assert _register(signed_in).status_code == 302
    assert WarrantyCard.objects.get(unit=new_unit).status == WarrantyCard.Status.ACTIVE


def _refused(client, field: str, **fields):
    with nothing_written():
        response = _register(client, **fields)
    text = _text(response)
    assert response.status_code == 400, text[:500]
    assert f'data-testid="error-{field}"' in text, text[:3000]
    return text


def test_an_unknown_serial_is_refused(signed_in, new_unit):
    text = _refused(signed_in, "serial", serial="NO-SUCH-1")
    assert "سریال" in text


def test_another_customers_unit_is_refused_without_naming_them(signed_in, new_unit, stranger, settings):
    settings.BILLING_MANUFACTURER = {**settings.BILLING_MANUFACTURER, "phone": "02188776655"}
    ProductUnit.objects.filter(pk=new_unit.pk).update(owner=stranger)
    text = _refused(signed_in, "serial")
    assert "مشتری دیگری" in text and "۰۲۱۸۸۷۷۶۶۵۵" in text
    assert "کریمی" not in text and "رضا" not in text and "7776655" not in text and "۷۷۷۶۶۵۵" not in text


def test_a_card_number_that_is_not_this_units_is_refused(signed_in, new_unit, warranted_unit):
    other_card = WarrantyCard.objects.get(unit=warranted_unit)
    _refused(signed_in, "card_number", card_number=other_card.number)
    _refused(signed_in, "card_number", card_number="123456789012")  # a mistyped number


def test_an_already_active_warranty_is_refused_with_its_date(signed_in, new_unit):
    card = WarrantyCard.objects.get(unit=new_unit)
    warranty_card_activate(number=card.number, purchase_date=timezone.localdate() - datetime.timedelta(days=40),
                           channel="staff")
    text = _refused(signed_in, "serial")
    assert "فعال" in text and jalali.format_date(WarrantyCard.objects.get(pk=card.pk).activated_at) in text


def test_the_customers_own_active_unit_points_to_its_page(signed_in, warranted_unit):
    text = _refused(signed_in, "serial", serial=warranted_unit.serial)
    assert 'data-testid="portal-already-yours"' in text
    assert reverse("portal:unit", args=[warranted_unit.pk]) in text


def test_a_voided_warranty_is_refused(signed_in, new_unit, technician_a):
    warranty_void(unit=new_unit, reason=VoidReason.VOLTAGE, acting_user=technician_a)
    text = _refused(signed_in, "serial")
    assert "ابطال" in text or "باطل" in text


def test_a_purchase_date_in_the_future_or_before_production_is_refused(signed_in, new_unit):
    _refused(signed_in, "purchase_date", purchase_date=_day(-2))
    _refused(signed_in, "purchase_date", purchase_date=_day(400))
    _refused(signed_in, "purchase_date", purchase_date="1405/13/40")  # no such day


def test_a_photo_that_is_too_large_or_no_image_is_refused(signed_in, new_unit):
    _refused(signed_in, "invoice_photo", invoice_photo=_photo(b"%PDF-1.4 not a photo", name="invoice.pdf"))
    _refused(signed_in, "invoice_photo", invoice_photo=_photo(_png() + b"\0" * (8 * 2**20)))
    with nothing_written():
        response = _register(signed_in, invoice_photo="")
    assert response.status_code == 400 and 'data-testid="error-invoice_photo"' in _text(response)


# --- complaints ---------------------------------------------------------------------------------------------

def test_a_complaint_about_a_repair_is_filed_once_and_listed_with_its_answer(signed_in, owner, receive, reception_a):
    order = receive(serial="NON-7")
    form = _text(signed_in.get(reverse("portal:complaint-new")))
    assert f'value="order:{order.pk}"' in form
    data = {"about": f"order:{order.pk}", "subject": "تاخیر", "text": "هنوز یخچالم آماده نشده است.",
            "submission": "key-1"}
    response = signed_in.post(reverse("portal:complaint-new"), data)
    assert response.status_code == 302 and response.url == reverse("portal:complaints")
    assert signed_in.post(reverse("portal:complaint-new"), data).status_code == 302  # a double tap
    complaint = Complaint.objects.get()
    assert complaint.channel == Complaint.Channel.PORTAL and complaint.customer == owner
    assert complaint.repair_order == order and complaint.center == order.center and complaint.unit == order.unit
    assert complaint.mobile == owner.mobile and complaint.category == Complaint.Category.SERVICE
    page = _text(signed_in.get(reverse("portal:complaints")))
    assert "هنوز یخچالم آماده نشده است." in page and 'data-testid="portal-complaint-answer"' not in page
    complaint_answer(complaint=complaint, answer="پوزش؛ فردا آماده است.", acting_user=reception_a)
    page = _text(signed_in.get(reverse("portal:complaints")))
    assert 'data-testid="portal-complaint-answer"' in page and "پوزش؛ فردا آماده است." in page
    assert 'data-status="answered"' in page


def test_a_complaint_about_a_product_or_something_else(signed_in, owner, warranted_unit):
    signed_in.post(reverse("portal:complaint-new"), {"about": f"unit:{warranted_unit.pk}", "text": "صدا می‌دهد",
                                                     "submission": "a"})
    signed_in.post(reverse("portal:complaint-new"), {"about": "other", "text": "پیشنهاد دارم", "submission": "b"})
    about_unit, other = Complaint.objects.order_by("pk")
    assert about_unit.unit == warranted_unit and about_unit.serial == warranted_unit.serial
    assert about_unit.category == Complaint.Category.PRODUCT and about_unit.repair_order is None
    assert other.unit is None and other.customer == owner and other.category == Complaint.Category.OTHER


def test_a_complaint_about_another_customers_repair_or_with_no_text_is_refused(signed_in, receive, stranger):
    theirs = receive(customer=stranger, serial="THEIRS-1")
    with nothing_written():
        response = signed_in.post(reverse("portal:complaint-new"), {"about": f"order:{theirs.pk}", "text": "x",
                                                                    "submission": "c"})
    assert response.status_code == 400 and 'data-testid="error-about"' in _text(response)
    assert f"order:{theirs.pk}" not in _text(signed_in.get(reverse("portal:complaint-new")))
    with nothing_written():
        response = signed_in.post(reverse("portal:complaint-new"), {"about": "other", "text": "  ", "submission": "d"})
    assert response.status_code == 400 and 'data-testid="error-text"' in _text(response)


def test_the_complaint_service_refuses_an_order_or_unit_of_another_customer(owner, stranger, receive, warranted_unit):
    from django.core.exceptions import ValidationError

    from aftersales.feedback.services import complaint_receive

    theirs = receive(customer=stranger, serial="THEIRS-2")
    with nothing_written(), pytest.raises(ValidationError) as refused:
        complaint_receive(channel="portal", text="x", mobile=owner.mobile, customer=owner, repair_order=theirs)
    assert "repair_order" in refused.value.message_dict
    with nothing_written(), pytest.raises(ValidationError) as refused:
        complaint_receive(channel="portal", text="x", mobile=stranger.mobile, customer=stranger, unit=warranted_unit)
    assert "unit" in refused.value.message_dict


# --- messages -----------------------------------------------------------------------------------------------

def test_messages_show_what_was_sent_to_the_customer_with_codes_hidden(signed_in, owner, stranger, receive,
                                                                      sms_outbox):
    code = next(word for word in sms_outbox[-1].body.split() if word.isdigit() and len(word) == 5)
    order = receive(serial="NON-8")
    # Sent to this mobile about someone who had it before: not the customer's.
    Message.objects.create(channel="sms", to=owner.mobile, body="پیام مشتری پیشین", customer_id=stranger.pk,
                           state=Message.State.SENT)
    Message.objects.create(channel="sms", to=owner.mobile, body="پیش‌نویس نگه‌داشته", customer_id=owner.pk,
                           state=Message.State.HELD)
    page = _text(signed_in.get(reverse("portal:messages")))
    assert 'data-code="1"' in page and code not in page
    reception = Message.objects.get(event="reception_created", customer_id=owner.pk)
    assert reception.body.splitlines()[0] in page
    assert order.tracking_code in reception.body  # their own tracking code, shown to them
    assert "پیام مشتری پیشین" not in page and "پیش‌نویس نگه‌داشته" not in page


def test_a_code_sent_to_another_mobile_of_the_customer_is_not_shown(signed_in, owner):
    CustomerPhone.objects.create(customer=owner, number="09129998877", kind=CustomerPhone.Kind.MOBILE)
    Message.objects.create(channel="sms", to="09129998877", body="کد ورود: 55555", event="portal_sign_in_code",
                           state=Message.State.SENT)
    Message.objects.create(channel="sms", to="09129998877", body="یادآوری سرویس دوره‌ای", customer_id=owner.pk,
                           state=Message.State.SENT)
    page = _text(signed_in.get(reverse("portal:messages")))
    assert "یادآوری سرویس دوره‌ای" in page and "55555" not in page
    assert page.count('data-code="1"') == 1  # only the code sent to the mobile signed in


def test_messages_are_paged_by_fifty(signed_in, owner):
    Message.objects.bulk_create([Message(channel="sms", to=owner.mobile, body=f"پیام شماره {n}", customer_id=owner.pk,
                                         state=Message.State.SENT) for n in range(60)])
    first = _text(signed_in.get(reverse("portal:messages")))
    second = _text(signed_in.get(reverse("portal:messages") + "?page=2"))
    assert first.count('data-testid="portal-message"') == 50
    assert second.count('data-testid="portal-message"') == 11  # 60 and the sign-in code


# --- my details ---------------------------------------------------------------------------------------------

def test_details_change_the_name_and_email_and_set_the_national_code_once(signed_in, owner):
    page = _text(signed_in.get(reverse("portal:me")))
    assert 'name="national_code"' in page and "09121234567" in page.replace("۰۹۱۲۱۲۳۴۵۶۷", "09121234567")
    response = signed_in.post(reverse("portal:me"), {"first_name": "سارا", "last_name": "احمدی‌نژاد",
                                                     "email": "Sara@Example.com", "national_code": "0499370899"})
    assert response.status_code == 302
    owner.refresh_from_db()
    assert (owner.last_name, owner.email, owner.national_code) == ("احمدی‌نژاد", "sara@example.com", "0499370899")
    reasons = list(owner.history.values_list("history_change_reason", flat=True)[:2])
    assert all("پرتال" in reason for reason in reasons), reasons
    page = _text(signed_in.get(reverse("portal:me")))
    assert 'name="national_code"' not in page and 'data-testid="portal-national-code"' in page
    # The recorded code is not changed by the customer, even by a hand-made request.
    signed_in.post(reverse("portal:me"), {"first_name": "سارا", "last_name": "احمدی‌نژاد", "email": "",
                                          "national_code": "0010350829"})
    owner.refresh_from_db()
    assert owner.national_code == "0499370899" and owner.email == ""


def test_bad_details_are_refused_with_nothing_written(signed_in, owner, stranger):
    Customer.objects.filter(pk=stranger.pk).update(national_code="0010350829")
    for data, field in (({"last_name": "", "email": ""}, "last_name"),
                        ({"last_name": "احمدی", "email": "not-an-address"}, "email"),
                        ({"last_name": "احمدی", "email": "", "national_code": "1234567890"}, "national_code"),
                        ({"last_name": "احمدی نو", "email": "", "national_code": "0010350829"}, "national_code")):
        with nothing_written(owner):
            response = signed_in.post(reverse("portal:me"), data)
        assert response.status_code == 400 and f'data-testid="error-{field}"' in _text(response), data
    assert "کریمی" not in _text(response)


@pytest.fixture
def tehran(db):
    """The city of Tehran, from the regions every installation loads."""
    return Region.objects.get(kind=Region.Kind.CITY, name="تهران")


def test_addresses_are_added_with_a_postal_code_and_removed(signed_in, owner, tehran):
    page = _text(signed_in.get(reverse("portal:me")))
    assert f'<option value="{tehran.pk}">' in page
    response = signed_in.post(reverse("portal:address-add"), {"region": tehran.pk, "address": "نارمک، خیابان گلبرگ",
                                                               "postal_code": "۱۱۹۳۶۵۳۴۷۱"})
    assert response.status_code == 302
    first = CustomerAddress.objects.get(customer=owner)
    assert first.postal_code == "1193653471" and first.is_default
    signed_in.post(reverse("portal:address-add"), {"region": tehran.pk, "address": "ونک", "postal_code": "1431713551"})
    second = CustomerAddress.objects.exclude(pk=first.pk).get()
    assert second.is_default and not CustomerAddress.objects.get(pk=first.pk).is_default
    assert "نارمک، خیابان گلبرگ" in _text(signed_in.get(reverse("portal:me")))
    assert signed_in.post(reverse("portal:address-remove", args=[second.pk])).status_code == 302
    assert list(CustomerAddress.objects.values_list("pk", "is_default")) == [(first.pk, True)]
    assert "پرتال" in owner.history.first().history_change_reason


def test_a_bad_postal_code_or_another_customers_address_is_refused(signed_in, owner, stranger, tehran):
    with nothing_written(owner):
        response = signed_in.post(reverse("portal:address-add"), {"region": tehran.pk, "address": "ونک",
                                                                   "postal_code": "12345"})
    assert response.status_code == 400 and 'data-testid="error-postal_code"' in _text(response)
    theirs = CustomerAddress.objects.create(customer=stranger, region=tehran, address="خانه رضا",
                                            postal_code="1431713551")
    with nothing_written(theirs):
        assert signed_in.post(reverse("portal:address-remove", args=[theirs.pk])).status_code == 404
    assert signed_in.get(reverse("portal:address-remove", args=[theirs.pk])).status_code in (404, 405)


def test_advertising_sms_are_switched_off_and_on_again(signed_in, owner):
    page = _text(signed_in.get(reverse("portal:me")))
    assert 'data-opted-out="0"' in page and "پیامک‌های خدماتی" in page
    assert signed_in.post(reverse("portal:opt-out"), {"opt_out": "on"}).status_code == 302
    opt_out = OptOut.objects.get(address=owner.mobile)
    assert opt_out.source == OptOut.Source.PORTAL
    assert 'data-opted-out="1"' in _text(signed_in.get(reverse("portal:me")))
    assert message_queue(channel="sms", to=owner.mobile, body="حراج!", kind=Kind.MARKETING) is None
    assert message_queue(channel="sms", to=owner.mobile, body="دستگاه شما آماده است", kind=Kind.SERVICE)
    assert signed_in.post(reverse("portal:opt-out"), {}).status_code == 302
    assert not OptOut.objects.filter(address=owner.mobile).exists()
    assert message_queue(channel="sms", to=owner.mobile, body="حراج!", kind=Kind.MARKETING) is not None
    history = list(OptOut.history.filter(address=owner.mobile).order_by("history_id")
                   .values_list("history_type", "history_change_reason"))
    assert [kind for kind, _reason in history] == ["+", "-"]
    assert all("پرتال" in reason for _kind, reason in history)


def test_the_account_pages_are_in_the_bottom_bar_and_on_the_home_page(signed_in):
    home = _text(signed_in.get(reverse("portal:home")))
    for name in ("portal:unit-register", "portal:complaints", "portal:messages", "portal:me"):
        assert reverse(name) in home, name
    assert 'data-testid="portal-bar-messages"' in home and 'data-testid="portal-bar-me"' in home
