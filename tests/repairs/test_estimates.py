"""The approved estimate is a promise (issue 13): estimates of lines with VAT, the approved figure kept
through revisions, a manager's override in the order's history, and the same figures on the tracking
page, in the SMS and over the API."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from aftersales.repairs.estimates import estimate_figures, estimate_lines_set, estimate_override, invoice_limit
from aftersales.repairs.models import EstimateLine, RepairOrder
from aftersales.repairs.services import estimate_answer, estimate_set, order_transition

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _vat_and_tolerance(settings):
    settings.BILLING_VAT_PERCENT = 10
    settings.REPAIRS_ESTIMATE_TOLERANCE_PERCENT = 10


@pytest.fixture
def lines(service_item, compressor_part):
    """Gas charge 2,500,000 (from the service list), a compressor 18,000,000 (from the parts list), and
    transport 500,000 typed in: 21,000,000 + VAT 2,100,000 = 23,100,000."""
    return [{"service_item": service_item, "unit_price": None},
            {"spare_part": compressor_part, "unit_price": None},
            {"kind": "other", "description": "ایاب و ذهاب", "unit_price": 500_000}]


@pytest.fixture
def diagnosed(receive, technician_a, fridge_model):
    def make(serial="NW-1"):
        order = receive(serial=serial, product_model=fridge_model)
        return order_transition(order=order, code="start_diagnosis", acting_user=technician_a)
    return make


def test_an_estimate_of_lines_totals_with_vat_and_awaits_the_customer(diagnosed, technician_a, lines):
    order = estimate_lines_set(order=diagnosed(), lines=lines, acting_user=technician_a)
    figures = estimate_figures(order)
    assert [(line.kind, line.description, line.amount) for line in figures.lines] == [
        ("labour", "شارژ گاز", 2_500_000), ("part", "کمپرسور 520", 18_000_000), ("other", "ایاب و ذهاب", 500_000)]
    assert (figures.subtotal, figures.vat, figures.total) == (21_000_000, 2_100_000, 23_100_000)
    assert order.estimate_amount == 23_100_000 and order.estimate_status == "pending"
    assert order.estimate_approved_amount is None and invoice_limit(order) is None  # nothing promised yet


def test_bad_lines_are_refused_and_nothing_is_written(diagnosed, technician_a, lines):
    order = estimate_lines_set(order=diagnosed(), lines=lines, acting_user=technician_a)
    for bad in ([], [{"description": "", "unit_price": 100}], [{"description": "کار", "unit_price": -5}],
                [{"description": "کار", "unit_price": 100, "quantity": 0}]):
        with pytest.raises(ValidationError) as refused:
            estimate_lines_set(order=order, lines=bad, acting_user=technician_a)
        assert "lines" in refused.value.message_dict
    order.refresh_from_db()
    assert order.estimate_amount == 23_100_000 and EstimateLine.objects.filter(order=order).count() == 3


def test_approval_keeps_the_figure_and_a_revision_asks_the_customer_again(diagnosed, technician_a, reception_a, lines,
                                                                         sms_outbox, django_capture_on_commit_callbacks):
    order = estimate_lines_set(order=diagnosed(), lines=lines, acting_user=technician_a)
    order = estimate_answer(order=order, approve=True, channel="web")
    assert order.estimate_approved_amount == 23_100_000
    assert invoice_limit(order) == 25_410_000  # 10 % tolerance
    with django_capture_on_commit_callbacks(execute=True):
        order = estimate_lines_set(order=order, lines=lines + [{"description": "فن", "unit_price": 3_000_000}],
                                   acting_user=technician_a)
    assert order.estimate_status == "pending" and order.estimate_amount == 26_400_000
    assert order.estimate_approved_amount == 23_100_000  # the promise stands until the new one is approved
    [sms] = [message for message in sms_outbox if message.event == "repair_estimate"]
    assert "۲۶٬۴۰۰٬۰۰۰" in sms.body  # the revised total goes to the customer
    order = estimate_answer(order=order, approve=True, channel="phone", acting_user=reception_a)
    assert order.estimate_approved_amount == 26_400_000


def test_a_manager_override_is_recorded_in_the_orders_history(diagnosed, technician_a, manager_a, lines, login):
    order = estimate_answer(order=estimate_lines_set(order=diagnosed(), lines=lines, acting_user=technician_a),
                            approve=True, channel="web")
    order = estimate_override(order=order, amount=40_000_000, reason="کمپرسور دوم هم سوخته بود؛ مشتری تلفنی گفت",
                              acting_user=manager_a)
    assert order.estimate_override_amount == 40_000_000 and order.estimate_override_by == manager_a
    assert order.estimate_override_at is not None and invoice_limit(order) == 40_000_000
    page = login(manager_a).get(reverse("repairs:order", args=[order.pk])).content.decode()
    assert "کمپرسور دوم هم سوخته بود" in page and "۴۰٬۰۰۰٬۰۰۰" in page
    timeline = page.split('data-testid="order-timeline"')[1]
    assert "کمپرسور دوم هم سوخته بود" in timeline and str(manager_a) in timeline
    last = order.history.first()
    assert last.history_user == manager_a and last.estimate_override_amount == 40_000_000


def test_a_non_manager_cannot_override_and_nothing_is_written(diagnosed, technician_a, reception_a, lines, login):
    order = estimate_answer(order=estimate_lines_set(order=diagnosed(), lines=lines, acting_user=technician_a),
                            approve=True, channel="web")
    history_rows = order.history.count()
    with pytest.raises(PermissionDenied):
        estimate_override(order=order, amount=40_000_000, reason="x", acting_user=technician_a)
    response = login(reception_a).post(reverse("repairs:order-estimate-override", args=[order.pk]),
                                       {"amount": "40000000", "reason": "x"})
    assert response.status_code == 403
    order.refresh_from_db()
    assert order.estimate_override_amount is None and order.history.count() == history_rows


def test_an_override_needs_a_reason_and_an_approved_estimate(diagnosed, technician_a, manager_a, lines):
    order = estimate_lines_set(order=diagnosed(), lines=lines, acting_user=technician_a)
    with pytest.raises(ValidationError):  # pending: nothing promised, nothing to override
        estimate_override(order=order, amount=40_000_000, reason="دلیل", acting_user=manager_a)
    order = estimate_answer(order=order, approve=True, channel="web")
    with pytest.raises(ValidationError) as refused:
        estimate_override(order=order, amount=40_000_000, reason="  ", acting_user=manager_a)
    assert "reason" in refused.value.message_dict
    order.refresh_from_db()
    assert order.estimate_override_amount is None


def test_the_tracking_page_shows_the_lines_and_the_same_total_as_the_sms(diagnosed, technician_a, lines, client,
                                                                        sms_outbox, django_capture_on_commit_callbacks):
    order = estimate_lines_set(order=diagnosed(), lines=lines, acting_user=technician_a)
    with django_capture_on_commit_callbacks(execute=True):
        order = order_transition(order=RepairOrder.objects.get(pk=order.pk), code="ask_approval", acting_user=technician_a)
    [sms] = [message for message in sms_outbox if message.event == "repair_estimate"]
    page = client.get(reverse("track", args=[order.tracking_code])).content.decode()
    assert "شارژ گاز" in page and "کمپرسور 520" in page and "ایاب و ذهاب" in page
    assert "۲٬۱۰۰٬۰۰۰" in page  # VAT
    assert "۲۳٬۱۰۰٬۰۰۰ ریال" in page and "۲٬۳۱۰٬۰۰۰ تومان" in page
    assert "۲۳٬۱۰۰٬۰۰۰" in sms.body
    client.post(reverse("track", args=[order.tracking_code]), {"answer": "approve"})
    page = client.get(reverse("track", args=[order.tracking_code])).content.decode()
    assert 'data-testid="track-estimate-detail"' in page and "۲۳٬۱۰۰٬۰۰۰ ریال" in page


def test_the_order_page_puts_an_estimate_of_lines(diagnosed, technician_a, service_item, login):
    order = diagnosed()
    client = login(technician_a)
    page = client.get(reverse("repairs:order", args=[order.pk])).content.decode()
    assert f'value="service:{service_item.pk}"' in page  # the model's services offered to fill a line
    response = client.post(reverse("repairs:order-estimate", args=[order.pk]), {
        "line-TOTAL_FORMS": "3", "line-INITIAL_FORMS": "0",
        "line-0-item": f"service:{service_item.pk}", "line-0-quantity": "2",
        "line-1-kind": "other", "line-1-description": "ایاب و ذهاب", "line-1-quantity": "1", "line-1-unit_price": "۵۰۰٬۰۰۰",
        "line-2-quantity": "1"})
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.estimate_amount == (5_000_000 + 500_000) * 110 // 100 and order.estimate_lines.count() == 2


def test_a_single_amount_estimate_still_works(diagnosed, technician_a, lines):
    order = estimate_lines_set(order=diagnosed(), lines=lines, acting_user=technician_a)
    order = estimate_set(order=order, amount=9_000_000, acting_user=technician_a)
    assert order.estimate_amount == 9_000_000 and not order.estimate_lines.exists()
    assert estimate_figures(order).total == 9_000_000


class TestApi:
    @pytest.fixture
    def as_user(self, api_client):
        def _as(user):
            api_client.force_authenticate(user)
            return api_client
        return _as

    def test_lines_are_written_and_read(self, diagnosed, technician_a, service_item, as_user):
        order = diagnosed()
        url = reverse("api-repairs-estimate", args=[order.pk])
        client = as_user(technician_a)
        response = client.put(url, {"lines": [{"service": service_item.code, "quantity": 2},
                                              {"kind": "other", "description": "ایاب و ذهاب", "unit_price": 500_000}]},
                              format="json")
        assert response.status_code == 200, response.content
        data = client.get(url).json()
        assert (data["subtotal"], data["vat"], data["total"], data["status"]) == (5_500_000, 550_000, 6_050_000, "pending")
        assert [line["amount"] for line in data["lines"]] == [5_000_000, 500_000]
        assert client.put(url, {"amount": 7_000_000}, format="json").json()["total"] == 7_000_000  # older clients
        bad = client.put(url, {"lines": [{"description": "", "unit_price": 10}]}, format="json")
        assert bad.status_code == 400 and "lines" in bad.json()
        assert RepairOrder.objects.get(pk=order.pk).estimate_amount == 7_000_000

    def test_only_a_manager_overrides(self, diagnosed, technician_a, reception_a, manager_a, lines, as_user):
        order = estimate_answer(order=estimate_lines_set(order=diagnosed(), lines=lines, acting_user=technician_a),
                                approve=True, channel="web")
        url = reverse("api-repairs-estimate-override", args=[order.pk])
        refused = as_user(reception_a).post(url, {"amount": 30_000_000, "reason": "قطعه گران شد"}, format="json")
        assert refused.status_code == 403
        assert RepairOrder.objects.get(pk=order.pk).estimate_override_amount is None
        assert as_user(manager_a).post(url, {"amount": 30_000_000, "reason": ""}, format="json").status_code == 400
        allowed = as_user(manager_a).post(url, {"amount": 30_000_000, "reason": "قطعه گران شد"}, format="json")
        assert allowed.status_code == 200 and allowed.json()["invoice_limit"] == 30_000_000

    def test_the_estimate_endpoints_are_in_the_schema(self, client):
        schema = client.get(reverse("api-schema")).content.decode()
        assert "/api/repairs/orders/{id}/estimate/" in schema and "/api/billing/invoices/" in schema
