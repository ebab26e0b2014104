"""Complaints and suggestions from the web form, SMS and a mailbox, answered on the same channel (F53)."""

from email.message import EmailMessage

import pytest
from django.core import mail
from django.urls import reverse

from aftersales.core.jalali import jalali_year
from aftersales.feedback.models import Complaint
from aftersales.feedback.services import complaint_answer, complaint_receive
from aftersales.messaging.dispatch import poll_inbox
from aftersales.messaging.mailbox import poll_mailbox
from aftersales.messaging.models import InboundMessage
from tests.messaging.imap_standin import Mailbox
from tests.helpers import nothing_written

pytestmark = pytest.mark.django_db


def form_data(**overrides):
    data = {"kind": "complaint", "category": "delay", "name": "سارا احمدی", "mobile": "۰۹۱۲۱۲۳۴۵۶۷", "email": "",
            "serial": "", "text": "تعمیر یخچالم دو هفته طول کشیده است.", "submission": "abc123"}
    return {**data, **overrides}


def test_the_public_form_records_a_numbered_complaint_linked_to_the_customer(client):
    from aftersales.customers.models import Customer

    customer = Customer.objects.create(kind="person", first_name="سارا", last_name="احمدی", mobile="09121234567")
    response = client.post(reverse("feedback-form"), form_data())
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.channel == "web" and complaint.customer == customer and complaint.mobile == "09121234567"
    assert complaint.number.endswith("-000001")
    thanks = client.get(response.url).content.decode()
    assert "۰۰۰۰۰۱" in thanks


def test_a_double_submit_records_one_complaint(client):
    client.post(reverse("feedback-form"), form_data())
    client.post(reverse("feedback-form"), form_data())
    assert Complaint.objects.count() == 1


def test_a_complaint_with_no_way_to_answer_is_refused(client):
    with nothing_written():
        response = client.post(reverse("feedback-form"), form_data(mobile=""))
    assert response.status_code == 400 and 'data-testid="error-mobile"' in response.content.decode()
    assert not Complaint.objects.exists()


def test_the_public_form_is_rate_limited_and_size_limited(client, settings):
    settings.FEEDBACK_PUBLIC_PER_MINUTE = 2
    for index in range(2):
        client.post(reverse("feedback-form"), form_data(submission=f"s{index}"))
    assert client.post(reverse("feedback-form"), form_data(submission="s3")).status_code == 429
    huge = client.post(reverse("feedback-form"), form_data(text="ب" * 70_000, submission="s4"))
    assert huge.status_code == 413
    assert Complaint.objects.count() == 2


def test_the_public_form_needs_its_csrf_token(db):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    with nothing_written():
        assert strict.post(reverse("feedback-form"), form_data()).status_code == 403


def test_an_sms_to_the_line_becomes_a_complaint_answered_by_sms(gateway, use_sms_backend, head_office,
                                                               django_capture_on_commit_callbacks):
    use_sms_backend("kavenegar", base_url=gateway.url, api_key=gateway.api_key, sender="10004346")
    gateway.inbox = [{"messageid": 801, "message": "سرویس کار دیر آمد و رفتار خوبی نداشت", "sender": "+989351112233",
                      "receptor": "10004346", "date": 1}]
    poll_inbox()
    complaint = Complaint.objects.get()
    assert complaint.channel == "sms" and complaint.mobile == "09351112233" and complaint.inbound is not None
    with django_capture_on_commit_callbacks(execute=True):
        complaint_answer(complaint=complaint, answer="پوزش می‌خواهیم؛ پیگیری شد.", acting_user=head_office)
    reply = gateway.sends[-1]
    assert reply["to"] == "09351112233" and "پوزش می‌خواهیم" in reply["text"] and complaint.number in reply["text"]


def test_an_email_in_the_mailbox_becomes_a_complaint_answered_by_email(settings, head_office,
                                                                      django_capture_on_commit_callbacks):
    mailbox = Mailbox().start()
    try:
        settings.MESSAGING_IMAP_HOST, settings.MESSAGING_IMAP_PORT = "127.0.0.1", mailbox.port
        settings.MESSAGING_IMAP_SSL = False
        settings.MESSAGING_IMAP_USER, settings.MESSAGING_IMAP_PASSWORD = mailbox.user, mailbox.password
        incoming = EmailMessage()
        incoming["From"] = "رضا کریمی <Reza@Example.IR>"
        incoming["To"] = "support@example.ir"
        incoming["Subject"] = "پیشنهاد برای ساعت کاری"
        incoming["Message-ID"] = "<m1@example.ir>"
        incoming.set_content("لطفاً پنجشنبه‌ها هم باز باشید.")
        mailbox.deliver(incoming.as_bytes())
        assert poll_mailbox() == 1
        assert poll_mailbox() == 0  # marked seen: never read twice
        assert mailbox.mails[0]["seen"]
    finally:
        mailbox.stop()
    complaint = Complaint.objects.get()
    assert (complaint.channel, complaint.email, complaint.subject) == ("email", "reza@example.ir", "پیشنهاد برای ساعت کاری")
    assert "پنجشنبه" in complaint.text
    with django_capture_on_commit_callbacks(execute=True):
        complaint_answer(complaint=complaint, answer="از پیشنهاد شما سپاسگزاریم.", acting_user=head_office)
    [answer] = mail.outbox
    assert answer.to == ["reza@example.ir"] and answer.subject == "Re: پیشنهاد برای ساعت کاری"


