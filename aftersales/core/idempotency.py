"""Idempotency keys (the ``Idempotency-Key`` header, or a form's hidden submission key).

A key belongs to the caller who sent it: two users (or API clients) sending the same key get their
own documents, and nobody gets another's document back by guessing or replaying its key. A key sent
again with a different request is refused (HTTP 422, as the IETF Idempotency-Key draft and Stripe do).
"""

import hashlib

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MAX_KEY_LENGTH = 255
REUSED = "idempotency_key_reused"


def caller_key(*, user, key: str | None) -> str | None:
    """The stored form of ``key`` for ``user``: ``<user id>:<digest>`` (62 characters at most)."""
    if not key:
        return None
    if len(key) > MAX_KEY_LENGTH:
        raise ValidationError({"idempotency_key": _("An idempotency key is at most %(max)s characters long.")
                               % {"max": MAX_KEY_LENGTH}})
    digest = hashlib.sha256(key.encode()).hexdigest()[:40]
    return f"{getattr(user, 'pk', None) or 0}:{digest}"


def refuse_reuse() -> None:
    """Raise the error for a key already used with a different request."""
    raise ValidationError(_("This idempotency key was already used for a different request; use a new key."),
                          code=REUSED)
