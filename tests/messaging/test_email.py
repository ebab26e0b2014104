"""E-mail and fax go through a real SMTP conversation with a local server (aiosmtpd, the ``smtp`` fixture)."""

import pytest

from aftersales.messaging import dispatch
from aftersales.messaging.models import Message
from aftersales.messaging.services import message_queue

pytestmark = pytest.mark.django_db


def test_email_goes_over_smtp_as_persian_right_to_left_html_with_an_attachment(smtp, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "receipt.pdf").write_bytes(b"%PDF-1.4 test")
    message = message_queue(channel="email", to="Sara@Example.IR", subject="رسید پذیرش", body="دستگاه شما پذیرش شد.",
                            attachments=["receipt.pdf"])
    dispatch.dispatch_due()
    message.refresh_from_db()
    assert message.state == Message.State.SENT
    [(recipients, mail)] = smtp.mails
    assert recipients == ["sara@example.ir"]
    assert mail["Subject"] == "رسید پذیرش"
    html = mail.get_body(("html",)).get_content()
    assert 'dir="rtl"' in html and "دستگاه شما پذیرش شد." in html
    assert mail.get_body(("plain",)).get_content().strip() == "دستگاه شما پذیرش شد."
    assert [part.get_filename() for part in mail.iter_attachments()] == ["receipt.pdf"]


def test_fax_goes_to_the_e_mail_to_fax_gateways_address(smtp, settings):
    settings.MESSAGING_FAX_EMAIL = "{number}@fax.example.ir"
    message_queue(channel="fax", to="۰۲۱-۸۸۷۷۶۶۵۵", subject="پیش‌فاکتور", body="متن")
    dispatch.dispatch_due()
    assert smtp.mails[0][0] == ["02188776655@fax.example.ir"]


def test_fax_without_a_gateway_fails_with_the_reason(smtp):
    message = message_queue(channel="fax", to="02188776655", body="متن")
    dispatch.dispatch_due()
    message.refresh_from_db()
    assert message.state == Message.State.FAILED and "MESSAGING_FAX_EMAIL" in message.error


def test_a_mail_server_that_is_away_leaves_the_message_queued(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9
    message = message_queue(channel="email", to="a@example.ir", body="x")
    dispatch.dispatch_due()
    message.refresh_from_db()
    assert message.state == Message.State.QUEUED and message.attempts == 1 and "mail server" in message.error


def test_an_invalid_email_address_is_refused():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        message_queue(channel="email", to="not-an-address", body="x")
