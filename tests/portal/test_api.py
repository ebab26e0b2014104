"""The customer portal's REST API (issue 22): signed in with the texted code for a portal key, the customer's app
reads units, repairs, requests, complaints, messages and details, and writes through the pages' services (same
rules, same Persian messages); another customer's ids are 404, a portal key opens no staff operation and no staff
credential opens a portal one."""

import datetime
import io

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from rest_framework.test import APIClient

from aftersales.billing.services import invoice_issue, payment_record
from aftersales.catalog.models import ProductModel, ProductUnit
from aftersales.customers.models import Customer, CustomerAddress
from aftersales.feedback.models import Complaint
from aftersales.messaging.models import Message, OptOut
from aftersales.portal.models import PortalToken, SignInRequest
from aftersales.regions.models import Region, SalesTerritory
from aftersales.repairs.models import RepairOrder, ServiceRequest
from aftersales.repairs.services import estimate_set, operation_add
from aftersales.warranty.models import PeriodicService, VoidReason, WarrantyCard
from aftersales.warranty.services import warranty_card_activate, warranty_card_issue, warranty_void
from tests.helpers import nothing_written

from .conftest import texted_code

pytestmark = pytest.mark.django_db

MOBILE = "09121234567"


def url(name, *args):
    return reverse(f"portal-api:{name}", args=args)


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (30, 120, 200)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def api_sign_in(sms_outbox, django_capture_on_commit_callbacks):
    """Sign an API client in as ``mobile`` the way the customer's app does: the mobile, then the texted code."""

    def sign_in(mobile=MOBILE, client=None):
        client = client or APIClient()
        with django_capture_on_commit_callbacks(execute=True):
            started = client.post(url("sign-in"), {"mobile": mobile}, format="json")
        assert started.status_code == 202, started.content
        done = client.post(url("sign-in-confirm"), {"mobile": mobile, "code": texted_code(sms_outbox)}, format="json")
        assert done.status_code == 201, done.content
        client.credentials(HTTP_AUTHORIZATION=f"Portal {done.data['token']}")
        client.signed_in = done.data
        return client

    return sign_in


@pytest.fixture
def customer(owner, api_sign_in):
    return api_sign_in()


@pytest.fixture
def region(center_a):
    """A city served by center A (its territory), so that a request for service reaches it."""
    city = Region.objects.filter(kind=Region.Kind.CITY).order_by("code").first()
    territory = SalesTerritory.objects.create(code="API-T", name="تهران")
    territory.regions.add(city)
    territory.centers.add(center_a)
    return city


@pytest.fixture
def demo_like(owner, warranted_unit, fridge_model, receive, reception_a, technician_a, service_item):
    """Units in every warranty state, components and a periodic service falling due, a finished repair invoiced and
    paid in part, and an open one whose estimate waits for the answer: the demo customer's shape."""
    from aftersales.catalog.models import ComponentType, UnitComponent

    def unit(serial, model=fridge_model):
        return ProductUnit.objects.create(serial=serial, brand=model.brand, product_model=model, owner=owner)

    expired = unit("RF-OLD-1")
    card = warranty_card_issue(unit=expired)
    warranty_card_activate(number=card.number, purchase_date=timezone.localdate() - datetime.timedelta(days=800),
                           channel="staff")
    not_activated = unit("RF-NEW-1")
    warranty_card_issue(unit=not_activated)
    voided = unit("RF-VOID-1")
    card = warranty_card_issue(unit=voided)
    warranty_card_activate(number=card.number, purchase_date=timezone.localdate() - datetime.timedelta(days=30),
                           channel="staff")
    warranty_void(unit=voided, reason=VoidReason.VOLTAGE, acting_user=technician_a)
    fan = ProductModel.objects.create(code="FAN-1", name="پنکه رومیزی", brand=fridge_model.brand, group=fridge_model.group)
    no_policy = unit("FAN-0001", fan)
    UnitComponent.objects.create(unit=warranted_unit, component_type=ComponentType.objects.get(code="COMPRESSOR"),
                                 serial="CMP-9", fitted_on=timezone.localdate() - datetime.timedelta(days=60))
    PeriodicService.objects.create(unit=warranted_unit, sequence=1, is_free=True,
                                   due_on=timezone.localdate() + datetime.timedelta(days=100))
    finished = receive(unit=expired, description="برفک زیاد می‌زند")
    operation_add(order=finished, acting_user=technician_a, service_item=service_item, minutes=40)
    invoice = invoice_issue(orders=[finished], acting_user=reception_a)
    payment_record(invoice=invoice, amount=1_000_000, method="cash", acting_user=reception_a)
    waiting = receive(serial="TV-1", description="تصویر ندارد", promised_on=timezone.localdate() + datetime.timedelta(days=3))
    estimate_set(order=waiting, amount=4_500_000, acting_user=reception_a)
    return {"units": {"active": warranted_unit, "expired": expired, "not_activated": not_activated,
                      "voided": voided, "no_policy": no_policy},
            "finished": finished, "invoice": invoice, "waiting": waiting}


