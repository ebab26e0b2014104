"""Who a portal page is for: the mobile signed in on this phone and the customers it belongs to.

A portal session is not a staff login: no user is authenticated, so no staff page, export or API operation
opens from it (they all ask for a user). The mobile is kept in the session; the customers are read on every
request, so a mobile taken off a customer's record stops showing that customer at once.
"""

import datetime
import functools
from dataclasses import dataclass, field

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

from .services import customers_for_mobile

SESSION_MOBILE = "portal_mobile"
SESSION_UNTIL = "portal_until"


@dataclass
class Account:
    mobile: str
    customers: list = field(default_factory=list)

    @cached_property
    def ids(self) -> list[int]:
        return [customer.pk for customer in self.customers]

    @property
    def customer(self):
        """The customer to greet and whose details the portal edits: the one whose own mobile this is, else the first."""
        return next((c for c in self.customers if c.mobile == self.mobile), self.customers[0] if self.customers else None)


def sign_in(request, mobile: str) -> None:
    """Sign ``mobile`` in on this browser for ``PORTAL_SESSION_DAYS`` (a new session key: no fixation)."""
    request.session.cycle_key()
    until = timezone.now() + datetime.timedelta(days=settings.PORTAL_SESSION_DAYS)
    request.session[SESSION_MOBILE] = mobile
    request.session[SESSION_UNTIL] = until.isoformat()
    request.session.set_expiry(settings.PORTAL_SESSION_DAYS * 24 * 3600)


def sign_out(request) -> None:
    for key in (SESSION_MOBILE, SESSION_UNTIL):
        request.session.pop(key, None)
    request.session.cycle_key()


def signed_in_mobile(request) -> str | None:
    mobile, until = request.session.get(SESSION_MOBILE), request.session.get(SESSION_UNTIL)
    if not mobile or not until or datetime.datetime.fromisoformat(until) < timezone.now():
        return None
    return mobile


def account(request) -> Account | None:
    mobile = signed_in_mobile(request)
    if mobile is None:
        return None
    return Account(mobile, list(customers_for_mobile(mobile)))


def customer_required(view):
    """A portal page: signed in (else to the sign-in, back here after), with an account (else to registration).
    ``request.portal`` is the ``Account``. Never cached; varies by cookie."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        found = account(request)
        if found is None:
            return redirect(reverse("portal:sign-in") + "?" + urlencode({"next": request.get_full_path()}))
        if not found.customers:
            return redirect("portal:register")
        request.portal = found
        response = view(request, *args, **kwargs)
        add_never_cache_headers(response)
        patch_vary_headers(response, ("Cookie",))
        return response

    return wrapped


def next_page(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/portal/") and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default
