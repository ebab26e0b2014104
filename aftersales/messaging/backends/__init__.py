"""One backend per channel and gateway, chosen by settings (``MESSAGING_SMS_BACKEND`` and friends)."""

from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string

from .base import Backend, GatewayError, InboundSms, SendResult

__all__ = ["Backend", "GatewayError", "InboundSms", "SendResult", "backend_for", "backends_reset"]

_ALIASES = {
    "console": "aftersales.messaging.backends.sms.ConsoleSmsBackend",
    "file": "aftersales.messaging.backends.sms.FileSmsBackend",
    "memory": "aftersales.messaging.backends.sms.MemorySmsBackend",
    "kavenegar": "aftersales.messaging.backends.kavenegar.KavenegarBackend",
    "smsir": "aftersales.messaging.backends.smsir.SmsIrBackend",
    "http": "aftersales.messaging.backends.sms.GenericHttpSmsBackend",
    "email": "aftersales.messaging.backends.email.EmailBackend",
    "fax": "aftersales.messaging.backends.email.FaxBackend",
}


@cache
def backend_for(channel: str) -> Backend:
    path = {"sms": settings.MESSAGING_SMS_BACKEND, "email": "email", "fax": "fax"}[channel]
    options = settings.MESSAGING_SMS_OPTIONS if channel == "sms" else {}
    return import_string(_ALIASES.get(path, path))(**options)


def backends_reset() -> None:
    """Forget the built backends (tests change the settings)."""
    backend_for.cache_clear()
