"""The contact-time panel (F50), the caller lookup by phone and the pop-up of a ringing call."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.cache import never_cache

from aftersales.customers.models import Customer

from .calls import calls_take
from .panel import PhoneInvalid, caller_lookup, party_panel, phone_candidates


def _url(name: str, *args, query: dict | None = None) -> str:
    """The URL of a page another part of the CRM (or app) may not have yet; "" while it is missing."""
    try:
        url = reverse(name, args=args)
    except NoReverseMatch:
        return ""
    return f"{url}?{urlencode(query)}" if query else url


def _customer(pk: int) -> Customer:
    customer = Customer.objects.filter(pk=pk).first()
    if customer is None:
        raise Http404
    return customer


def panel_context(request, customer: Customer) -> dict:
    """The panel of ``customer`` for the request's user, with the links its buttons need; 404 for a lead
    of another team."""
    try:
        panel = party_panel(customer, user=request.user)
    except Customer.DoesNotExist:
        raise Http404 from None
    user = request.user
    return {
        "panel": panel,
        "customer": customer,
        "party_url": _url("crm:party-detail", customer.pk) if panel.party is not None else "",
        "log_url": (_url("crm:contact-log", query={"customer": customer.pk})
                    if panel.party is not None and user.has_perm("marketing.add_contact") else ""),
        "book_url": (_url("crm:appointment-book", customer.pk)
                     if panel.party is not None and user.has_perm("crm.add_appointment") else ""),
        "customer_url": _url("desk:detail", "customers", customer.pk),
        "may_see_orders": user.has_perm("repairs.view_repairorder"),
        "may_see_invoices": user.has_perm("billing.view_invoice"),
        "may_see_complaints": user.has_perm("feedback.view_complaint"),
    }


@login_required
@permission_required("customers.view_customer", raise_exception=True)
@never_cache
def panel(request, customer_pk: int):
    """The party's whole story at contact time; an htmx request gets the panel alone (for a pop-up)."""
    customer = _customer(customer_pk)
    if customer.merged_into_id:
        return redirect("crm:panel", customer.merged_into_id)
    context = panel_context(request, customer)
    if request.htmx:
        return render(request, "crm/partials/panel_body.html", {**context, "compact": True})
    return render(request, "crm/panel.html", context)


@login_required
@permission_required("customers.view_customer", raise_exception=True)
@never_cache
def caller(request, phone: str):
    """Who is calling from ``phone`` (any Iranian form): one party opens their panel, several are listed
    to pick from, none offers to register the caller as a lead or a customer."""
    try:
        numbers = phone_candidates(phone)
        found = caller_lookup(phone, user=request.user)
    except PhoneInvalid as error:
        return render(request, "crm/caller.html", {"phone": phone, "error": str(error)}, status=400)
    if len(found) == 1:
        return redirect("crm:panel", found[0].pk)
    number = numbers[0] if len(numbers) == 1 else phone
    mobile = number if number.startswith("09") else ""
    return render(request, "crm/caller.html", {
        "phone": phone, "number": number, "found": found,
        "lead_url": (_url("crm:lead-create", query={"mobile": mobile} if mobile else {"phone": number})
                     if request.user.has_perm("crm.add_party") else ""),
        "customer_url": (_url("desk:create", "customers", query={"mobile": mobile} if mobile else None)
                         if request.user.has_perm("customers.add_customer") else ""),
    })


@login_required
@permission_required("customers.view_customer", raise_exception=True)
def caller_search(request):
    """The caller lookup's form: a number typed in any way opens ``crm:caller``."""
    phone = (request.GET.get("phone") or "").strip()
    if phone:
        return redirect("crm:caller", phone.replace("/", ""))
    return render(request, "crm/caller.html", {"phone": "", "ask": True})


@login_required
@never_cache
def calls_poll(request):
    """The calls ringing at the user's extension not shown yet, as pop-ups (204 when none): each with the
    caller's panel summary when one party has the number, else the caller's lookup page."""
    calls = calls_take(user=request.user)
    if not calls:
        return HttpResponse(status=204)
    popups = []
    for call in calls:
        try:
            found = caller_lookup(call.phone, user=request.user)
        except PhoneInvalid:
            found = []
        summary = None
        if len(found) == 1 and request.user.has_perm("customers.view_customer"):
            try:
                summary = panel_context(request, found[0])
            except Http404:
                summary = None
        popups.append({"call": call, "found": found, "summary": summary,
                       "caller_url": _caller_url(call.phone)})
    return render(request, "crm/partials/call_popups.html", {"popups": popups})


calls_poll.session_passive = True  # polling every few seconds is not activity: the idle logout still comes


def _caller_url(phone: str) -> str:
    phone = "".join(ch for ch in phone if ch.isalnum() or ch == "+")
    return reverse("crm:caller", args=[phone]) if phone else ""


def customer_panel_link(request, customer) -> dict:
    """On a customer's page: the link to their contact-time panel."""
    return {"customer": customer}
