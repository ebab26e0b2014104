"""The outbox against the real backends, each talking to a local stand-in of its gateway."""

import datetime
import logging

import pytest
from django.utils import timezone

from aftersales.messaging import dispatch
from aftersales.messaging.backends import backend_for
from aftersales.messaging.models import InboundMessage, Kind, Message, OptOut
from aftersales.messaging.services import message_queue

pytestmark = pytest.mark.django_db

State = Message.State


def queue(n=1, **options):
    options.setdefault("channel", "sms")
    options.setdefault("body", "پیام آزمایشی")
    return [message_queue(to=f"0912{1000000 + i:07d}", **options) for i in range(n)]


@pytest.fixture
def kavenegar(gateway, use_sms_backend):
    use_sms_backend("kavenegar", base_url=gateway.url, api_key=gateway.api_key, sender="10004346")
    return gateway


@pytest.fixture
def smsir(gateway, use_sms_backend):
    use_sms_backend("smsir", base_url=gateway.url, api_key=gateway.api_key, sender="30007732")
    return gateway


def test_kavenegar_sends_with_the_local_id_and_keeps_the_gateways_id(kavenegar):
    [message] = queue()
    assert dispatch.dispatch_due() == 1
    message.refresh_from_db()
    assert message.state == State.SENT and message.backend == "kavenegar"
    [send] = kavenegar.sends
    assert send["localid"] == str(message.pk) and send["to"] == "09121000000" and send["text"] == "پیام آزمایشی"
    assert message.provider_id == str(send["messageid"]) and message.cost == 1200


def test_kavenegar_pattern_sends_tokens_in_the_templates_order(kavenegar):
    queue(gateway_pattern="activation", pattern_params={"code": "48213", "serial": "RF-1"})
    dispatch.dispatch_due()
    assert kavenegar.sends[0]["template"] == "activation"
    assert kavenegar.sends[0]["tokens"] == ["48213", "RF-1"]


def test_a_gateway_outage_is_retried_with_back_off_and_nothing_is_lost(kavenegar):
    [message] = queue()
    kavenegar.fail_next = 2
    dispatch.dispatch_due()
    message.refresh_from_db()
    assert message.state == State.QUEUED and message.attempts == 1 and "503" in message.error
    assert message.next_attempt_at > timezone.now() + datetime.timedelta(seconds=20)
    for _ in range(2):
        Message.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
        dispatch.dispatch_due()
    message.refresh_from_db()
    assert message.state == State.SENT and message.attempts == 3
    assert len(kavenegar.sends) == 1


def test_a_refused_receptor_fails_at_once_with_the_gateways_reason(kavenegar):
    [message] = queue()
    kavenegar.refuse_next = 1
    dispatch.dispatch_due()
    message.refresh_from_db()
    assert message.state == State.FAILED and message.attempts == 1
    assert "411" in message.error and "گیرنده نامعتبر" in message.error


def test_a_message_failing_every_time_stops_after_the_last_attempt(kavenegar, settings):
    settings.MESSAGING_MAX_ATTEMPTS = 3
    [message] = queue()
    kavenegar.fail_next = 10
    for _ in range(3):
        Message.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
        dispatch.dispatch_due()
    message.refresh_from_db()
    assert message.state == State.FAILED and message.attempts == 3


def test_a_stalled_gateway_times_out_and_the_message_waits_for_a_retry(kavenegar):
    backend_for("sms").client.timeout = (1, 0.3)
    kavenegar.delay = 1.0
    [message] = queue()
    dispatch.dispatch_due()
    message.refresh_from_db()
    assert message.state == State.QUEUED and message.error == "timeout"


def test_the_kavenegar_key_never_appears_in_errors_or_logs(kavenegar, use_sms_backend, caplog):
    use_sms_backend("kavenegar", base_url="http://127.0.0.1:9", api_key=kavenegar.api_key)  # nobody listens
    caplog.set_level(logging.DEBUG)
    [message] = queue()
    dispatch.dispatch_due()
    message.refresh_from_db()
    assert message.state == State.QUEUED and "connection error" in message.error
    assert kavenegar.api_key not in message.error
    assert kavenegar.api_key not in caplog.text
    use_sms_backend("kavenegar", base_url=kavenegar.url, api_key=kavenegar.api_key)
    caplog.clear()
    Message.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    dispatch.dispatch_due()
    assert "v1/***/sms/send.json" in caplog.text and kavenegar.api_key not in caplog.text


def test_a_worker_that_died_after_the_gateway_took_the_message_does_not_send_it_again(kavenegar):
    [message] = queue()
    dispatch._claim(message.pk)

    backend_for("sms").send(Message.objects.get(pk=message.pk))  # the gateway took it; then the worker died
    Message.objects.filter(pk=message.pk).update(lease_until=timezone.now() - datetime.timedelta(seconds=1))
    dispatch.dispatch_due()
    message.refresh_from_db()
    assert message.state == State.SENT and message.provider_id == str(kavenegar.sends[0]["messageid"])
    assert len(kavenegar.sends) == 1