@pytest.fixture
def other(fridge_model, receive, reception_a, technician_a, service_item, region):
    """Another customer with a unit, a repair with an invoice, a complaint, an address and a request for service."""
    from aftersales.feedback.services import complaint_receive
    from aftersales.repairs.requests import service_request_submit

    person = Customer.objects.create(kind="person", first_name="رضا", last_name="کریمی", mobile="09127776655")
    unit = ProductUnit.objects.create(serial="OTHER-1", brand=fridge_model.brand, product_model=fridge_model,
                                      owner=person)
    warranty_card_issue(unit=unit)
    order = receive(customer=person, unit=unit)
    estimate_set(order=order, amount=1_000_000, acting_user=reception_a)
    address = CustomerAddress.objects.create(customer=person, region=region, address="OTHER-ADDRESS",
                                             postal_code="1193653471")
    request = service_request_submit(customer=person, kind="in_center", description="OTHER-REQUEST", region=region,
                                     serial="OTHER-REQ")
    complaint = complaint_receive(channel="portal", text="OTHER-COMPLAINT", mobile=person.mobile, customer=person)
    return {"customer": person, "unit": unit, "order": order, "address": address, "request": request,
            "complaint": complaint}


# --- Sign-in and the key's life ------------------------------------------------------------------------------

def test_the_same_answer_for_a_known_and_an_unknown_mobile_and_a_key_kept_hashed(owner, sms_outbox, api_sign_in):
    client = APIClient()
    known = client.post(url("sign-in"), {"mobile": MOBILE}, format="json")
    unknown = client.post(url("sign-in"), {"mobile": "09351112233"}, format="json")
    assert known.status_code == unknown.status_code == 202 and known.data == unknown.data
    signed = api_sign_in()
    assert signed.signed_in["has_account"] is True and signed.signed_in["mobile"] == MOBILE
    token = PortalToken.objects.get()
    assert token.key_hash != signed.signed_in["token"] and signed.signed_in["token"] not in token.key_hash
    assert (token.expires_at - timezone.now()).days >= 29 and signed.signed_in["expires_at_jalali"].startswith("14")
    me = signed.get(url("me"))
    assert me.status_code == 200 and me.data["first_name"] == "سارا" and me["Cache-Control"] == "no-store"
    PortalToken.objects.filter(pk=token.pk).update(last_used_at=None)
    signed.get(url("me"))
    assert PortalToken.objects.get().last_used_at is not None


def test_an_unknown_mobile_registers_after_its_code_and_only_once(api_sign_in):
    client = api_sign_in("09351112233")
    assert client.signed_in["has_account"] is False
    no_account = client.get(url("units"))
    assert no_account.status_code == 403 and "ثبت‌نام" in no_account.data["detail"]  # register first
    with nothing_written():
        refused = client.post(url("register"), {"first_name": "علی", "last_name": ""}, format="json")
    assert refused.status_code == 400 and "last_name" in refused.data
    done = client.post(url("register"), {"first_name": "علی", "last_name": "رضایی"}, format="json")
    assert done.status_code == 201 and done.data["last_name"] == "رضایی" and done.data["mobile"] == "09351112233"
    assert client.get(url("units")).status_code == 200
    with nothing_written():
        again = client.post(url("register"), {"last_name": "دیگری"}, format="json")
    assert again.status_code == 400 and "mobile" in again.data


