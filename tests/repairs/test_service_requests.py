"""Customers ask for service (issue 22): a request reaches the cartable of the center that serves its
region, as a draft reception a receptionist of that center confirms into an order or declines."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from aftersales.core.persian import localize_digits
from aftersales.customers.models import Customer
from aftersales.messaging.models import Message
from aftersales.organization.roles import Role
from aftersales.regions.models import Region, SalesTerritory
from aftersales.repairs.models import RepairOrder, ServiceRequest
from aftersales.repairs.requests import (
    center_for_region, service_request_cancel, service_request_confirm, service_request_decline,
    service_request_submit, service_requests_of, service_requests_pending,
)
from tests.factories import ServiceCenterFactory, UserFactory

pytestmark = pytest.mark.django_db

HEAD_OFFICE_PHONE = "02188776655"


def _png(colour=(200, 30, 30)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.BILLING_MANUFACTURER = {**settings.BILLING_MANUFACTURER, "phone": HEAD_OFFICE_PHONE}


@pytest.fixture
def regions(db):
    """A province with a city and two of its districts, another city of it, and a province nobody serves."""
    province = Region.objects.create(code="Z1", name="استان آزمون", kind=Region.Kind.PROVINCE)
    city = Region.objects.create(code="Z101", name="شهر آزمون", kind=Region.Kind.CITY, parent=province)
    other_city = Region.objects.create(code="Z102", name="شهر دوم", kind=Region.Kind.CITY, parent=province)
    district = Region.objects.create(code="Z10101", name="منطقه یک", kind=Region.Kind.DISTRICT, parent=city)
    other_district = Region.objects.create(code="Z10102", name="منطقه دو", kind=Region.Kind.DISTRICT, parent=city)
    far = Region.objects.create(code="Z2", name="استان دور", kind=Region.Kind.PROVINCE)
    far_city = Region.objects.create(code="Z201", name="شهر دور", kind=Region.Kind.CITY, parent=far)
    return {"province": province, "city": city, "other_city": other_city, "district": district,
            "other_district": other_district, "far_city": far_city}


def _territory(code, regions, centers, **options):
    territory = SalesTerritory.objects.create(code=code, name=code, **options)
    territory.regions.add(*regions)
    territory.centers.add(*centers)
    return territory


@pytest.fixture
def served(regions, center_a, center_b):
    """Center A serves the first district, center B the rest of the province."""
    _territory("T-DIST", [regions["district"]], [center_a])
    _territory("T-PROV", [regions["province"]], [center_b])
    return regions


@pytest.fixture
def submit(owner, served):
    def _submit(**options):
        options.setdefault("customer", owner)
        options.setdefault("kind", RepairOrder.Kind.IN_CENTER)
        options.setdefault("description", "یخچال سرد نمی‌کند")
        options.setdefault("region", served["district"])
        if "unit" not in options and "product_model" not in options:
            options.setdefault("serial", "RF-NEW-1")
        return service_request_submit(**options)

    return _submit


def _photos(count=2):
    return [SimpleUploadedFile(f"p{index}.png", _png((index * 40, 30, 30)), content_type="image/png")
            for index in range(count)]


# --- routing ------------------------------------------------------------------------------------------------

def test_the_district_beats_the_city_which_beats_the_province(regions, center_a, center_b):
    center_c = ServiceCenterFactory(code="TST03", name="مرکز سوم")
    _territory("T-PROV", [regions["province"]], [center_b])
    _territory("T-CITY", [regions["city"]], [center_c])
    _territory("T-DIST", [regions["district"]], [center_a])
    assert center_for_region(regions["district"]) == center_a
    assert center_for_region(regions["other_district"]) == center_c  # its city's territory
    assert center_for_region(regions["city"]) == center_c
    assert center_for_region(regions["other_city"]) == center_b  # only the province is named
    assert center_for_region(regions["far_city"]) is None


def test_between_centers_of_one_territory_the_least_pending_wins_then_the_lowest_id(regions, owner, center_a):
    second = ServiceCenterFactory(code="TST04", name="مرکز چهارم")
    _territory("T-CITY", [regions["city"]], [second, center_a])
    first, later = sorted([center_a, second], key=lambda center: center.pk)
    assert center_for_region(regions["district"]) == first
    request = service_request_submit(customer=owner, kind="in_center", description="صدا می‌دهد",
                                     region=regions["district"], serial="X-1")
    assert request.center == first
    assert center_for_region(regions["district"]) == later  # the first now has one waiting


def test_an_inactive_center_or_territory_serves_nobody(regions, center_a, center_b):
    center_a.is_active = False
    center_a.save()
    _territory("T-DIST", [regions["district"]], [center_a])
    _territory("T-CITY", [regions["city"]], [center_b], is_active=False)
    assert center_for_region(regions["district"]) is None


def test_a_region_no_center_serves_is_refused_with_head_offices_phone_and_nothing_written(submit, regions):
    with pytest.raises(ValidationError) as refused:
        submit(region=regions["far_city"], photos=_photos(1))
    message = refused.value.message_dict["region"][0]
    assert localize_digits(HEAD_OFFICE_PHONE) in message and str(regions["far_city"]) in message
    assert not ServiceRequest.objects.exists() and not Message.objects.exists()


def test_without_head_offices_phone_the_refusal_says_to_call_without_a_number(submit, regions, settings):
    settings.BILLING_MANUFACTURER = {**settings.BILLING_MANUFACTURER, "phone": ""}
    with pytest.raises(ValidationError) as refused:
        submit(region=regions["far_city"])
    message = refused.value.message_dict["region"][0]
    assert message.endswith(".") and not any(char.isdigit() for char in message)
    assert not ServiceRequest.objects.exists()


# --- submitting --------------------------------------------------------------------------------------------

def test_a_request_lands_at_the_center_serving_its_district_and_the_customer_is_texted(submit, center_a, owner):
    request = submit(photos=_photos(2), preferred_on=timezone.localdate() + datetime.timedelta(days=3),
                     window="morning")
    assert request.center == center_a and request.status == ServiceRequest.Status.PENDING
    assert request.photos.count() == 2
    ack = Message.objects.get(event="service_request_received")
    assert ack.to == owner.mobile and center_a.name in ack.body


def test_a_unit_of_another_customer_is_refused_without_naming_its_owner(submit, warranted_unit):
    stranger = Customer.objects.create(kind="person", first_name="رضا", last_name="کریمی", mobile="09351234567")
    with pytest.raises(ValidationError) as refused:
        submit(customer=stranger, unit=warranted_unit)
    message = " ".join(refused.value.message_dict["unit"])
    owner = warranted_unit.owner
    assert owner.last_name not in message and owner.mobile not in message and localize_digits(owner.mobile) not in message
    assert not ServiceRequest.objects.exists()


def test_the_owners_own_unit_is_taken_with_its_serial_and_model(submit, warranted_unit):
    request = submit(unit=warranted_unit)
    assert request.unit == warranted_unit and request.serial == warranted_unit.serial
    assert request.product_model == warranted_unit.product_model


@pytest.mark.parametrize(("options", "field"), [
    ({"description": "  "}, "description"),
    ({"serial": ""}, "unit"),
    ({"preferred_on": "yesterday"}, "preferred_on"),
    ({"preferred_on": "in 61 days"}, "preferred_on"),
    ({"kind": "home", "postal_code": "1234567891"}, "address"),
    ({"kind": "home", "address": "نارمک، خیابان گلبرگ، پلاک ۱۲"}, "postal_code"),
    ({"kind": "home", "address": "نارمک", "postal_code": "12345"}, "postal_code"),
    ({"kind": "installation"}, "kind"),
    ({"window": "night"}, "window"),
    ({"region": "province"}, "region"),
    ({"photos": "not an image"}, "photos"),
])
def test_bad_input_is_refused_by_field_and_nothing_is_written(submit, served, options, field):
    today = timezone.localdate()
    dates = {"yesterday": today - datetime.timedelta(days=1), "in 61 days": today + datetime.timedelta(days=61)}
    if "preferred_on" in options:
        options["preferred_on"] = dates[options["preferred_on"]]
    if options.get("region") == "province":
        options["region"] = served["province"]
    if options.get("photos") == "not an image":
        options["photos"] = [SimpleUploadedFile("virus.png", b"MZ not an image", content_type="image/png")]
    with pytest.raises(ValidationError) as refused:
        submit(**options)
    assert field in refused.value.message_dict, refused.value.message_dict
    assert not ServiceRequest.objects.exists() and not Message.objects.exists()


def test_a_home_visit_today_and_sixty_days_ahead_are_accepted(submit):
    today = timezone.localdate()
    for index, day in enumerate((today, today + datetime.timedelta(days=60))):
        request = submit(kind="home", address="نارمک، خیابان گلبرگ، پلاک ۱۲", postal_code="۱۶۴۷۸۳۶۵۹۱",
                         preferred_on=day, serial=f"RF-{index}")
        assert request.postal_code == "1647836591" and request.kind == "home"


def test_a_double_submit_returns_the_first_request(submit, owner):
    first = submit(submission_key="tap-1", photos=_photos(1))
    second = submit(submission_key="tap-1", photos=_photos(1))
    assert first.pk == second.pk
    assert ServiceRequest.objects.count() == 1 and first.photos.count() == 1
    assert Message.objects.filter(event="service_request_received").count() == 1
    other = Customer.objects.create(kind="person", first_name="علی", last_name="نوری", mobile="09127654321")
    assert submit(customer=other, submission_key="tap-1").pk != first.pk  # a key is the customer's own


# --- confirming, declining, withdrawing ------------------------------------------------------------------------

def test_confirming_receives_one_order_with_the_customer_unit_kind_and_photos(submit, warranted_unit, reception_a,
                                                                             owner):
    request = submit(unit=warranted_unit, photos=_photos(2), description="درب یخچال بسته نمی‌شود")
    sent = sorted(photo.image.read() for photo in request.photos.all())
    order = service_request_confirm(request=request, acting_user=reception_a)
    assert (order.customer, order.unit, order.kind, order.center) == (owner, warranted_unit, "in_center",
                                                                      request.center)
    assert order.description == "درب یخچال بسته نمی‌شود" and order.received_by == reception_a
    assert sorted(photo.image.read() for photo in order.photos.all()) == sent
    request.refresh_from_db()
    assert request.status == "confirmed" and request.order == order and request.decided_by == reception_a
    tracking = Message.objects.get(event="reception_created")
    assert tracking.to == owner.mobile and order.tracking_code in tracking.body
    assert service_requests_of(owner).get().order.tracking_code == order.tracking_code


def test_a_second_confirmation_is_refused_and_there_is_still_one_order(submit, reception_a, manager_a):
    request = submit()
    order = service_request_confirm(request=request, acting_user=reception_a)
    with pytest.raises(ValidationError) as refused:
        service_request_confirm(request=ServiceRequest.objects.get(pk=request.pk), acting_user=manager_a)
    assert order.number in " ".join(refused.value.messages)
    assert RepairOrder.objects.count() == 1


def test_a_home_visit_is_confirmed_with_its_address_postal_code_and_a_corrected_description(submit, reception_a):
    request = submit(kind="home", address="نارمک، خیابان گلبرگ، پلاک ۱۲", postal_code="1647836591")
    promised = timezone.localdate() + datetime.timedelta(days=2)
    order = service_request_confirm(request=request, acting_user=reception_a, description="نشتی آب از زیر یخچال",
                                    promised_on=promised)
    assert order.kind == "home" and "نارمک، خیابان گلبرگ، پلاک 12" in order.address and "1647836591" in order.address
    assert order.description == "نشتی آب از زیر یخچال" and order.promised_on == promised


def test_a_refusal_of_reception_leaves_the_request_pending(submit, reception_a):
    request = submit()
    with pytest.raises(ValidationError):
        service_request_confirm(request=request, acting_user=reception_a, description=" ")
    request.refresh_from_db()
    assert request.status == "pending" and not RepairOrder.objects.exists()


def test_declining_texts_the_reason_to_the_customer(submit, reception_a, owner):
    request = submit()
    with pytest.raises(ValidationError) as refused:
        service_request_decline(request=request, acting_user=reception_a, reason=" ")
    assert "reason" in refused.value.message_dict
    service_request_decline(request=request, acting_user=reception_a, reason="این مدل را تعمیر نمی‌کنیم")
    request.refresh_from_db()
    assert request.status == "declined" and request.decline_reason == "این مدل را تعمیر نمی‌کنیم"
    text = Message.objects.get(event="service_request_declined")
    assert text.to == owner.mobile and "این مدل را تعمیر نمی‌کنیم" in text.body
    with pytest.raises(ValidationError):
        service_request_confirm(request=request, acting_user=reception_a)
    assert not RepairOrder.objects.exists()


def test_staff_of_another_center_or_without_reception_may_not_decide(submit, reception_b, technician_a):
    request = submit()
    for user in (reception_b, technician_a):
        with pytest.raises(PermissionDenied):
            service_request_confirm(request=request, acting_user=user)
        with pytest.raises(PermissionDenied):
            service_request_decline(request=request, acting_user=user, reason="نه")
    request.refresh_from_db()
    assert request.status == "pending" and not RepairOrder.objects.exists()


def test_the_customer_withdraws_a_pending_request_but_not_anothers(submit, owner, reception_a):
    request = submit()
    other = Customer.objects.create(kind="person", first_name="علی", last_name="نوری", mobile="09127654321")
    with pytest.raises(PermissionDenied):
        service_request_cancel(request=request, customer=other)
    service_request_cancel(request=request, customer=owner)
    assert ServiceRequest.objects.get(pk=request.pk).status == "cancelled"
    assert not service_requests_pending(reception_a).exists()
    with pytest.raises(ValidationError):
        service_request_confirm(request=request, acting_user=reception_a)


def test_the_customers_requests_newest_first(submit, owner, reception_a):
    older = submit(serial="A-1")
    newer = submit(serial="B-2")
    order = service_request_confirm(request=older, acting_user=reception_a)
    requests = list(service_requests_of(owner))
    assert requests == [newer, older] and requests[1].order == order and requests[1].order.state.name


# --- pages --------------------------------------------------------------------------------------------------

def test_the_cartable_shows_the_request_to_center_as_receptionist_not_to_center_bs(client, submit, reception_a,
                                                                                 reception_b, owner):
    request = submit(preferred_on=timezone.localdate() + datetime.timedelta(days=1), window="evening")
    link = reverse("repairs:request", args=[request.pk])
    client.force_login(reception_a)
    page = client.get(reverse("repairs:cartable")).content.decode()
    assert link in page and str(owner) in page and 'data-testid="cartable-requests"' in page
    client.force_login(reception_b)
    page = client.get(reverse("repairs:cartable")).content.decode()
    assert link not in page and str(owner) not in page
    assert client.get(link).status_code == 404


def test_a_receptionist_confirms_on_the_page_and_lands_on_the_order(client, submit, reception_a):
    request = submit(photos=_photos(1))
    client.force_login(reception_a)
    page = client.get(reverse("repairs:request", args=[request.pk]))
    assert page.status_code == 200 and 'data-testid="request-photos"' in page.content.decode()
    photo = request.photos.get()
    assert client.get(reverse("repairs:request-photo", args=[request.pk, photo.pk])).status_code == 200
    answer = client.post(reverse("repairs:request-confirm", args=[request.pk]),
                         {"kind": "in_center", "description": request.description})
    order = RepairOrder.objects.get()
    assert answer.status_code == 302 and answer.url == reverse("repairs:order", args=[order.pk])
    again = client.post(reverse("repairs:request-confirm", args=[request.pk]),
                        {"kind": "in_center", "description": request.description})
    assert again.status_code == 400 and RepairOrder.objects.count() == 1


def test_a_receptionist_declines_on_the_page(client, submit, reception_a):
    request = submit()
    client.force_login(reception_a)
    empty = client.post(reverse("repairs:request-decline", args=[request.pk]), {"reason": ""})
    assert empty.status_code == 400 and 'data-testid="error-reason"' in empty.content.decode()
    answer = client.post(reverse("repairs:request-decline", args=[request.pk]), {"reason": "خارج از محدوده"})
    assert answer.status_code == 302 and ServiceRequest.objects.get(pk=request.pk).status == "declined"


def test_center_bs_staff_cannot_open_or_act_on_center_as_request(client, submit, reception_b):
    request = submit(photos=_photos(1))
    client.force_login(reception_b)
    photo = request.photos.get()
    for url in (reverse("repairs:request-photo", args=[request.pk, photo.pk]),):
        assert client.get(url).status_code == 404
    assert client.post(reverse("repairs:request-confirm", args=[request.pk]), {"kind": "in_center",
                                                                              "description": "x"}).status_code == 404
    assert client.post(reverse("repairs:request-decline", args=[request.pk]), {"reason": "x"}).status_code == 404
    assert ServiceRequest.objects.get(pk=request.pk).status == "pending" and not RepairOrder.objects.exists()


# --- API ----------------------------------------------------------------------------------------------------

def test_the_api_lists_the_callers_pending_requests_only(api_client, submit, reception_a, reception_b):
    request = submit()
    api_client.force_authenticate(reception_a)
    answer = api_client.get(reverse("api-repairs-requests"))
    assert answer.status_code == 200 and [row["id"] for row in answer.json()["results"]] == [request.pk]
    assert answer.json()["results"][0]["serial"] == "RF-NEW-1"
    api_client.force_authenticate(reception_b)
    assert api_client.get(reverse("api-repairs-requests")).json()["count"] == 0


def test_the_api_confirms_once_and_answers_400_after(api_client, submit, reception_a):
    request = submit()
    api_client.force_authenticate(reception_a)
    url = reverse("api-repairs-request-confirm", args=[request.pk])
    answer = api_client.post(url, {}, format="json")
    assert answer.status_code == 201, answer.json()
    assert answer.json()["id"] == RepairOrder.objects.get().pk
    again = api_client.post(url, {}, format="json")
    assert again.status_code == 400 and again.json()["non_field_errors"]
    assert RepairOrder.objects.count() == 1


def test_the_api_answers_400_with_field_errors(api_client, submit, reception_a):
    request = submit()
    api_client.force_authenticate(reception_a)
    confirm = reverse("api-repairs-request-confirm", args=[request.pk])
    assert "kind" in api_client.post(confirm, {"kind": "installation"}, format="json").json()
    assert "description" in api_client.post(confirm, {"description": ""}, format="json").json()
    assert "assignee" in api_client.post(confirm, {"assignee": 999999}, format="json").json()
    decline = reverse("api-repairs-request-decline", args=[request.pk])
    assert api_client.post(decline, {"reason": ""}, format="json").status_code == 400
    answer = api_client.post(decline, {"reason": "قطعه موجود نیست"}, format="json")
    assert answer.status_code == 200 and answer.json()["status"] == "declined"
    assert not RepairOrder.objects.exists()


def test_the_api_refuses_center_bs_staff(api_client, submit, reception_b):
    request = submit()
    api_client.force_authenticate(reception_b)
    for name in ("api-repairs-request-confirm", "api-repairs-request-decline"):
        answer = api_client.post(reverse(name, args=[request.pk]), {"reason": "x"}, format="json")
        assert answer.status_code == 404
    assert ServiceRequest.objects.get(pk=request.pk).status == "pending"


def test_a_technician_has_no_requests_to_confirm(api_client, client, submit, center_a):
    technician = UserFactory(username="tech_sr", role=Role.TECHNICIAN, centers=[center_a])
    request = submit()
    api_client.force_authenticate(technician)
    assert api_client.get(reverse("api-repairs-requests")).status_code == 403
    client.force_login(technician)
    assert client.get(reverse("repairs:request", args=[request.pk])).status_code == 403
    assert 'data-testid="service-requests"' not in client.get(reverse("repairs:cartable")).content.decode()


# --- demo ---------------------------------------------------------------------------------------------------

def test_the_demo_leaves_a_repair_and_a_home_visit_in_the_receptionists_cartable(client, center_a, owner,
                                                                                 fridge_model):
    import random

    from aftersales.catalog.models import ProductUnit
    from aftersales.repairs.demo import MODELS, seed_service_requests

    reception = UserFactory(username="reception", role=Role.RECEPTIONIST, centers=[center_a])
    fridge_model.code = MODELS[0]
    fridge_model.save()
    for index in range(3):
        ProductUnit.objects.create(serial=f"DEMO-{index}", brand=fridge_model.brand, product_model=fridge_model,
                                   owner=owner)
    assert "2 service requests" in seed_service_requests(size="small", rng=random.Random(1))
    requests = list(ServiceRequest.objects.all())
    assert sorted(request.kind for request in requests) == ["home", "in_center"]
    assert all(request.center == center_a and request.status == "pending" for request in requests)
    client.force_login(reception)
    page = client.get(reverse("repairs:cartable")).content.decode()
    assert all(reverse("repairs:request", args=[request.pk]) in page for request in requests)
    assert seed_service_requests(size="small", rng=random.Random(1)) == "already present"
