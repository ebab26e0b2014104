"""Checking a code texted to a customer's mobile: the warranty's activation and the portal's sign-in share it.

A request row keeps the code hashed with its expiry and the wrong tries (fields ``token``, ``code_hash``,
``expires_at``, ``attempts``, ``confirmed_at`` and the model's ``MAX_ATTEMPTS``); this module holds the one
rule for checking what the customer typed against it.
"""

from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .persian import digits_only


def texted_code_check(requests, *, token: str, code: str, invalid: str, expired: str, confirm: bool = False):
    """The request of ``requests`` (a queryset) that ``token`` names, once ``code`` matches its hashed code.

    Refuses, as a ValidationError on ``code``: an unknown or already confirmed request (``invalid``), an expired
    one or one with ``MAX_ATTEMPTS`` wrong tries (``expired``), and a wrong code, counted, with the tries left.
    With ``confirm`` the request is marked confirmed under its row lock, so that a code opens one door once.

    Call it outside a transaction: the wrong try is committed before the error is raised, else a rollback would
    give a guesser endless tries.
    """
    with transaction.atomic():
        request = requests.select_for_update(of=("self",)).filter(token=token).first()
        if request is None or request.confirmed_at is not None:
            raise ValidationError({"code": invalid})
        if request.expires_at < timezone.now() or request.attempts >= request.MAX_ATTEMPTS:
            raise ValidationError({"code": expired})
        if check_password(digits_only(code), request.code_hash):
            if confirm:
                request.confirmed_at = timezone.now()
                request.save(update_fields=["confirmed_at"])
            return request
        request.attempts += 1
        request.save(update_fields=["attempts"])
        left = request.MAX_ATTEMPTS - request.attempts
    wrong = _("The code is not right.")
    if left:
        wrong += " " + _("%(left)s tries left.") % {"left": left}
    raise ValidationError({"code": wrong})  # outside the block: the wrong try stays counted
