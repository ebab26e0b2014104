from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .models import Customer
from .services import customer_merge


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
