"""Two-factor authentication with TOTP codes (django-otp): who must use it, enrolment and checks.

Any user may add an authenticator app; from then on every login asks for its code. With
``AUTH_REQUIRE_2FA`` on (production's default), superusers and users whose role spans all centers
must have one: they see nothing but the enrolment page until they do. The step is enforced after
login by ``middleware.TwoFactorMiddleware``, so the login page, the admin's login and any other
form all lead to it.
"""

import logging
from base64 import b32encode

import django_otp
from django.conf import settings
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from aftersales.core.persian import to_ascii_digits

from .scoping import spans_all_centers

log = logging.getLogger("aftersales.security")

STEP_VERIFY = "verify"
STEP_ENROL = "enrol"
DEVICE_NAME = "authenticator"


def is_required(user) -> bool:
    """Whether ``user`` must use two-factor authentication (superusers and all-center roles)."""
    if not settings.AUTH_REQUIRE_2FA or not user.is_authenticated:
        return False
    return user.is_superuser or spans_all_centers(user)


def has_device(user) -> bool:
    return django_otp.user_has_device(user, confirmed=True)


def pending_step(request) -> str | None:
    """The two-factor step the request's user still owes in this session, if any."""
    user = request.user
    if not user.is_authenticated or user.is_verified():
        return None
    if has_device(user):
        return STEP_VERIFY
    if is_required(user):
        return STEP_ENROL
    return None


def clean_code(code) -> str:
    """A code as typed: Persian or Arabic digits and spaces are accepted."""
    return to_ascii_digits(str(code or "")).replace(" ", "").strip()


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def device_for_enrolment(user) -> TOTPDevice:
    """The unconfirmed device an enrolment shows (made once, then reused until it is confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def secret_for_display(device: TOTPDevice) -> str:
    """The device's secret in base32, in groups of four, for typing into an app by hand."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def code_verify(*, request, code: str) -> bool:
    """Check a code against the user's confirmed device and mark the session as verified.

    Wrong codes are throttled by django-otp (exponential back-off per device); a code is accepted
    once only.
    """
    device = confirmed_device(request.user)
    if device is None:
        return False
    verified = django_otp.verify_token(request.user, device.persistent_id, clean_code(code))
    if verified is None:
        log.warning("Wrong two-factor code for user %s", request.user.pk)
        return False
    django_otp.login(request, verified)
    return True


@transaction.atomic
def device_confirm(*, request, code: str) -> bool:
    """Confirm the enrolment device with a first code; the session counts as verified after it."""
    user = request.user
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).order_by("pk").first()
    if device is None or not device.verify_token(clean_code(code)):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    django_otp.login(request, device)
    log.info("User %s enrolled a two-factor device", user.pk)
    return True


@transaction.atomic
def device_remove(*, request, code: str) -> bool:
    """Turn two-factor authentication off for the user, with a current code as proof.

    Refused (False) for users who must use it and for a wrong code.
    """
    user = request.user
    if is_required(user) or not code_verify(request=request, code=code):
        return False
    TOTPDevice.objects.filter(user=user).delete()
    log.info("User %s removed their two-factor device", user.pk)
    return True


def token_login_check(user, code) -> str | None:
    """For the API's token endpoint: what the login still lacks, or None when it is complete.

    Returns ``STEP_ENROL`` when the user must use two-factor authentication and has no device
    (enrolment happens on the website), ``STEP_VERIFY`` when the code is missing or wrong.
    """
    device = confirmed_device(user)
    if device is None:
        return STEP_ENROL if is_required(user) else None
    if not code or django_otp.verify_token(user, device.persistent_id, clean_code(code)) is None:
        return STEP_VERIFY
    return None