def test_wrong_expired_and_used_codes_are_refused_with_persian_messages(owner, sms_outbox,
                                                                         django_capture_on_commit_callbacks):
    client = APIClient()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("sign-in"), {"mobile": MOBILE}, format="json")
    right = texted_code(sms_outbox)
    wrong = "00000" if right != "00000" else "11111"
    refused = client.post(url("sign-in-confirm"), {"mobile": MOBILE, "code": wrong}, format="json")
    assert refused.status_code == 400 and "4" in refused.data["code"][0] and "کد" in refused.data["code"][0]
    assert not PortalToken.objects.exists()
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=11)):
        late = client.post(url("sign-in-confirm"), {"mobile": MOBILE, "code": right}, format="json")
    assert late.status_code == 400 and "code" in late.data and not PortalToken.objects.exists()
    nobody = client.post(url("sign-in-confirm"), {"mobile": "09350000000", "code": right}, format="json")
    assert nobody.status_code == 400 and "code" in nobody.data


def test_five_wrong_codes_end_the_request(owner, sms_outbox, django_capture_on_commit_callbacks):
    client = APIClient()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("sign-in"), {"mobile": MOBILE}, format="json")
    right = texted_code(sms_outbox)
    wrong = "00000" if right != "00000" else "11111"
    for _ in range(5):
        client.post(url("sign-in-confirm"), {"mobile": MOBILE, "code": wrong}, format="json")
    assert client.post(url("sign-in-confirm"), {"mobile": MOBILE, "code": right}, format="json").status_code == 400
    assert SignInRequest.objects.get().attempts == 5 and not PortalToken.objects.exists()


def test_the_pages_limits_hold_on_the_api(owner, settings):
    client = APIClient()
    for _ in range(3):
        assert client.post(url("sign-in"), {"mobile": MOBILE}, format="json").status_code == 202
    with nothing_written():
        fourth = client.post(url("sign-in"), {"mobile": MOBILE}, format="json")
    assert fourth.status_code == 400 and "mobile" in fourth.data  # three codes a mobile an hour
    settings.PORTAL_CODES_PER_ADDRESS_PER_HOUR = 4
    assert client.post(url("sign-in"), {"mobile": "09351112233"}, format="json").status_code == 202
    with nothing_written():
        capped = client.post(url("sign-in"), {"mobile": "09351112234"}, format="json")
    assert capped.status_code == 400 and "mobile" in capped.data  # the cap per client address
    other_address = client.post(url("sign-in"), {"mobile": "09351112234"}, format="json", REMOTE_ADDR="10.0.0.9")
    assert other_address.status_code == 202
    settings.WARRANTY_PUBLIC_CHECKS_PER_MINUTE = 2
    statuses = [client.post(url("sign-in-confirm"), {"mobile": MOBILE, "code": "12345"}, format="json",
                            REMOTE_ADDR="10.0.0.7").status_code for _ in range(3)]
    assert statuses == [400, 400, 429]


def test_an_invalid_mobile_is_a_400_with_no_code(sms_outbox):
    with nothing_written():
        response = APIClient().post(url("sign-in"), {"mobile": "12345"}, format="json")
    assert response.status_code == 400 and "mobile" in response.data and sms_outbox == []


def test_a_revoked_or_expired_key_is_a_401(customer):
    assert customer.get(url("units")).status_code == 200
    with time_machine.travel(timezone.now() + datetime.timedelta(days=31)):
        expired = customer.get(url("units"))
    assert expired.status_code == 401 and expired["WWW-Authenticate"] == "Portal"
    assert customer.post(url("sign-out")).status_code == 204
    assert PortalToken.objects.get().revoked_at is not None
    assert customer.get(url("units")).status_code == 401
    assert APIClient().get(url("units")).status_code == 401
    forged = APIClient()
    forged.credentials(HTTP_AUTHORIZATION="Portal made-up-key")
    assert forged.get(url("units")).status_code == 401


def test_a_portal_key_opens_no_staff_operation(customer, center_a, receive):
    order = receive(serial="STAFF-1")
    for path in ("/api/me/", "/api/repairs/orders/", f"/api/repairs/orders/{order.pk}/", "/api/centers/",
                 "/api/repairs/requests/", "/api/reports/", "/api/warranty/status/?serial=RF-520-0001"):
        assert customer.get(path).status_code in (401, 403), path
    assert customer.post("/api/auth/token/revoke/").status_code in (401, 403)
    assert customer.get("/repairs/cartable/").status_code in (302, 403)


