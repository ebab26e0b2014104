"""Brute-force limits on logins (django-axes), on the login page, the admin and the API's token endpoint.

Failures are counted per username and address together (``AXES_FAILURE_LIMIT``, 5 by default), so
one person's typos lock only that person at that address; a reception's colleagues behind the same
NAT address keep working. Two higher limits stop the other attacks: ``LOGIN_FAILURES_PER_ADDRESS``
for one address trying many usernames, ``LOGIN_FAILURES_PER_ACCOUNT`` for one username tried from
many addresses. All count within ``AXES_COOLOFF_TIME`` of the last failure; a successful login
clears its own username-and-address count. Administrators unlock by deleting the access attempts
in the admin (or ``manage.py axes_reset_username``).
"""

import ipaddress

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


class LoginFailureHandler(AxesDatabaseHandler):
    """Axes' database handler, plus the per-address and per-account limits."""

    def get_failures(self, request, credentials=None) -> int:
        failures = super().get_failures(request, credentials)
        limit = get_failure_limit(request, credentials)
        if failures >= limit:
            return failures
        recent = AccessAttempt.objects.all()
        if settings.AXES_COOLOFF_TIME is not None:
            recent = recent.filter(attempt_time__gte=get_cool_off_threshold(request))
        address = getattr(request, "axes_ip_address", None)
        if address and _sum(recent.filter(ip_address=address)) >= settings.LOGIN_FAILURES_PER_ADDRESS:
            return limit
        username = get_client_username(request, credentials)
        if username and _sum(recent.filter(username=username)) >= settings.LOGIN_FAILURES_PER_ACCOUNT:
            return limit
        return failures


def _sum(attempts) -> int:
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


def lockout_message() -> str:
    cool_off = get_cool_off()
    if cool_off is None:
        return _("Too many failed logins. Ask an administrator to unlock your account.")
    minutes = max(1, int(cool_off.total_seconds() // 60))
    return _(
        "Too many failed logins. Try again in %(minutes)s minutes, or ask an administrator to unlock your account."
    ) % {"minutes": minutes}


def lockout_response(request, original_response=None, credentials=None):
    """What a locked-out login gets: JSON for the API, the lockout page for the login pages (429)."""
    message = lockout_message()
    status = settings.AXES_HTTP_RESPONSE_CODE
    if request.path_info.startswith("/api/") or "application/json" in request.headers.get("Accept", ""):
        return JsonResponse({"detail": message}, status=status)
    return render(request, "registration/locked_out.html", {"message": message}, status=status)


def client_ip(request) -> str | None:
    """The client's address as the public rate limits see it (through trusted proxies only).

    An IPv6 client counts by its /64, stored as that network's first address, since axes keeps
    addresses in an IP address column.
    """
    from aftersales.core.limits import client_address

    address = client_address(request)
    try:
        if "/" in address:
            return str(ipaddress.ip_network(address, strict=False).network_address)
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None