def test_a_wrong_mailbox_password_keeps_nothing_and_raises_nothing(settings):
    mailbox = Mailbox().start()
    try:
        settings.MESSAGING_IMAP_HOST, settings.MESSAGING_IMAP_PORT = "127.0.0.1", mailbox.port
        settings.MESSAGING_IMAP_SSL = False
        settings.MESSAGING_IMAP_USER, settings.MESSAGING_IMAP_PASSWORD = mailbox.user, "wrong"
        assert poll_mailbox() == 0
    finally:
        mailbox.stop()


def test_an_opt_out_reply_is_not_a_complaint(gateway, use_sms_backend):
    use_sms_backend("kavenegar", base_url=gateway.url, api_key=gateway.api_key)
    gateway.inbox = [{"messageid": 9, "message": "لغو", "sender": "09351112233", "receptor": "1000", "date": 1}]
    poll_inbox()
    assert InboundMessage.objects.count() == 1 and not Complaint.objects.exists()


def test_a_phone_complaint_keeps_its_answer_without_sending(reception_a, head_office, sms_outbox,
                                                            django_capture_on_commit_callbacks):
    complaint = complaint_receive(channel="phone", text="صدای کمپرسور", mobile="09121234567", acting_user=reception_a)
    with django_capture_on_commit_callbacks(execute=True):
        assert complaint_answer(complaint=complaint, answer="تکنسین اعزام شد.", acting_user=head_office) is None
    assert sms_outbox == []


def test_an_answered_complaint_cannot_be_answered_again(head_office):
    complaint = complaint_receive(channel="web", text="x", mobile="09121234567")
    complaint_answer(complaint=complaint, answer="پاسخ", acting_user=head_office)
    from django.core.exceptions import ValidationError

    with nothing_written(), pytest.raises(ValidationError):
        complaint_answer(complaint=complaint, answer="پاسخ دوم", acting_user=head_office)


def test_staff_answer_from_the_complaints_page(client, head_office, sms_outbox, django_capture_on_commit_callbacks):
    complaint = complaint_receive(channel="web", text="قطعه نرسیده", mobile="09121234567")
    client.force_login(head_office)
    page = client.get(reverse("desk:detail", args=["complaints", complaint.pk])).content.decode()
    assert 'data-testid="complaint-panel"' in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("feedback:complaint-answer", args=[complaint.pk]), {"answer": "قطعه فردا می‌رسد."})
    complaint.refresh_from_db()
    assert complaint.status == "answered" and "قطعه فردا می‌رسد." in sms_outbox[-1].body


def test_a_center_manager_does_not_see_another_centers_complaints(client, manager_a, center_b):
    complaint = complaint_receive(channel="web", text="x", mobile="09121234567", center=center_b)
    client.force_login(manager_a)
    assert client.get(reverse("desk:detail", args=["complaints", complaint.pk])).status_code == 404
    assert client.post(reverse("feedback:complaint-answer", args=[complaint.pk]), {"answer": "y"}).status_code == 404


def test_staff_record_a_phone_complaint_on_the_desk_and_it_gets_a_number(client, reception_a, center_a):
    client.force_login(reception_a)
    response = client.post(reverse("desk:create", args=["complaints"]),
                           {"kind": "complaint", "category": "staff", "name": "علی", "mobile": "09121234567",
                            "text": "برخورد نامناسب", "center": center_a.pk})
    assert response.status_code == 302, response.content.decode()[:2000]
    complaint = Complaint.objects.get()
    assert complaint.channel == "phone" and complaint.number.startswith(f"{jalali_year()}-")  # Tehran's year


def test_the_complaints_list_finds_by_tracking_number_or_mobile(client, head_office):
    first = complaint_receive(channel="web", text="الف", mobile="09121234567")
    complaint_receive(channel="web", text="ب", mobile="09350000000")
    client.force_login(head_office)
    by_number = client.get(reverse("desk:list", args=["complaints"]), {"q": first.number[-1]}).content.decode()
    by_mobile = client.get(reverse("desk:list", args=["complaints"]), {"q": "۰۹۱۲ ۱۲۳ ۴۵۶۷"}).content.decode()
    for page in (by_number, by_mobile):
        assert first.number in page.replace("۰", "0").replace("۱", "1") or "۰۰۰۰۰۱" in page
        assert "09350000000" not in page and "۰۹۳۵۰۰۰۰۰۰۰" not in page


def test_an_sms_from_a_short_code_is_kept_as_a_complaint_without_a_number(db):
    from aftersales.messaging.services import inbound_record

    inbound_record(channel="sms", sender="3000", body="پیام تبلیغاتی اپراتور", provider_id="x1")
    complaint = Complaint.objects.get()
    assert complaint.mobile == "" and complaint.inbound.sender == "3000"


def test_a_complaint_filed_on_the_desk_is_linked_to_the_customer_with_that_mobile(client, reception_a, center_a):
    from aftersales.customers.models import Customer
    from aftersales.feedback.models import Complaint

    sara = Customer.objects.create(kind="person", first_name="سارا", last_name="احمدی", mobile="09121234567")
    client.force_login(reception_a)
    answer = client.post("/data/complaints/new/", {"kind": "complaint", "category": "other", "name": "سارا",
                                                   "mobile": "۰۹۱۲ ۱۲۳ ۴۵۶۷", "center": center_a.pk,
                                                   "text": "تعمیرکار دیر آمد"})
    assert answer.status_code == 302, answer.context["form"].errors
    complaint = Complaint.objects.get()
    assert complaint.customer == sara and complaint.number and complaint.channel == "phone"