def test_staff_credentials_open_no_portal_operation(client, api_client, reception_a, owner, warranted_unit, login):
    from rest_framework.authtoken.models import Token

    token, _created = Token.objects.get_or_create(user=reception_a)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    login(reception_a)
    for name, args in (("units", ()), ("unit", (warranted_unit.pk,)), ("repairs", ()), ("me", ()),
                       ("messages", ()), ("complaints", ()), ("service-requests", ())):
        assert api_client.get(url(name, *args)).status_code == 401, name
        assert client.get(url(name, *args)).status_code == 401, name
    with nothing_written(owner):
        assert api_client.patch(url("me"), {"last_name": "X"}, format="json").status_code == 401
        assert client.patch(url("me"), '{"last_name": "X"}', content_type="application/json").status_code == 401


# --- Reads ---------------------------------------------------------------------------------------------------

def test_my_units_with_their_warranty_state_and_end(customer, demo_like, other):
    units = customer.get(url("units")).data
    states = {row["serial"]: row["warranty"]["state"] for row in units}
    assert states == {unit.serial: state for state, unit in demo_like["units"].items()}
    active = next(row for row in units if row["serial"] == "RF-520-0001")
    assert active["warranty"]["end"] and active["warranty"]["end_jalali"].startswith("14")
    assert active["warranty"]["state_label"] and active["product_model"]
    assert "OTHER-1" not in str(units)


def test_one_unit_with_components_card_periodic_services_and_history(customer, demo_like):
    active, expired = demo_like["units"]["active"], demo_like["units"]["expired"]
    data = customer.get(url("unit", active.pk)).data
    assert [part["component_name"] for part in data["components"]] and data["components"][0]["state"]
    assert data["card_number"] == WarrantyCard.objects.get(unit=active).number
    assert data["free_services_left"] == 1 and data["next_service_due_on"] and data["next_service_due_on_jalali"]
    assert data["periodic_services"][0]["sequence"] == 1
    history = customer.get(url("unit", expired.pk)).data["repairs"]
    assert history[0]["description"] == "برفک زیاد می‌زند" and history[0]["work"] == ["شارژ گاز"]
    assert history[0]["id"] == demo_like["finished"].pk and history[0]["state"]


def test_my_repairs_open_and_finished_paged(customer, demo_like):
    from aftersales.workflow.models import State

    finished = demo_like["finished"]
    final = State.objects.filter(workflow=finished.state.workflow, is_final=True).first()
    RepairOrder.objects.filter(pk=finished.pk).update(state=final)
    everything = customer.get(url("repairs")).data
    assert everything["count"] == 2 and {row["id"] for row in everything["results"]} == {
        finished.pk, demo_like["waiting"].pk}
    opened = customer.get(url("repairs") + "?status=open").data["results"]
    assert [row["id"] for row in opened] == [demo_like["waiting"].pk] and opened[0]["is_open"]
    assert opened[0]["estimate_status"] == "pending" and opened[0]["promised_on_jalali"]
    assert [row["id"] for row in customer.get(url("repairs") + "?status=finished").data["results"]] == [finished.pk]
    assert customer.get(url("repairs") + "?status=lost").status_code == 400


def test_a_repair_with_its_estimate_invoices_what_is_owed_and_steps(customer, demo_like):
    waiting = customer.get(url("repair", demo_like["waiting"].pk)).data
    assert waiting["estimate"]["status"] == "pending" and waiting["estimate"]["total"] == 4_500_000
    assert waiting["state"] == demo_like["waiting"].state.label_for_customer
    assert waiting["tracking_code"] == demo_like["waiting"].tracking_code and waiting["center"]["name"]
    finished = customer.get(url("repair", demo_like["finished"].pk)).data
    invoice = demo_like["invoice"]
    [shown] = finished["invoices"]
    assert shown["number"] == invoice.number and shown["paid"] == 1_000_000
    assert shown["owed"] == invoice.total - 1_000_000 == finished["owed"] and shown["payments"][0]["amount"] == 1_000_000
    assert shown["issued_at_jalali"] and shown["pdf_url"] == reverse("portal:invoice-pdf", args=[invoice.pk])


def test_messages_complaints_requests_and_me(customer, owner, demo_like, region):
    from aftersales.feedback.services import complaint_receive
    from aftersales.repairs.requests import service_request_submit

    Message.objects.create(channel="sms", to=MOBILE, body="یخچال شما آماده است", customer_id=owner.pk,
                           state=Message.State.SENT)
    complaint_receive(channel="portal", text="دیر شد", mobile=MOBILE, customer=owner)
    service_request_submit(customer=owner, kind="in_center", description="صدا می‌دهد", region=region,
                           unit=demo_like["units"]["active"])
    messages = customer.get(url("messages")).data["results"]
    texts = [row["text"] for row in messages]
    assert "یخچال شما آماده است" in texts
    code = next(row for row in messages if row["is_code"])
    assert texted_code_absent(code["text"])
    assert customer.get(url("complaints")).data["results"][0]["text"] == "دیر شد"
    [request] = customer.get(url("service-requests")).data["results"]
    assert request["status"] == "pending" and request["unit"] == demo_like["units"]["active"].pk
    me = customer.get(url("me")).data
    assert me["last_name"] == "احمدی" and me["marketing_opt_out"] is False and me["phones"] == [MOBILE]


