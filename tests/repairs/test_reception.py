"""Reception: the order, its number and tracking code, the warranty from the engine, the tracking SMS."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from aftersales.catalog.models import UnitEvent
from aftersales.repairs.models import RepairOrder
from aftersales.repairs.services import TRACKING_ALPHABET

pytestmark = pytest.mark.django_db


def test_a_unit_under_warranty_is_received_as_a_warranty_repair(receive, warranted_unit, sms_outbox,
                                                                django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        order = receive(serial="rf 520-۰۰۰۱")
    assert order.unit == warranted_unit and order.is_warranty and order.warranty_state == "active"
    assert order.state.code == "received" and order.number.endswith("-000001")
    assert len(order.tracking_code) == 13 and set(order.tracking_code) <= set(TRACKING_ALPHABET)  # ≈ 64 bits
    assert warranted_unit.events.filter(kind=UnitEvent.Kind.RECEIVED_FOR_REPAIR, reference=order.number).exists()
    [sms] = [message for message in sms_outbox if message.event == "reception_created"]
    assert order.tracking_code in sms.body and f"/track/{order.tracking_code}" in sms.body


def test_an_unknown_serial_is_received_as_non_warranty_with_the_reason(receive):
    order = receive(serial="NO-SUCH-1")
    assert not order.is_warranty and order.unit is None
    assert order.warranty_state == "not_registered" and order.warranty_rule


def test_a_voided_unit_is_received_as_non_warranty(receive, warranted_unit, technician_a):
    from aftersales.warranty.services import warranty_void

    warranty_void(unit=warranted_unit, reason="voltage", acting_user=technician_a)
    order = receive(unit=warranted_unit)
    assert not order.is_warranty and order.warranty_state == "voided"


def test_only_an_authorised_role_overrides_the_warranty_and_only_with_a_reason(receive, manager_a, warranted_unit):
    with pytest.raises(PermissionDenied):
        receive(serial="NOPE", warranty_override=True, override_reason="گارانتی شفاهی")
    with pytest.raises(ValidationError):
        receive(serial="NOPE", warranty_override=True, acting_user=manager_a)
    order = receive(serial="NOPE", warranty_override=True, override_reason="فاکتور خرید ارائه شد", acting_user=manager_a)
    assert order.is_warranty and order.warranty_override_reason == "فاکتور خرید ارائه شد"
    assert order.history.first().history_user == manager_a


def test_a_double_submit_creates_one_order(receive):
    first = receive(serial="X", submission_key="abc")
    second = receive(serial="X", submission_key="abc")
    assert first.pk == second.pk and RepairOrder.objects.count() == 1


def test_numbers_run_per_center(receive, center_b, reception_b):
    receive()
    receive()
    other = receive(center=center_b, acting_user=reception_b)
    assert other.number.endswith("-000001")


def test_a_home_call_needs_an_address_and_an_empty_description_is_refused(receive):
    with pytest.raises(ValidationError) as refused:
        receive(kind="home", description="")
    assert set(refused.value.message_dict) == {"description", "address"}


def test_reception_page_registers_a_new_customer_on_the_spot(client, reception_a, center_a, warranted_unit, sms_outbox,
                                                             django_capture_on_commit_callbacks):
    from django.urls import reverse

    from django.utils import timezone

    from aftersales.core import jalali

    promised = timezone.localdate() + datetime.timedelta(days=3)
    client.force_login(reception_a)
    assert client.get(reverse("repairs:reception")).status_code == 200
    preview = client.get(reverse("repairs:reception-warranty"), {"serial": "RF-520-0001"}).content.decode()
    assert 'data-state="active"' in preview
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("repairs:reception"), {
            "center": center_a.pk, "mobile": "۰۹۳۵ ۱۱۱ ۲۲۳۳", "customer_name": "رضا کریمی", "serial": "RF-520-0001",
            "kind": "in_center", "description": "صدای زیاد", "promised_on": jalali.format_date(promised), "submission": "s1",
            "accessories": "سبد و قفسه", "condition": "خط‌افتادگی در", "warranty_override": "", "override_reason": "",
        })
    assert response.status_code == 302, response.content.decode()[:3000]
    order = RepairOrder.objects.get()
    assert order.customer.mobile == "09351112233" and order.customer.last_name == "کریمی"
    assert order.promised_on == promised
    assert sms_outbox[-1].to == "09351112233"
    receipt = client.get(reverse("repairs:order-receipt", args=[order.pk])).content.decode()
    assert f"/track/{order.tracking_code}" in receipt
    pdf = client.get(reverse("repairs:order-receipt-pdf", args=[order.pk, "80mm"]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_technicians_cannot_receive(client, technician_a):
    from django.urls import reverse

    client.force_login(technician_a)
    assert client.get(reverse("repairs:reception")).status_code == 403


def _png(colour=(200, 30, 30)) -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def test_photos_taken_at_reception_are_kept_and_shown_only_to_staff_who_see_the_order(
        client, reception_a, reception_b, center_a, settings, tmp_path, fridge_model):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    settings.MEDIA_ROOT = tmp_path
    client.force_login(reception_a)
    photos = [SimpleUploadedFile(f"p{i}.png", _png(), content_type="image/png") for i in range(2)]
    response = client.post(reverse("repairs:reception"), {
        "center": center_a.pk, "mobile": "09121234567", "serial": "X1", "product_model": fridge_model.pk, "kind": "in_center",
        "description": "ترک روی در", "submission": "photo-1", "photos": photos,
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    order = RepairOrder.objects.get()
    assert order.photos.count() == 2
    photo = order.photos.first()
    assert client.get(reverse("repairs:order-photo", args=[order.pk, photo.pk])).status_code == 200
    assert 'data-testid="order-photos"' in client.get(reverse("repairs:order", args=[order.pk])).content.decode()
    client.force_login(reception_b)
    assert client.get(reverse("repairs:order-photo", args=[order.pk, photo.pk])).status_code == 404


def test_a_file_that_is_not_an_image_is_refused_and_nothing_is_written(client, reception_a, center_a):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    client.force_login(reception_a)
    response = client.post(reverse("repairs:reception"), {
        "center": center_a.pk, "mobile": "09121234567", "serial": "X1", "kind": "in_center", "description": "x",
        "submission": "photo-2", "photos": [SimpleUploadedFile("virus.png", b"MZ not an image", content_type="image/png")],
    })
    assert response.status_code == 400 and 'data-testid="error-photos"' in response.content.decode()
    assert not RepairOrder.objects.exists()


def test_the_reception_page_refuses_a_promise_in_another_century(client, reception_a, center_a):
    from django.urls import reverse

    client.force_login(reception_a)
    page = client.post(reverse("repairs:reception"), {
        "center": center_a.pk, "mobile": "09351112233", "customer_name": "رضا کریمی", "serial": "X-1",
        "kind": "in_center", "description": "صدای زیاد", "promised_on": "9999-12-31", "submission": "s9",
    })
    assert page.status_code == 400 and not RepairOrder.objects.exists()
    assert "promised_on" in page.context["form"].errors


def test_reception_warns_of_an_open_order_for_the_same_serial_with_its_link(client, receive, reception_a):
    from django.urls import reverse

    first = receive(serial="UNKNOWN-77")
    client.force_login(reception_a)
    preview = client.get(reverse("repairs:reception-warranty"), {"serial": "unknown 77"}).content.decode()
    assert 'data-testid="open-order-warning"' in preview
    assert reverse("repairs:order", args=[first.pk]) in preview
    fresh = client.get(reverse("repairs:reception-warranty"), {"serial": "UNKNOWN-78"}).content.decode()
    assert 'data-testid="open-order-warning"' not in fresh
