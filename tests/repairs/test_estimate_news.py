"""The customer's answer to the estimate reaches staff at once (issue 13): flagged in the cartables of
the order's assignee and of its center's receptionists until someone acts or marks it seen; the
tracking page then says what happened, what comes next and how to reach the center."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from aftersales.repairs.models import RepairOrder
from aftersales.repairs.services import estimate_answer, estimate_answer_seen, estimate_set, order_refer, order_transition
from aftersales.workflow.models import TransitionLog

pytestmark = pytest.mark.django_db


@pytest.fixture
def asked(receive, technician_a, manager_a, fridge_model, center_a):
    """A paid order of technician_a's, diagnosed, its estimate of 4,200,000 rials put to the customer."""
    center_a.phone, center_a.address = "02188776655", "خیابان ولیعصر، پلاک ۱۲"
    center_a.save()
    order = receive(serial="EST-1", product_model=fridge_model,
                    promised_on=timezone.localdate() + datetime.timedelta(days=5))
    order_refer(order=order, acting_user=manager_a, reason="نوبت کاری", to_user=technician_a)
    order = order_transition(order=RepairOrder.objects.get(pk=order.pk), code="start_diagnosis",
                             acting_user=technician_a)
    estimate_set(order=order, amount=4_200_000, acting_user=technician_a)
    return order_transition(order=RepairOrder.objects.get(pk=order.pk), code="ask_approval", acting_user=technician_a)


def _cartable(client, user, **params) -> str:
    client.force_login(user)
    answer = client.get(reverse("repairs:cartable"), params)
    assert answer.status_code == 200
    return answer.content.decode()


def _row(page: str, order) -> str:
    """The cartable row of ``order`` (from its <tr> to the link)."""
    link = reverse("repairs:order", args=[order.pk])
    assert link in page
    end = page.index(link)
    return page[page.rindex("<tr", 0, end):page.index("</tr>", end)]


def test_an_approval_on_the_tracking_page_is_flagged_for_the_assignee_and_the_receptionists(
        client, asked, technician_a, reception_a, reception_b, receive):
    other = receive(serial="EST-2")  # an order without an answer, due earlier, stays below the flagged one
    RepairOrder.objects.filter(pk=other.pk).update(due_at=timezone.now() - datetime.timedelta(days=1))
    order_refer(order=other, acting_user=reception_a, reason="نوبت", to_user=technician_a)
    assert 'data-estimate-news' not in _row(_cartable(client, technician_a), asked)

    client.logout()
    client.post(reverse("track", args=[asked.tracking_code]), {"answer": "approve"})

    for user in (technician_a, reception_a):
        page = _cartable(client, user)
        row = _row(page, asked)
        assert 'data-estimate-news="approved"' in row and "برآورد تأیید شد" in row
        assert 'data-testid="cartable-answered"' in page and "پاسخ مشتری به برآورد: ۱" in page
        assert page.index(reverse("repairs:order", args=[asked.pk])) < page.index(
            reverse("repairs:order", args=[other.pk]))  # the answer first, before the overdue order
    page = _cartable(client, reception_b)
    assert reverse("repairs:order", args=[asked.pk]) not in page and "cartable-answered" not in page
    client.force_login(reception_b)  # nor can they open it
    assert client.get(reverse("repairs:order", args=[asked.pk])).status_code == 404


def test_a_refusal_by_phone_is_flagged_too_and_the_order_page_says_so(client, asked, reception_a, technician_a):
    estimate_answer(order=asked, approve=False, channel="phone", acting_user=reception_a)
    row = _row(_cartable(client, technician_a), asked)
    assert 'data-estimate-news="refused"' in row and "برآورد رد شد" in row
    page = client.get(reverse("repairs:order", args=[asked.pk])).content.decode()
    assert 'data-testid="estimate-news"' in page and "مشتری برآورد هزینه را نپذیرفت" in page


def test_the_flag_goes_once_someone_acts_on_the_order(client, asked, technician_a, reception_a):
    estimate_answer(order=asked, approve=True, channel="web")
    order_transition(order=RepairOrder.objects.get(pk=asked.pk), code="approved_repair", acting_user=technician_a)
    assert "data-estimate-news" not in _row(_cartable(client, reception_a), asked)


def test_marking_the_answer_seen_clears_the_flag_and_is_kept_in_the_history(client, asked, technician_a, reception_a):
    estimate_answer(order=asked, approve=True, channel="web")
    client.force_login(reception_a)
    answer = client.post(reverse("repairs:order-estimate-seen", args=[asked.pk]))
    assert answer.status_code == 302
    assert "data-estimate-news" not in _row(_cartable(client, technician_a), asked)
    note = TransitionLog.objects.filter(object_id=asked.pk).order_by("-at", "-pk").first()
    assert note.by == reception_a and note.data == {"estimate_seen": "approved"}
    page = client.get(reverse("repairs:order", args=[asked.pk])).content.decode()
    assert 'data-testid="estimate-news"' not in page and "پاسخ مشتری به برآورد هزینه دیده شد" in page


def test_seen_without_an_answer_is_refused_and_nothing_is_written(client, asked, reception_a):
    from django.core.exceptions import ValidationError

    notes = TransitionLog.objects.count()
    with pytest.raises(ValidationError):
        estimate_answer_seen(order=asked, acting_user=reception_a)
    client.force_login(reception_a)
    client.post(reverse("repairs:order-estimate-seen", args=[asked.pk]))
    assert TransitionLog.objects.count() == notes


def test_the_tracking_page_says_what_the_approval_means_and_how_to_reach_the_center(client, asked):
    from aftersales.core import jalali

    url = reverse("track", args=[asked.tracking_code])
    client.post(url, {"answer": "approve"})
    page = client.get(url).content.decode()
    answered = RepairOrder.objects.get(pk=asked.pk).estimate_answered_at
    assert 'data-answer="approved"' in page
    assert "شما برآورد هزینهٔ ۴٬۲۰۰٬۰۰۰ ریال را در" in page and jalali.format_long(answered) in page
    assert "تعمیر اکنون انجام می‌شود" in page and jalali.format_long(asked.promised_on) in page
    assert "مرکز خدمات تهران" in page and "خیابان ولیعصر" in page
    assert 'href="tel:02188776655"' in page and "۰۲۱۸۸۷۷۶۶۵۵" in page  # Latin digits to dial, Persian to read
    assert 'data-testid="track-estimate"' not in page  # the buttons are gone


def test_the_tracking_page_after_a_refusal_asks_the_customer_to_collect_the_unit(client, asked):
    url = reverse("track", args=[asked.tracking_code])
    client.post(url, {"answer": "refuse"})
    page = client.get(url).content.decode()
    assert 'data-answer="refused"' in page and "نپذیرفتید" in page
    assert "برای تحویل گرفتن آن با رسید و کارت ملی به مرکز مراجعه کنید" in page
