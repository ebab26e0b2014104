"""The customer's sign-in and account (issue 22): a code texted to the mobile, no password to forget.

The code follows the warranty activation's rules (``warranty.services``): five digits, ten minutes, five wrong
tries, three codes a mobile an hour, kept hashed; and a limit per client address, so that one machine cannot text
codes to a thousand mobiles. Whether a mobile is on record is not told before its code is verified.
"""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from aftersales.core.texted_codes import texted_code_check
from aftersales.customers.models import Customer, CustomerPhone
from aftersales.warranty.services import ACTIVATION_CODE_MINUTES, ACTIVATION_CODES_PER_MOBILE_PER_HOUR

from .models import PortalToken, SignInRequest


def address_key(address: str) -> str:
    return salted_hmac("aftersales.portal.address", address, algorithm="sha256").hexdigest()


def _mobile(mobile: str) -> str:
    from aftersales.core.validators import normalize_mobile, validate_mobile

    mobile = normalize_mobile(mobile)
    try:
        validate_mobile(mobile)
    except ValidationError as error:
        raise ValidationError({"mobile": error.messages}) from None
    return mobile


@transaction.atomic
def sign_in_start(*, mobile: str, address: str) -> SignInRequest:
    """Text a 5-digit code to ``mobile``, whether or not it is on record.

    Refuses an invalid mobile, a fourth code to one mobile within an hour, and more than
    ``PORTAL_CODES_PER_ADDRESS_PER_HOUR`` codes asked from one client address in an hour.
    """
    from aftersales.messaging.services import event_announce

    mobile = _mobile(mobile)
    hour_ago = timezone.now() - datetime.timedelta(hours=1)
    key = address_key(address)
    if SignInRequest.objects.filter(address_key=key, created_at__gte=hour_ago).count() >= settings.PORTAL_CODES_PER_ADDRESS_PER_HOUR:
        raise ValidationError({"mobile": _("Too many codes were asked from your connection; try again in an hour.")})
    if SignInRequest.objects.filter(mobile=mobile, created_at__gte=hour_ago).count() >= ACTIVATION_CODES_PER_MOBILE_PER_HOUR:
        raise ValidationError({"mobile": _("Too many codes were sent to this mobile; try again in an hour.")})
    code = f"{secrets.randbelow(90000) + 10000}"
    request = SignInRequest.objects.create(
        token=secrets.token_urlsafe(24), mobile=mobile, address_key=key, code_hash=make_password(code),
        expires_at=timezone.now() + datetime.timedelta(minutes=ACTIVATION_CODE_MINUTES),
    )
    event_announce("portal_sign_in_code", key=request.token, ref=f"portal.signin:{request.pk}",
                   context={"code": code}, recipients={"customer": {"sms": mobile}})
    return request


def sign_in_confirm(*, token: str, code: str) -> str:
    """The mobile whose texted code this is; refuses a wrong code (counted, five end the request), an expired,
    used or unknown request. A request is good for one sign-in."""
    return texted_code_check(SignInRequest.objects.all(), token=token, code=code, confirm=True,
                             invalid=_("This code is not valid any more; ask for a new one."),
                             expired=_("This code has expired; ask for a new one.")).mobile


def customers_for_mobile(mobile: str):
    """The account a signed-in mobile sees: every customer (not merged away) with it as their mobile or among
    their mobile phones."""
    phones = CustomerPhone.objects.filter(number=mobile, kind=CustomerPhone.Kind.MOBILE).values("customer_id")
    return Customer.objects.filter(Q(mobile=mobile) | Q(pk__in=phones), merged_into__isnull=True)


@transaction.atomic
def customer_register(*, mobile: str, first_name: str, last_name: str, national_code: str = "") -> Customer:
    """A verified mobile with no customer on record registers: a person with that mobile.

    Refuses an empty last name, an invalid national code or one another customer holds (without naming them),
    and a mobile already on record (the account exists)."""
    from aftersales.customers.services import national_code_conflict

    mobile = _mobile(mobile)
    if customers_for_mobile(mobile).exists():
        raise ValidationError({"mobile": _("This mobile already has an account; sign in again.")})
    conflict = national_code_conflict(customer=None, national_code=national_code)
    if conflict:
        raise ValidationError({"national_code": conflict})
    customer = Customer(kind=Customer.Kind.PERSON, first_name=first_name.strip(), last_name=last_name.strip(),
                        mobile=mobile, national_code=national_code)
    customer.full_clean()
    customer._change_reason = "registered on the customer portal"
    customer.save()
    return customer


def token_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def portal_token_issue(*, mobile: str) -> tuple[str, PortalToken]:
    """A new API key for a mobile whose texted code was just confirmed, good for ``PORTAL_SESSION_DAYS``.

    Returns the key (shown once: only its hash is stored) and the token's row."""
    key = secrets.token_urlsafe(32)
    token = PortalToken.objects.create(
        key_hash=token_hash(key), mobile=mobile,
        expires_at=timezone.now() + datetime.timedelta(days=settings.PORTAL_SESSION_DAYS))
    return key, token


def portal_token_revoke(*, token: PortalToken) -> None:
    """Sign the API client out: the key is refused from the next request on."""
    PortalToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
