"""E-mail through Django's mail backend (SMTP in a deployment) and fax through an e-mail-to-fax gateway."""

from pathlib import Path

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from .base import Backend, GatewayError, SendResult


class EmailBackend(Backend):
    name = "email"

    def __init__(self, **_ignored):
        pass

    def address(self, message) -> str:
        return message.to

    def send(self, message) -> SendResult:
        html = message.html_body or render_to_string("messaging/email.html", {"message": message})
        mail = EmailMultiAlternatives(subject=message.subject, body=message.body, to=[self.address(message)],
                                      headers={"Message-ID": f"<aftersales-{message.local_id}@{settings.MESSAGING_EMAIL_DOMAIN}>"})
        mail.attach_alternative(html, "text/html")
        for name in message.attachments:
            mail.attach_file(str(Path(settings.MEDIA_ROOT) / name))
        try:
            mail.send()
        except (OSError, ValueError) as exc:
            raise GatewayError(f"mail server: {type(exc).__name__}: {exc}") from None
        return SendResult(provider_id=f"<aftersales-{message.local_id}>")


class FaxBackend(EmailBackend):
    """Fax as an e-mail to the gateway's address for the number, e.g. ``{number}@fax.example.ir``."""

    name = "fax"

    def address(self, message) -> str:
        if not settings.MESSAGING_FAX_EMAIL:
            raise GatewayError("no e-mail-to-fax gateway configured (MESSAGING_FAX_EMAIL)", permanent=True)
        return settings.MESSAGING_FAX_EMAIL.format(number=message.to)
