"""The portal API's authentication (issue 22): a customer's key, sent as ``Authorization: Portal <key>``.

Used only by the portal's API views, never in ``DEFAULT_AUTHENTICATION_CLASSES``: a portal key authenticates no
Django user (``request.user`` stays anonymous), so every staff operation refuses it, and the portal's views take
no staff token or session. ``request.auth`` is a ``PortalAuth`` holding the same ``Account`` the pages use,
its customers read on every request.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.permissions import BasePermission

from .access import Account
from .models import PortalToken
from .services import customers_for_mobile, token_hash

KEYWORD = "Portal"
#: The last-used time is written at most this often: not one write for every read.
LAST_USED_STEP = datetime.timedelta(minutes=5)


@dataclass
class PortalAuth:
    token: PortalToken
    account: Account


class PortalTokenAuthentication(BaseAuthentication):
    """A portal key: not revoked, not expired. The user stays anonymous; the account is ``request.auth``."""

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != KEYWORD.lower().encode():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Send the header as: Authorization: Portal <key>."))
        try:
            key = parts[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed(_("This key is not valid; sign in again.")) from None
        now = timezone.now()
        token = PortalToken.objects.filter(key_hash=token_hash(key)).first()
        if token is None or token.revoked_at is not None:
            raise exceptions.AuthenticationFailed(_("This key is not valid; sign in again."))
        if token.expires_at <= now:
            raise exceptions.AuthenticationFailed(_("This key has expired; sign in again."))
        if token.last_used_at is None or token.last_used_at < now - LAST_USED_STEP:
            PortalToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return AnonymousUser(), PortalAuth(token, Account(token.mobile, list(customers_for_mobile(token.mobile))))

    def authenticate_header(self, request):
        return KEYWORD


class HasPortalAccount(BasePermission):
    """A portal key whose mobile has customers on record (else the client registers first)."""

    message = _("This mobile has no account yet; register first.")

    def has_permission(self, request, view):
        return isinstance(request.auth, PortalAuth) and bool(request.auth.account.customers)


class HasPortalKey(BasePermission):
    """A portal key, with or without customers (registration, signing out)."""

    def has_permission(self, request, view):
        return isinstance(request.auth, PortalAuth)


class PortalTokenScheme(OpenApiAuthenticationExtension):
    target_class = PortalTokenAuthentication
    name = "portalToken"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "Authorization",
                "description": ("The customer portal's key, from POST /api/portal/sign-in/confirm/: send "
                                 "`Authorization: Portal <key>`. Staff tokens and sessions do not open the "
                                 "portal's operations, and a portal key opens no staff operation.")}
