"""The payment, credit-note and warranty-claim pages through the test client: each renders, a good post
writes exactly its rows, a bad one says why in Persian and writes nothing, another center's record is a 404
and a role without the right gets a 403 (issue 13, "The tests themselves")."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from aftersales.billing.models import Invoice, Payment, WarrantyClaim
from aftersales.billing.services import invoice_issue, warranty_invoice_issue
from tests.helpers import nothing_written, rows_written

from .test_invoices import worked  # noqa: F401  the fixture: an order with a gas charge and a compressor

pytestmark = pytest.mark.django_db

# What each good post writes, table by table: issued documents are immutable rows of their own (no
# history rows); a warranty invoice is the first of its numbering sequence here.
PAYMENT_ROWS = {"billing.Payment": 1}
CREDIT_ROWS = {"billing.Invoice": 1, "billing.InvoiceLine": 2}
CLAIM_ROWS = {"core.DocumentSequence": 1, "billing.Invoice": 1, "billing.InvoiceLine": 2, "billing.WarrantyClaim": 1}
REVIEW_ROWS = {"billing.ClaimDecision": 2}


def _alerts(response) -> str:
    return " ".join(str(message) for message in response.context["messages"]) if response.context else ""


@pytest.fixture
def invoice(worked, reception_a):  # noqa: F811
    return invoice_issue(orders=[worked(serial="PAGE-1")], acting_user=reception_a)


@pytest.fixture
def claim(worked, reception_a, warranted_unit):  # noqa: F811
    order = worked(unit=warranted_unit)
    return warranty_invoice_issue(center=order.center, orders=[order], acting_user=reception_a).claim


def pay(client, invoice, **data):
    return client.post(reverse("billing:invoice-pay", args=[invoice.pk]),
                       {"submission": "pay-1", "method": "cash", "reference": "", **data}, follow=True)


# Payments


def test_the_invoice_page_offers_the_payment_form_with_what_is_owed(login, invoice, reception_a):
    page = login(reception_a).get(reverse("billing:invoice", args=[invoice.pk])).content.decode()
    assert 'data-testid="pay-form"' in page and 'name="amount"' in page and 'data-testid="owed"' in page


def test_a_payment_on_the_page_records_one_payment_and_lowers_what_is_owed(login, invoice, reception_a):
    client = login(reception_a)
    with rows_written() as written:
        response = pay(client, invoice, amount="۱۰٬۰۰۰٬۰۰۰")
    assert response.redirect_chain[-1][0] == reverse("billing:invoice", args=[invoice.pk])
    assert "پرداخت ثبت شد." in _alerts(response)
    assert written == PAYMENT_ROWS, written
    assert Payment.objects.get().amount == 10_000_000
    assert Invoice.objects.get(pk=invoice.pk).owed == invoice.total - 10_000_000


def test_a_retried_payment_post_records_one_payment(login, invoice, reception_a):
    client = login(reception_a)
    pay(client, invoice, amount="1000000")
    with nothing_written(invoice):
        pay(client, invoice, amount="1000000")
    assert Payment.objects.count() == 1


@pytest.mark.parametrize(("data", "words"), [
    ({"amount": "500000000"}, "مانده بدهی این فاکتور فقط"),
    ({"amount": "1000", "method": "card"}, "شماره پیگیری کارتخوان یا حواله بانکی را وارد کنید."),
    ({"amount": "", "method": "cash"}, "لازم"),
    ({"amount": "1000", "method": "cheque"}, "انتخاب"),
    ({"amount": "0"}, "بزرگتر"),
])
def test_a_bad_payment_is_refused_in_persian_and_writes_nothing(login, invoice, reception_a, data, words):
    client = login(reception_a)
    with nothing_written(invoice):
        response = pay(client, invoice, **data)
    assert words in _alerts(response), _alerts(response)


def test_another_centers_invoice_cannot_be_paid_or_seen(login, invoice, reception_b):
    client = login(reception_b)
    assert client.get(reverse("billing:invoice", args=[invoice.pk])).status_code == 404
    with nothing_written(invoice):
        assert pay(client, invoice, amount="1000").status_code == 404


def test_a_technician_may_not_take_a_payment(login, invoice, technician_a):
    client = login(technician_a)
    with nothing_written(invoice):
        assert pay(client, invoice, amount="1000").status_code == 403


# Credit notes


def credit(client, invoice, reason):
    return client.post(reverse("billing:invoice-credit", args=[invoice.pk]), {"reason": reason}, follow=True)


def test_a_manager_sees_the_credit_form_and_the_receptionist_does_not(login, invoice, manager_a, reception_a):
    url = reverse("billing:invoice", args=[invoice.pk])
    assert 'data-testid="credit-form"' in login(manager_a).get(url).content.decode()
    assert 'data-testid="credit-form"' not in login(reception_a).get(url).content.decode()


def test_a_credit_note_on_the_page_reverses_the_invoice_and_opens_the_note(login, invoice, manager_a):
    client = login(manager_a)
    with rows_written() as written:
        response = credit(client, invoice, "قیمت قطعه اشتباه بود")
    note = Invoice.objects.get(kind=Invoice.Kind.CREDIT)
    assert response.redirect_chain[-1][0] == reverse("billing:invoice", args=[note.pk])
    assert "برگشت فاکتور" in _alerts(response) and note.credit_of == invoice and note.total == -invoice.total
    assert written == CREDIT_ROWS, written
    assert 'data-testid="credited-by"' in client.get(reverse("billing:invoice", args=[invoice.pk])).content.decode()


def test_a_credit_note_without_a_reason_or_a_second_one_is_refused_and_writes_nothing(login, invoice, manager_a):
    client = login(manager_a)
    with nothing_written(invoice):
        response = credit(client, invoice, "")
    assert "لازم" in _alerts(response)
    credit(client, invoice, "قیمت قطعه اشتباه بود")
    with nothing_written(invoice):
        response = credit(client, invoice, "دوباره")
    assert "این فاکتور قبلاً برگشت خورده است." in _alerts(response)
    assert Invoice.objects.filter(kind=Invoice.Kind.CREDIT).count() == 1


def test_a_receptionist_may_not_credit_and_another_center_gets_a_404(login, invoice, reception_a, manager_b):
    client = login(reception_a)
    with nothing_written(invoice):
        assert credit(client, invoice, "x").status_code == 403
    client = login(manager_b)
    with nothing_written(invoice):
        assert credit(client, invoice, "x").status_code == 404


# Warranty claims


def test_the_claim_list_offers_a_period_claim_and_lists_the_centers_claims(login, claim, manager_a, manager_b):
    page = login(manager_a).get(reverse("billing:claim-list")).content.decode()
    assert reverse("billing:claim", args=[claim.pk]) in page and 'name="start"' in page
    assert reverse("billing:claim", args=[claim.pk]) not in login(manager_b).get(reverse("billing:claim-list")).content.decode()


def test_a_claim_for_one_order_from_the_page_sends_one_warranty_invoice(login, worked, reception_a, manager_a,  # noqa: F811
                                                                      warranted_unit):
    order = worked(unit=warranted_unit)
    client = login(manager_a)
    with rows_written() as written:
        response = client.post(reverse("billing:claim-new"), {"order": order.pk, "submission": "c-1"}, follow=True)
    claim = WarrantyClaim.objects.get()
    assert response.redirect_chain[-1][0] == reverse("billing:claim", args=[claim.pk])
    assert "صورتحساب گارانتی" in _alerts(response) and "به دفتر مرکزی ارسال شد" in _alerts(response)
    assert written == CLAIM_ROWS, written
    page = response.content.decode()
    assert "شارژ گاز" in page and "<select" not in page  # the center sees the lines, head office decides


def test_a_period_claim_from_the_page_gathers_the_handed_back_orders(login, worked, manager_a, center_a,  # noqa: F811
                                                                    warranted_unit):
    from aftersales.repairs.models import RepairOrder

    order = worked(unit=warranted_unit)
    RepairOrder.objects.filter(pk=order.pk).update(handed_back_at=timezone.now())
    today = timezone.localdate()
    response = login(manager_a).post(reverse("billing:claim-new"), {
        "center": center_a.pk, "start": (today - datetime.timedelta(days=30)).isoformat(), "end": today.isoformat(),
        "bill_to": "شرکت سازنده", "submission": "c-2"}, follow=True)
    invoice = WarrantyClaim.objects.get().invoice
    assert response.status_code == 200 and invoice.bill_to == "شرکت سازنده" and invoice.lines.count() == 2


@pytest.mark.parametrize("period", ["backwards", "bad date"])
def test_a_bad_period_claim_is_refused_in_persian_and_writes_nothing(login, manager_a, center_a, period):
    today = timezone.localdate()
    start = today.isoformat() if period == "backwards" else "1405/13/40"
    end = (today - datetime.timedelta(days=1)).isoformat()
    client = login(manager_a)
    with nothing_written():
        response = client.post(reverse("billing:claim-new"), {"center": center_a.pk, "start": start, "end": end,
                                                               "submission": "c-3"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("billing:claim-list")
    words = "تاریخ شروع باید پیش از تاریخ پایان" if period == "backwards" else "تاریخ"
    assert words in _alerts(response), _alerts(response)


def test_a_claim_for_an_order_without_warranty_work_is_refused_and_writes_nothing(login, worked, manager_a):  # noqa: F811
    order = worked(serial="NO-WARRANTY-1")
    client = login(manager_a)
    with nothing_written(order):
        response = client.post(reverse("billing:claim-new"), {"order": order.pk}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("repairs:order", args=[order.pk])
    assert "کار گارانتی باقی‌مانده‌ای برای ادعا وجود ندارد" in _alerts(response)


def test_another_centers_order_or_claim_is_a_404_and_a_technician_gets_a_403(login, worked, claim, manager_b,  # noqa: F811
                                                                           technician_a, warranted_unit):
    order = claim.invoice.lines.first().order
    client = login(manager_b)
    with nothing_written(order, claim):
        assert client.post(reverse("billing:claim-new"), {"order": order.pk}).status_code == 404
        assert client.get(reverse("billing:claim", args=[claim.pk])).status_code == 404
    client = login(technician_a)
    with nothing_written(order, claim):
        assert client.post(reverse("billing:claim-new"), {"order": order.pk}).status_code == 403


def test_a_rejection_without_a_reason_is_refused_in_persian_and_writes_nothing(login, claim, head_office):
    labour, part = claim.invoice.lines.get(kind="labour"), claim.invoice.lines.get(kind="part")
    client = login(head_office)
    with nothing_written(claim):
        response = client.post(reverse("billing:claim", args=[claim.pk]), {
            f"line-{labour.pk}-decision": "approved", f"line-{part.pk}-decision": "rejected"}, follow=True)
    assert "علت را برای" in _alerts(response), _alerts(response)
    with rows_written() as written:
        response = client.post(reverse("billing:claim", args=[claim.pk]), {
            f"line-{labour.pk}-decision": "approved", f"line-{part.pk}-decision": "rejected",
            f"line-{part.pk}-reason": "قطعه خارج از گارانتی"}, follow=True)
    assert "تصمیم‌ها ثبت شد." in _alerts(response) and written == REVIEW_ROWS, written
    assert WarrantyClaim.objects.get(pk=claim.pk).status == WarrantyClaim.Status.REVIEWED
