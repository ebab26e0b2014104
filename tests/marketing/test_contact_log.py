"""Every exchange with a customer in one timeline on their page: messages, calls, complaints, surveys."""

import pytest
from django.urls import reverse

from aftersales.customers.models import Customer
from aftersales.feedback.services import complaint_receive, survey_answer, survey_invite
from aftersales.marketing.selectors import customer_timeline
from aftersales.messaging.services import inbound_record, message_queue

pytestmark = pytest.mark.django_db


@pytest.fixture
def sara(db):
    return Customer.objects.create(kind="person", first_name="سارا", last_name="احمدی", mobile="09121234567")


def test_the_timeline_holds_messages_replies_calls_complaints_and_surveys(sara, reception_a, center_a, head_office):
    from aftersales.marketing.services import contact_log

    message_queue(channel="sms", to=sara.mobile, body="کد پیگیری شما 12", customer_id=sara.pk)
    inbound_record(channel="sms", sender="+989121234567", body="ممنون", provider_id="in-5")
    contact_log(customer=sara, kind="call_in", notes="پرسید قطعه کی می‌رسد", acting_user=reception_a)
    complaint_receive(channel="web", text="تأخیر زیاد", mobile=sara.mobile)
    survey = survey_invite(mobile=sara.mobile, customer=sara, center=center_a)
    survey_answer(token=survey.token, score=5, recommend=10, comment="عالی")
    kinds = {entry.kind for entry in customer_timeline(sara, user=head_office)}
    assert {"sms-out", "sms-in", "call_in", "complaint", "survey"} <= kinds


def test_a_receptionist_logs_a_call_from_the_customers_page(client, sara, reception_a):
    client.force_login(reception_a)
    page = client.get(reverse("desk:detail", args=["customers", sara.pk])).content.decode()
    assert 'data-testid="customer-log"' in page
    client.post(reverse("marketing:contact-add", args=[sara.pk]), {"kind": "call_out", "notes": "هماهنگی زمان مراجعه"})
    page = client.get(reverse("desk:detail", args=["customers", sara.pk])).content.decode()
    assert "هماهنگی زمان مراجعه" in page


def test_an_empty_note_is_refused(client, sara, reception_a):
    client.force_login(reception_a)
    client.post(reverse("marketing:contact-add", args=[sara.pk]), {"kind": "note", "notes": "  "})
    assert not sara.contacts_logged.exists()
