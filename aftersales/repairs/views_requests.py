"""Staff pages of the customers' service requests (issue 22): a request's page with its photos, and the
receptionist's confirm (into a repair order) and decline. The cartable lists the pending ones."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .forms import ServiceRequestConfirmForm, ServiceRequestDeclineForm
from .requests import RECEIVE_PERMISSION, service_request_confirm, service_request_decline, service_requests_for


def _request(request, pk):
    return get_object_or_404(service_requests_for(request.user), pk=pk)


def _page(request, service_request, *, confirm_form=None, decline_form=None, status=200):
    return render(request, "repairs/request_detail.html", {
        "service_request": service_request, "photos": service_request.photos.all(),
        "confirm_form": confirm_form or ServiceRequestConfirmForm(service_request=service_request),
        "decline_form": decline_form or ServiceRequestDeclineForm(),
    }, status=status)


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@login_required
@permission_required(RECEIVE_PERMISSION, raise_exception=True)
def request_detail(request, pk):
    """A customer's request as sent: what, where, when they would like it, and the photos."""
    return _page(request, _request(request, pk))


@login_required
@permission_required(RECEIVE_PERMISSION, raise_exception=True)
@require_POST
def request_confirm(request, pk):
    """Confirm the request into a repair order (the desk's reception), then open the order."""
    service_request = _request(request, pk)
    form = ServiceRequestConfirmForm(request.POST, service_request=service_request)
    if form.is_valid():
        data = form.cleaned_data
        try:
            order = service_request_confirm(
                request=service_request, acting_user=request.user, kind=data["kind"],
                description=data["description"], promised_on=data["promised_on"],
                appointment_at=data["appointment_at"], assignee=data["assignee"])
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Order %(number)s was received; tracking code %(code)s.")
                             % {"number": order.number, "code": order.tracking_code})
            return redirect("repairs:order", pk=order.pk)
    service_request.refresh_from_db()
    return _page(request, service_request, confirm_form=form, status=400)


@login_required
@permission_required(RECEIVE_PERMISSION, raise_exception=True)
@require_POST
def request_decline(request, pk):
    """Decline the request with a reason the customer receives by SMS; back to the cartable."""
    service_request = _request(request, pk)
    form = ServiceRequestDeclineForm(request.POST)
    if form.is_valid():
        try:
            service_request_decline(request=service_request, acting_user=request.user,
                                    reason=form.cleaned_data["reason"])
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The request was declined; the customer was told by SMS."))
            return redirect("repairs:cartable")
    service_request.refresh_from_db()
    return _page(request, service_request, decline_form=form, status=400)


@login_required
@permission_required(RECEIVE_PERMISSION, raise_exception=True)
def request_photo(request, pk, photo_pk):
    """A photo the customer sent, to staff who may see the request (never a public media URL)."""
    photo = get_object_or_404(_request(request, pk).photos, pk=photo_pk)
    return FileResponse(photo.image.open("rb"))
