from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .forms import AddressForm, PhoneForm
from .models import Customer
from .services import customer_address_add, customer_merge, customer_phone_add


@login_required
@permission_required("customers.delete_customer", raise_exception=True)
@require_POST
def merge(request, pk, duplicate_pk):
    keep = get_object_or_404(Customer, pk=pk, merged_into__isnull=True)
    duplicate = get_object_or_404(Customer, pk=duplicate_pk)
    try:
        customer_merge(keep=keep, duplicate=duplicate, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The duplicate was merged into this customer."))
    return redirect("desk:detail", slug="customers", pk=keep.pk)


def _customer_for_change(request, pk):
    if not request.user.has_perm("customers.change_customer"):
        raise PermissionDenied
    return get_object_or_404(Customer, pk=pk, merged_into__isnull=True)


def _form_errors(form) -> str:
    return " ".join(f"{form.fields[name].label}: {' '.join(errors)}" if name in form.fields else " ".join(errors)
                    for name, errors in form.errors.items())


@login_required
@require_POST
def phone_add(request, pk):
    customer = _customer_for_change(request, pk)
    form = PhoneForm(request.POST, prefix="phone")
    if form.is_valid():
        try:
            customer_phone_add(customer=customer, number=form.cleaned_data["number"], kind=form.cleaned_data["kind"],
                               acting_user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The phone was added."))
    else:
        messages.error(request, _form_errors(form))
    return redirect("desk:detail", slug="customers", pk=customer.pk)


@login_required
@require_POST
def address_add(request, pk):
    customer = _customer_for_change(request, pk)
    form = AddressForm(request.POST, prefix="address")
    if form.is_valid():
        customer_address_add(customer=customer, acting_user=request.user, **form.cleaned_data)
        messages.success(request, _("The address was added."))
    else:
        messages.error(request, _form_errors(form))
    return redirect("desk:detail", slug="customers", pk=customer.pk)
