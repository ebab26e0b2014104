"""Read a mailbox over IMAP (``MESSAGING_IMAP_*`` settings): each unseen e-mail becomes an inbound message."""

import email
import email.policy
import imaplib
import logging
from email.utils import parseaddr

from django.conf import settings

from .models import Channel
from .services import inbound_record

logger = logging.getLogger("aftersales.messaging")


def _text_of(mail) -> str:
    part = mail.get_body(("plain", "html"))
    if part is None:
        return ""
    text = part.get_content()
    if part.get_content_type() == "text/html":
        from django.utils.html import strip_tags

        text = strip_tags(text)
    return text.strip()


def poll_mailbox() -> int:
    """Take the unseen e-mails of the inbox and mark them seen; returns how many were kept.

    A mail is marked seen only after it is stored, so a crash in between reads it again, and the
    Message-ID keeps it from being stored twice.
    """
    if not settings.MESSAGING_IMAP_HOST:
        return 0
    kept = 0
    client_class = imaplib.IMAP4_SSL if settings.MESSAGING_IMAP_SSL else imaplib.IMAP4
    try:
        client = client_class(settings.MESSAGING_IMAP_HOST, settings.MESSAGING_IMAP_PORT, timeout=30)
    except OSError as error:
        logger.info("mailbox not reached: %s", type(error).__name__)
        return 0
    try:
        client.login(settings.MESSAGING_IMAP_USER, settings.MESSAGING_IMAP_PASSWORD)
        client.select(settings.MESSAGING_IMAP_FOLDER)
        _status, data = client.uid("SEARCH", None, "UNSEEN")
        for uid in (data[0] or b"").split():
            _status, parts = client.uid("FETCH", uid, "(RFC822)")
            raw = next((part[1] for part in parts if isinstance(part, tuple)), None)
            if raw is None:
                continue
            mail = email.message_from_bytes(raw, policy=email.policy.default)
            sender = parseaddr(str(mail.get("From", "")))[1].lower()
            message_id = str(mail.get("Message-ID", "")).strip() or f"imap-uid-{uid.decode()}"
            inbound_record(channel=Channel.EMAIL, sender=sender, subject=str(mail.get("Subject", "")),
                           body=_text_of(mail), provider_id=message_id)
            client.uid("STORE", uid, "+FLAGS", r"(\Seen)")
            kept += 1
    except imaplib.IMAP4.error as error:
        logger.warning("mailbox error: %s", error)
    finally:
        try:
            client.logout()
        except (OSError, imaplib.IMAP4.error):
            pass
    return kept
