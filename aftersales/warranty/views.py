from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from .status import State, warranty_status


def _too_many(request) -> bool:
    """Public pages answer a limited number of checks per address per minute, against enumeration."""
    address = request.META.get("REMOTE_ADDR", "")
    key = f"warranty:public:{address}"
    cache.add(key, 0, timeout=60)
    return cache.incr(key) > settings.WARRANTY_PUBLIC_CHECKS_PER_MINUTE


@never_cache
def public_check(request):
    """The public warranty check: only the product's status and end date, never who owns it."""
    serial = request.GET.get("serial", "").strip()
    context = {"serial": serial}
    if serial:
        if _too_many(request):
            context["error"] = _("Too many checks from your connection; try again in a minute.")
            return render(request, "warranty/check.html", context, status=429)
        status = warranty_status(serial=serial)
        context["status"] = status.product
        context["found"] = status.product.state != State.NOT_REGISTERED
    return render(request, "warranty/check.html", context)
