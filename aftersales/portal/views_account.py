"""The customer's account pages on the portal (issue 22): register a purchase, complaints, the messages sent to
them and their details. Phone-first, server-rendered, each scoped to the signed-in account; every write goes
through the service of the app that owns the data."""

import secrets

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aftersales.core.limits import too_many
from aftersales.customers.services import customer_address_add, customer_address_remove
from aftersales.feedback.models import Complaint
from aftersales.feedback.services import complaint_receive
from aftersales.warranty.services import ALREADY_YOURS, purchase_register

from . import access, selectors, selectors_account, services_account
from .forms_account import AddressForm, ComplaintForm, DetailsForm, PurchaseForm

MESSAGES_PER_PAGE = 50
COMPLAINTS_PER_PAGE = 20


def _form_errors(form, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, messages_ in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages_)


def _already_yours(error: ValidationError) -> int | None:
    """The unit's id when the service refused a unit already registered to the customer, else None."""
    for item in getattr(error, "error_dict", {}).get("serial", []):
        if item.code == ALREADY_YOURS:
            return item.params["unit"]
    return None


@access.customer_required
def unit_register(request):
    """Register a purchase: serial, card number if any, Jalali purchase date and the invoice's photo; it
    becomes the warranty's activation, without a texted code (the mobile was verified at sign-in)."""
    account = request.portal
    form = PurchaseForm(request.POST or None, request.FILES or None,
                        initial={"serial": request.GET.get("serial", "")})
    status, already = 200, None
    if request.method == "POST":
        if too_many(request, "portal:unit-register", settings.WARRANTY_PUBLIC_CHECKS_PER_MINUTE, target=account.mobile):
            form.add_error(None, _("Too many requests from your connection; try again in a minute."))
            status = 429
        elif form.is_valid():
            data = form.cleaned_data
            try:
                card = purchase_register(customer=account.customer, own_customer_ids=account.ids,
                                         serial=data["serial"], card_number=data["card_number"],
                                         purchase_date=data["purchase_date"], invoice_photo=data["invoice_photo"])
            except ValidationError as error:
                already = _already_yours(error)
                _form_errors(form, error)
                status = 400
            else:
                messages.success(request, _("Your purchase is registered and the product's warranty is active."))
                return redirect("portal:unit", pk=card.unit_id)
        else:
            status = 400
    return render(request, "portal/unit_register.html", {"account": account, "form": form, "already": already},
                  status=status)


@access.customer_required
def complaint_list(request):
    account = request.portal
    page = Paginator(selectors_account.complaints(account), COMPLAINTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "portal/complaints.html", {"account": account, "page": page})


@access.customer_required
def complaint_new(request):
    """File a complaint about one of the account's units or repairs (or something else); answered by SMS and
    shown on the complaints page."""
    account = request.portal
    form = ComplaintForm(request.POST or None, units=selectors_account.own_units(account),
                         orders=list(selectors.orders(account)[:50]),
                         initial={"submission": secrets.token_urlsafe(16),
                                  "about": request.GET.get("about", ComplaintForm.OTHER)})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            unit, order = form.subject_of()
            customer = order.customer if order else unit.owner if unit else account.customer
            category = (Complaint.Category.SERVICE if order else Complaint.Category.PRODUCT if unit
                        else Complaint.Category.OTHER)
            try:  # a double tap sends the same submission: recorded once (the key is the customer's own)
                complaint = complaint_receive(
                    channel=Complaint.Channel.PORTAL, category=category, name=customer.known_name,
                    mobile=account.mobile, serial=unit.serial if unit else "", subject=data["subject"],
                    text=data["text"], customer=customer, unit=unit, repair_order=order,
                    submission_key=f"portal:{customer.pk}:{data['submission']}")
            except ValidationError as error:
                _form_errors(form, error)
                status = 400
            else:
                messages.success(request, _("Your message no. %(number)s was received. We answer you by SMS, "
                                            "and the answer shows here.") % {"number": complaint.number})
                return redirect("portal:complaints")
        else:
            status = 400
    return render(request, "portal/complaint_new.html", {"account": account, "form": form}, status=status)


@access.customer_required
def message_list(request):
    """The SMS and e-mails we sent the customer, newest first; codes are never shown."""
    account = request.portal
    page = Paginator(selectors_account.messages(account), MESSAGES_PER_PAGE).get_page(request.GET.get("page"))
    rows = [selectors_account.shown(message) for message in page.object_list]
    return render(request, "portal/messages.html", {"account": account, "page": page, "rows": rows})


def _me(request, *, details_form=None, address_form=None, status=200):
    account = request.portal
    customer = account.customer
    return render(request, "portal/me.html", {
        "account": account, "customer": customer,
        "details_form": details_form or DetailsForm(customer=customer),
        "address_form": address_form or AddressForm(),
        "phones": selectors_account.phones(customer), "addresses": selectors_account.addresses(customer),
        "opted_out": selectors_account.is_opted_out(account.mobile),
    }, status=status)


@access.customer_required
def me(request):
    """My details: name, national code (once, when empty), e-mail, phones, addresses, advertising SMS."""
    customer = request.portal.customer
    if request.method != "POST":
        return _me(request)
    form = DetailsForm(request.POST, customer=customer)
    if form.is_valid():
        try:
            services_account.details_update(customer=customer, **form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Your details were saved."))
            return redirect("portal:me")
    return _me(request, details_form=form, status=400)


@access.customer_required
@require_POST
def address_add(request):
    customer = request.portal.customer
    form = AddressForm(request.POST)
    if form.is_valid():
        try:
            customer_address_add(customer=customer, acting_user=None,
                                 reason=services_account.reason(_("address added")), **form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The address was added."))
            return redirect("portal:me")
    return _me(request, address_form=form, status=400)


@access.customer_required
@require_POST
def address_remove(request, pk):
    account = request.portal
    address = selectors_account.address(account, pk)
    customer_address_remove(customer=account.customer, address=address, acting_user=None,
                            reason=services_account.reason(_("address removed")))
    messages.success(request, _("The address was removed."))
    return redirect("portal:me")


@access.customer_required
@require_POST
def marketing_opt_out(request):
    """The «لغو» rule as a switch: advertising SMS to the signed-in mobile stop, or come again."""
    opted_out = services_account.marketing_opt_out_set(mobile=request.portal.mobile,
                                                       opted_out=request.POST.get("opt_out") == "on")
    messages.success(request, _("You will not get advertising SMS any more; service messages still come.")
                     if opted_out else _("You will get our advertising SMS again."))
    return redirect("portal:me")