def test_a_worker_that_died_before_the_gateway_got_the_message_sends_it_once(kavenegar):
    [message] = queue()
    dispatch._claim(message.pk)
    Message.objects.filter(pk=message.pk).update(lease_until=timezone.now() - datetime.timedelta(seconds=1))
    dispatch.dispatch_due()
    message.refresh_from_db()
    assert message.state == State.SENT
    assert kavenegar.sent_local_ids() == [str(message.pk)]


def test_a_gateway_that_cannot_be_asked_leaves_a_crashed_send_uncertain_not_doubled(smsir):
    [message] = queue()
    dispatch._claim(message.pk)
    Message.objects.filter(pk=message.pk).update(lease_until=timezone.now() - datetime.timedelta(seconds=1))
    dispatch.dispatch_due()
    message.refresh_from_db()
    assert message.state == State.UNCERTAIN and smsir.sends == []


def test_smsir_sends_bulk_and_verify_and_takes_delivery_reports(smsir):
    [plain] = queue()
    [pattern] = queue(gateway_pattern="123456", pattern_params={"code": "48213"})
    dispatch.dispatch_due()
    assert [send.get("text") or send.get("tokens") for send in smsir.sends] == ["پیام آزمایشی", ["48213"]]
    plain.refresh_from_db()
    pattern.refresh_from_db()
    smsir.statuses[pattern.provider_id] = 2  # did not reach the phone
    assert dispatch.poll_statuses() == 2
    plain.refresh_from_db()
    pattern.refresh_from_db()
    assert plain.state == State.DELIVERED and plain.delivered_at is not None
    assert pattern.state == State.FAILED


def test_kavenegar_delivery_reports_and_inbox_with_an_opt_out(kavenegar):
    [message] = queue()
    dispatch.dispatch_due()
    assert dispatch.poll_statuses() == 1
    message.refresh_from_db()
    assert message.state == State.DELIVERED
    kavenegar.inbox = [
        {"messageid": 501, "message": "لغو11", "sender": "+989121000000", "receptor": "10004346", "date": 1},
        {"messageid": 502, "message": "سلام، یخچالم صدا می‌دهد", "sender": "09390000000", "receptor": "10004346", "date": 1},
    ]
    assert dispatch.poll_inbox() == 2
    assert OptOut.objects.filter(address="09121000000").exists()
    assert InboundMessage.objects.get(provider_id="502").sender == "09390000000"


def test_generic_http_backend_posts_the_configured_fields(gateway, use_sms_backend):
    use_sms_backend("http", base_url=gateway.url, path="generic/send", api_key=gateway.api_key)
    [message] = queue()
    dispatch.dispatch_due()
    message.refresh_from_db()
    assert message.state == State.SENT and gateway.sends[0]["localid"] == str(message.pk)


def test_marketing_waits_through_quiet_hours_while_service_messages_go(kavenegar, settings):
    now = timezone.localtime()
    settings.MESSAGING_QUIET_HOURS = ((now - datetime.timedelta(hours=1)).strftime("%H:%M"),
                                      (now + datetime.timedelta(hours=1)).strftime("%H:%M"))
    [marketing] = queue(kind=Kind.MARKETING)
    [service] = queue(kind=Kind.SERVICE)
    dispatch.dispatch_due()
    marketing.refresh_from_db()
    service.refresh_from_db()
    assert (marketing.state, service.state) == (State.QUEUED, State.SENT)
    settings.MESSAGING_QUIET_HOURS = ()
    dispatch.dispatch_due()
    marketing.refresh_from_db()
    assert marketing.state == State.SENT


def test_the_rate_limit_spaces_sends(kavenegar, settings):
    import time

    settings.MESSAGING_RATE_LIMITS = {"sms": 20}
    queue(5)
    started = time.monotonic()
    dispatch.dispatch_due()
    assert time.monotonic() - started >= 4 / 20
    assert len(kavenegar.sends) == 5


def test_a_message_scheduled_for_later_waits(kavenegar):
    queue(send_after=timezone.now() + datetime.timedelta(hours=2))
    assert dispatch.dispatch_due() == 0 and kavenegar.sends == []


def test_an_unreadable_answer_leaves_the_message_to_the_crash_recovery_not_to_a_resend(kavenegar, monkeypatch):
    from aftersales.messaging.backends.kavenegar import KavenegarBackend

    real_send = KavenegarBackend.send

    def send_then_break(self, message):
        real_send(self, message)
        raise KeyError("entries")  # the gateway took it; its answer made no sense to us

    monkeypatch.setattr(KavenegarBackend, "send", send_then_break)
    [first, second] = queue(2)
    dispatch.dispatch_due()  # the run goes on to the next message
    assert set(Message.objects.values_list("state", flat=True)) == {State.SENDING}
    monkeypatch.setattr(KavenegarBackend, "send", real_send)
    Message.objects.update(lease_until=timezone.now() - datetime.timedelta(seconds=1))
    dispatch.dispatch_due()
    assert set(Message.objects.values_list("state", flat=True)) == {State.SENT}
    assert len(kavenegar.sends) == 2  # found at the gateway, not sent again