def texted_code_absent(text: str) -> bool:
    import re

    return re.search(r"\d{5}", text) is None


# --- Writes --------------------------------------------------------------------------------------------------

def test_answering_an_estimate(customer, demo_like):
    waiting = demo_like["waiting"]
    answered = customer.post(url("repair-estimate", waiting.pk), {"approve": True}, format="json")
    assert answered.status_code == 200 and answered.data["estimate"]["status"] == "approved"
    waiting.refresh_from_db()
    assert waiting.estimate_status == RepairOrder.Estimate.APPROVED
    with nothing_written(waiting):
        again = customer.post(url("repair-estimate", waiting.pk), {"approve": False}, format="json")
    assert again.status_code == 400 and again.data["non_field_errors"]
    with nothing_written(waiting):
        bad = customer.post(url("repair-estimate", waiting.pk), {"approve": "maybe"}, format="json")
    assert bad.status_code == 400 and "approve" in bad.data


def test_asking_for_service_and_withdrawing_it(customer, warranted_unit, region, center_a):
    day = (timezone.localdate() + datetime.timedelta(days=2)).isoformat()
    photo = SimpleUploadedFile("fridge.png", _png(), content_type="image/png")
    sent = customer.post(url("service-requests"), {
        "unit": warranted_unit.pk, "kind": "home", "description": "سرد نمی‌کند", "region": region.pk,
        "address": "خیابان آزادی، پلاک ۱", "postal_code": "1193653471", "preferred_on": day, "window": "morning",
        "photos": [photo]}, format="multipart")
    assert sent.status_code == 201, sent.data
    request = ServiceRequest.objects.get()
    assert request.center == center_a and request.unit == warranted_unit and request.photos.count() == 1
    assert sent.data["preferred_on"] == day and sent.data["preferred_on_jalali"] and sent.data["center"] == center_a.name
    cancelled = customer.post(url("service-request-cancel", request.pk))
    assert cancelled.status_code == 200 and cancelled.data["status"] == "cancelled"
    with nothing_written(request):
        again = customer.post(url("service-request-cancel", request.pk))
    assert again.status_code == 400


def test_a_request_for_service_with_bad_input_is_refused_by_field_with_nothing_written(customer, warranted_unit,
                                                                                     region):
    past = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    with nothing_written():
        refused = customer.post(url("service-requests"), {
            "unit": warranted_unit.pk, "kind": "home", "description": "سرد نمی‌کند", "region": region.pk,
            "preferred_on": past}, format="json")
    assert refused.status_code == 400 and set(refused.data) == {"address", "postal_code", "preferred_on"}
    assert "نشانی" in refused.data["address"][0]  # the service's Persian message
    with nothing_written():
        blank = customer.post(url("service-requests"), {"unit": warranted_unit.pk, "kind": "in_center",
                                                        "description": " ", "region": region.pk}, format="json")
    assert blank.status_code == 400 and "description" in blank.data
    with nothing_written():
        no_center = customer.post(url("service-requests"), {
            "serial": "X-1", "kind": "in_center", "description": "خراب است",
            "region": Region.objects.filter(kind=Region.Kind.CITY).exclude(pk=region.pk).first().pk}, format="json")
    assert no_center.status_code == 400 and "region" in no_center.data


def test_registering_a_purchase(customer, warranted_unit, fridge_model):
    unit = ProductUnit.objects.create(serial="RF-520-0100", brand=fridge_model.brand, product_model=fridge_model,
                                      production_date=timezone.localdate() - datetime.timedelta(days=200))
    warranty_card_issue(unit=unit)
    day = (timezone.localdate() - datetime.timedelta(days=5)).isoformat()
    with nothing_written(unit):
        future = customer.post(url("purchases"), {
            "serial": unit.serial, "purchase_date": (timezone.localdate() + datetime.timedelta(days=5)).isoformat(),
            "invoice_photo": SimpleUploadedFile("i.png", _png(), content_type="image/png")}, format="multipart")
    assert future.status_code == 400 and "purchase_date" in future.data
    done = customer.post(url("purchases"), {
        "serial": unit.serial, "purchase_date": day,
        "invoice_photo": SimpleUploadedFile("i.png", _png(), content_type="image/png")}, format="multipart")
    assert done.status_code == 201, done.data
    assert done.data["id"] == unit.pk and done.data["warranty"]["state"] == "active"
    unit.refresh_from_db()
    assert unit.owner.mobile == MOBILE


