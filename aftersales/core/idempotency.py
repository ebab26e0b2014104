"""Idempotency keys (the ``Idempotency-Key`` header, or a form's hidden submission key).

A key belongs to the caller who sent it: two users (or API clients) sending the same key get their
own documents, and nobody gets another's document back by guessing or replaying its key. A key sent
again with a different request is refused (HTTP 422, as the IETF Idempotency-Key draft and Stripe do).
"""

import functools
import hashlib

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
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


def _serialise_twins(key: str | None) -> None:
    """On PostgreSQL, make a twin with the same key wait until the first caller's transaction ends.

    Without it a twin can fail its own rules on a change the first caller committed in an earlier
    transaction of the same request (a party moved before its contact's key was written) and find no
    key to fall back on. The lock is the transaction's: it is released when the caller's outermost
    transaction commits or rolls back, after which the twin's own check sees the winner's record.
    """
    if key and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [key])


def claimed_once(model):
    """Make a service that writes a ``model`` under a ``submission_key`` safe against twin submits.

    The service's own check ("this key's record exists: return it") cannot see a twin submit running
    at the same instant: both callers miss, both write, and the second insert of the unique key
    fails (on PostgreSQL it waits for the first transaction and fails once it commits), or the
    second caller fails the service's own rules because the first one's work is done (nothing left
    to invoice, more than is owed). The service runs in a savepoint so that such a failure takes
    back everything the loser wrote (its document number included); when the key's record exists
    by then, the service runs once more and its own check returns the winner's record (or refuses
    a different request with ``refuse_reuse``). The decorated service takes ``acting_user=`` and
    ``submission_key=`` as keywords.
    """
    def decorate(service):
        @functools.wraps(service)
        def run(*args, **kwargs):
            key = caller_key(user=kwargs.get("acting_user"), key=kwargs.get("submission_key"))
            try:
                with transaction.atomic():
                    _serialise_twins(key)
                    return service(*args, **kwargs)
            except (IntegrityError, ValidationError) as error:
                # A new statement: under READ COMMITTED it sees the winner's committed row.
                if (not key or getattr(error, "code", None) == REUSED
                        or not model._default_manager.filter(submission_key=key).exists()):
                    raise
            return service(*args, **kwargs)
        return run
    return decorate
