import pytest
from django.core.exceptions import ValidationError

from aftersales.messaging.models import EventRule, InboundMessage, Kind, Message, MessageTemplate, OptOut
from aftersales.messaging.services import (
    event_announce,
    inbound_record,
    message_queue,
    opt_out_add,
)
from tests.helpers import nothing_written

pytestmark = pytest.mark.django_db


def test_queued_sms_is_sent_after_the_business_transaction_commits(django_capture_on_commit_callbacks, sms_outbox):
    with django_capture_on_commit_callbacks(execute=True):
        message = message_queue(channel="sms", to="+98 912 123 4567", body="سلام")
        assert sms_outbox == []  # nothing leaves before commit
    message.refresh_from_db()
    assert message.to == "09121234567"
    assert message.state == Message.State.SENT
    assert [sent.body for sent in sms_outbox] == ["سلام"]


def test_persian_digits_in_a_mobile_number_are_accepted():
    assert message_queue(channel="sms", to="۰۹۱۲۱۲۳۴۵۶۷", body="x").to == "09121234567"


def test_landline_is_refused_for_sms_with_a_clear_reason():
    with nothing_written(), pytest.raises(ValidationError) as refused:
        message_queue(channel="sms", to="021-88776655", body="x")
    assert "ثابت" in " ".join(refused.value.message_dict["to"]) or "landline" in str(refused.value)
    assert not Message.objects.exists()


def test_invalid_mobile_is_refused():
    with nothing_written(), pytest.raises(ValidationError):
        message_queue(channel="sms", to="0912", body="x")


def test_same_idempotency_key_writes_one_message():
    first = message_queue(channel="sms", to="09121234567", body="x", idempotency_key="reception:1")
    second = message_queue(channel="sms", to="09121234567", body="x", idempotency_key="reception:1")
    assert first.pk == second.pk
    assert Message.objects.count() == 1


def test_a_keyed_message_is_one_insert_and_a_key_written_before_leaves_the_transaction_usable():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as first_write:
        first = message_queue(channel="sms", to="09121234567", body="کد ۱", idempotency_key="reception:7",
                              pattern_params={"code": "۱"}, ref="repairs.order:7")
    assert [query["sql"].split()[0] for query in first_write.captured_queries] == ["INSERT"]  # no savepoint
    first.refresh_from_db()
    assert (first.body, first.pattern_params, first.ref, first.state) == ("کد ۱", {"code": "۱"}, "repairs.order:7",
                                                                        Message.State.QUEUED)
    assert first.created_at is not None and first.next_attempt_at is not None
    again = message_queue(channel="sms", to="09121234567", body="کد ۲", idempotency_key="reception:7")
    assert again.pk == first.pk and again.body == "کد ۱"  # the one written before, not overwritten
    assert not getattr(again, "written_now", False)
    # The caller's transaction goes on (on PostgreSQL a failed insert would have aborted it).
    assert Message.objects.count() == 1


def test_marketing_skips_opted_out_numbers_but_service_messages_still_go():
    opt_out_add(address="09121234567")
    assert message_queue(channel="sms", to="09121234567", body="تخفیف", kind=Kind.MARKETING) is None
    assert message_queue(channel="sms", to="09121234567", body="کد پیگیری", kind=Kind.SERVICE) is not None


@pytest.mark.parametrize("reply", ["لغو", "لغو11", " لغو ۱۱ ", "لغو۱۱"])
def test_a_cancel_reply_opts_the_sender_out(reply):
    inbound = inbound_record(channel="sms", sender="+989121234567", body=reply, provider_id="in-1")
    assert inbound.is_opt_out
    assert OptOut.objects.filter(address="09121234567", source=OptOut.Source.SMS_REPLY).exists()


def test_inbound_from_an_unknown_number_is_kept_once():
    inbound_record(channel="sms", sender="09350000000", body="یخچالم خراب است", provider_id="77")
    inbound_record(channel="sms", sender="09350000000", body="یخچالم خراب است", provider_id="77")
    assert InboundMessage.objects.count() == 1
    assert not OptOut.objects.exists()


def test_shipped_rule_sends_the_tracking_code_when_a_unit_is_received(django_capture_on_commit_callbacks, sms_outbox):
    with django_capture_on_commit_callbacks(execute=True):
        messages = event_announce(
            "reception_created", key="order-12",
            context={"customer_name": "سارا احمدی", "product": "یخچال", "center_name": "مرکز تهران",
                     "tracking_code": "K7P2-9QXM", "link": "http://x/t/K7P2"},
            recipients={"customer": {"sms": "09121234567"}},
        )
    assert len(messages) == 1
    assert "K7P2-9QXM" in sms_outbox[0].body and "سارا احمدی" in sms_outbox[0].body
    # Announcing the same occurrence again sends nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        event_announce("reception_created", key="order-12", context={}, recipients={"customer": {"sms": "09121234567"}})
    assert len(sms_outbox) == 1


def test_rules_are_data_an_admin_can_switch_off():
    EventRule.objects.filter(event="repair_ready").update(is_active=False)
    assert event_announce("repair_ready", key="1", context={}, recipients={"customer": {"sms": "09121234567"}}) == []


def test_an_unreachable_recipient_never_fails_the_business_event():
    assert event_announce("repair_ready", key="1", context={}, recipients={"customer": {"sms": "02188776655"}}) == []


def test_a_gateway_pattern_template_sends_its_variables_as_parameters():
    template = MessageTemplate.objects.get(code="warranty-activation-code")
    template.gateway_pattern = "activation"
    template.save()
    [message] = event_announce("warranty_activation_code", key="k", context={"code": "48213", "serial": "RF-1"},
                               recipients={"customer": {"sms": "09121234567"}})
    assert message.gateway_pattern == "activation"
    assert message.pattern_params == {"serial": "RF-1", "code": "48213"}