def test_filing_a_complaint(customer, demo_like):
    order = demo_like["finished"]
    filed = customer.post(url("complaints"), {"repair": order.pk, "subject": "تأخیر", "text": "دیر تحویل شد",
                                              "submission_key": "k1"}, format="json")
    assert filed.status_code == 201 and filed.data["repair"] == order.pk and filed.data["number"]
    again = customer.post(url("complaints"), {"repair": order.pk, "subject": "تأخیر", "text": "دیر تحویل شد",
                                              "submission_key": "k1"}, format="json")
    assert again.data["id"] == filed.data["id"] and Complaint.objects.count() == 1  # a retry records it once
    with nothing_written():
        empty = customer.post(url("complaints"), {"text": ""}, format="json")
    assert empty.status_code == 400 and "text" in empty.data


def test_changing_my_details_and_the_advertising_switch(customer, owner, region):
    changed = customer.patch(url("me"), {"first_name": "سارا", "last_name": "احمدی‌نژاد", "email": "s@example.com",
                                         "national_code": "0012345679", "marketing_opt_out": True}, format="json")
    assert changed.status_code == 200, changed.data
    owner.refresh_from_db()
    assert owner.last_name == "احمدی‌نژاد" and owner.national_code == "0012345679" and owner.email == "s@example.com"
    assert changed.data["marketing_opt_out"] is True and OptOut.objects.filter(address=MOBILE).exists()
    with nothing_written(owner):
        refused = customer.patch(url("me"), {"national_code": "1234567891", "email": "not-an-email"}, format="json")
    assert refused.status_code == 400 and "national_code" in refused.data
    with nothing_written(owner):
        empty = customer.patch(url("me"), {"last_name": ""}, format="json")
    assert empty.status_code == 400 and "last_name" in empty.data
    added = customer.post(url("addresses"), {"region": region.pk, "address": "خیابان ولیعصر",
                                             "postal_code": "1193653471"}, format="json")
    assert added.status_code == 201 and added.data["is_default"] is True
    with nothing_written():
        bad = customer.post(url("addresses"), {"region": region.pk, "address": "x", "postal_code": "12"}, format="json")
    assert bad.status_code == 400 and "postal_code" in bad.data
    assert customer.delete(url("address", added.data["id"])).status_code == 204
    assert not CustomerAddress.objects.filter(customer=owner).exists()


def test_another_customers_ids_are_404_and_nothing_is_written(customer, owner, other):
    reads = [url("unit", other["unit"].pk), url("repair", other["order"].pk)]
    for path in reads:
        assert customer.get(path).status_code == 404, path
    with nothing_written(*[other[key] for key in ("order", "request", "address")]):
        assert customer.post(url("repair-estimate", other["order"].pk), {"approve": True},
                             format="json").status_code == 404
        assert customer.post(url("service-request-cancel", other["request"].pk)).status_code == 404
        assert customer.delete(url("address", other["address"].pk)).status_code == 404
        unit = customer.post(url("service-requests"), {"unit": other["unit"].pk, "kind": "in_center",
                                                       "description": "x", "region": other["request"].region_id},
                             format="json")
        assert unit.status_code == 400 and "unit" in unit.data and "کریمی" not in str(unit.data)
        complaint = customer.post(url("complaints"), {"repair": other["order"].pk, "text": "x"}, format="json")
        assert complaint.status_code == 400 and "repair" in complaint.data
    assert customer.get(url("unit", 2**63)).status_code == 404  # an id no database holds: a 404, not a 500
    lists = [customer.get(url(name)).content.decode() for name in
             ("units", "repairs", "messages", "complaints", "service-requests", "me")]
    for marker in ("OTHER-1", "OTHER-REQ", "OTHER-COMPLAINT", "OTHER-ADDRESS", other["order"].number, "کریمی"):
        assert not any(marker in text for text in lists), marker
