"""Service requests from customers (the portal's "ask for service", issue 22): routed to the center that
serves the customer's region, they wait in its cartable as draft receptions; a receptionist confirms one
into a repair order through the desk's own reception (``services.reception_create``) or declines it with
a reason, and the customer may withdraw it while it waits.

The center's staff learn of a new request from their cartable, which counts and lists the pending
requests of their centers (``service_requests_pending``); the customer is told by SMS through the
messaging rules of ``service_request_received`` and ``service_request_declined``, and by the reception's
own SMS (with the tracking code) once the request becomes an order.
"""

import datetime
import hashlib
import os

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.core.idempotency import MAX_KEY_LENGTH
from aftersales.core.persian import localize_digits, normalize_text
from aftersales.core.validators import normalize_postal_code, validate_postal_code
from aftersales.messaging.services import event_announce
from aftersales.organization.scoping import check_center, scope_queryset

from .models import RepairOrder, ServiceRequest, ServiceRequestPhoto

#: The furthest ahead a customer may ask for a day (the centers plan visits no further).
MAX_DAYS_AHEAD = 60
#: Who may confirm or decline a request: those who receive units at the desk.
RECEIVE_PERMISSION = "repairs.add_repairorder"

_ROWS = ("customer", "unit__product_model", "product_model", "region__parent", "center")


# --- reads ------------------------------------------------------------------------------------------------

def center_for_region(region):
    """The active center that serves ``region`` through an active sales territory, or None.

    A territory naming the region itself wins over one naming its city, which wins over one naming its
    province (``Region.parent`` walked up); among the centers of the most specific level, the one with
    the fewest pending requests, then the lowest id.
    """
    from aftersales.organization.models import ServiceCenter
    from aftersales.regions.models import SalesTerritory

    serving = SalesTerritory.centers.through.objects.filter(salesterritory__is_active=True)
    seen = set()
    level = region
    while level is not None and level.pk not in seen:
        seen.add(level.pk)
        center = (ServiceCenter.objects.filter(
            is_active=True, pk__in=serving.filter(salesterritory__regions=level).values("servicecenter_id"))
            .annotate(pending=Count("service_requests",
                                    filter=Q(service_requests__status=ServiceRequest.Status.PENDING)))
            .order_by("pending", "pk").first())
        if center is not None:
            return center
        level = level.parent
    return None


def service_requests_for(user):
    """The service requests of ``user``'s centers (every center for head office)."""
    return scope_queryset(ServiceRequest.objects.select_related(*_ROWS), user)


def service_requests_pending(user):
    """The requests of ``user``'s centers still waiting for a receptionist, oldest first."""
    return service_requests_for(user).filter(status=ServiceRequest.Status.PENDING).order_by("created_at", "pk")


def service_requests_of(customer):
    """A customer's requests, newest first, with the order each became (its tracking code and state)."""
    return (ServiceRequest.objects.filter(customer=customer)
            .select_related("unit__product_model", "product_model", "region", "center", "order__state")
            .order_by("-created_at", "-pk"))


# --- writes -----------------------------------------------------------------------------------------------

def _submission_key(customer, key: str | None) -> str | None:
    """The stored form of a customer's key: a key belongs to the customer who sent it (as ``caller_key``
    does for staff, in a namespace of its own)."""
    if not key:
        return None
    if len(key) > MAX_KEY_LENGTH:
        raise ValidationError({"submission_key": _("An idempotency key is at most %(max)s characters long.")
                               % {"max": MAX_KEY_LENGTH}})
    return f"c{customer.pk}:{hashlib.sha256(key.encode()).hexdigest()[:40]}"


def _no_center_message(region) -> str:
    phone = (settings.BILLING_MANUFACTURER or {}).get("phone", "").strip()
    if phone:
        return (_("No service center serves %(region)s yet. Please call head office at %(phone)s.")
                % {"region": region, "phone": localize_digits(phone)})
    return _("No service center serves %(region)s yet. Please call head office.") % {"region": region}


def _photos_clean(photos) -> list:
    """The photos as the reception desk takes them: a few images of limited size, each a real image."""
    from .forms import PhotosField

    photos = [photo for photo in photos if photo]
    if not photos:
        return []
    try:
        return PhotosField(required=False).clean(photos)
    except ValidationError as error:
        raise ValidationError({"photos": error.messages}) from None


def _announce(request: ServiceRequest, event: str, *, acting_user=None, **context) -> None:
    customer = request.customer
    event_announce(
        event, key=str(request.pk), customer_id=customer.pk, ref=f"repairs.request:{request.pk}",
        center=request.center, acting_user=acting_user,
        context={"customer_name": customer.known_name, "product": str(request.product or ""),
                 "center_name": request.center.name, "date": request.preferred_on, **context},
        recipients={"customer": {"sms": customer.mobile, "email": customer.email}},
    )


@transaction.atomic
def service_request_submit(*, customer, kind: str, description: str, region, address: str = "",
                           postal_code: str = "", unit=None, product_model=None, serial: str = "",
                           preferred_on: datetime.date | None = None, window: str = ServiceRequest.Window.ANY,
                           photos=(), submission_key: str | None = None) -> ServiceRequest:
    """Send a customer's request for a repair at the center or a home visit to the center that serves
    ``region`` (``center_for_region``); it waits in that center's cartable, and the customer is texted
    an acknowledgement (event ``service_request_received``).

    Refuses, by field and before writing anything: an empty description; a kind other than a repair at
    the center or a home visit; a unit the customer does not own (without saying whose it is); neither a
    unit nor a product model nor a serial; a preferred date in the past or more than ``MAX_DAYS_AHEAD``
    days ahead; an unknown time window; a home visit without the address or the postal code; an invalid
    postal code; photos the reception desk would refuse; a province instead of a city or district; and
    a region no center serves (with head office's phone, ``BILLING_MANUFACTURER["phone"]``). The same
    ``submission_key`` again (a double submit) returns the first request. Implements issue 22.
    """
    key = _submission_key(customer, submission_key)
    if key:
        existing = ServiceRequest.objects.filter(submission_key=key).first()
        if existing is not None:
            return existing
    from aftersales.regions.models import Region

    errors = {}
    description = (description or "").strip()
    if not description:
        errors["description"] = _("Describe the problem.")
    if kind not in dict(ServiceRequest.KINDS):
        errors["kind"] = _("Choose a repair at the center or a home visit.")
    if unit is not None and unit.owner_id != customer.pk:
        errors["unit"] = _("This unit is not registered to you. Register your purchase first, or give the "
                           "product model and serial instead.")
    serial = normalize_text(serial or "").strip()
    if len(serial) > 40:
        errors["serial"] = _("A serial is at most 40 characters long.")
    if unit is None and product_model is None and not serial:
        errors["unit"] = _("Choose one of your units, or give the product model or its serial.")
    if preferred_on is not None:
        today = timezone.localdate()
        if preferred_on < today:
            errors["preferred_on"] = _("This day has passed; choose a day to come.")
        elif preferred_on > today + datetime.timedelta(days=MAX_DAYS_AHEAD):
            errors["preferred_on"] = _("Choose a day within the next %(days)s days.") % {
                "days": localize_digits(MAX_DAYS_AHEAD)}
    if window not in ServiceRequest.Window.values:
        errors["window"] = _("Choose a time of day.")
    address = normalize_text(address or "").strip()
    postal_code = normalize_postal_code(postal_code or "")
    if len(address) > 500:
        errors["address"] = _("The address is at most 500 characters long.")
    if kind == RepairOrder.Kind.HOME:
        if not address:
            errors["address"] = _("A home visit needs the address.")
        if not postal_code:
            errors["postal_code"] = _("A home visit needs the postal code.")
    if postal_code:
        try:
            validate_postal_code(postal_code)
        except ValidationError as error:
            errors["postal_code"] = error.messages
    try:
        photos = _photos_clean(photos)
    except ValidationError as error:
        errors.update(error.message_dict)
    center = None
    if region is None or region.kind not in (Region.Kind.CITY, Region.Kind.DISTRICT):
        errors["region"] = _("Choose the city or district where the unit is.")
    else:
        center = center_for_region(region)
        if center is None:
            errors["region"] = _no_center_message(region)
    if errors:
        raise ValidationError(errors)
    request = ServiceRequest(
        customer=customer, unit=unit, product_model=product_model if unit is None else unit.product_model,
        serial=unit.serial if unit is not None else serial, kind=kind, description=description, region=region,
        address=address, postal_code=postal_code, preferred_on=preferred_on, window=window, center=center,
        submission_key=key)
    try:
        with transaction.atomic():
            request.save()
    except IntegrityError:
        # The same key sent twice at once: the twin's request was committed first.
        existing = ServiceRequest.objects.filter(submission_key=key).first() if key else None
        if existing is None:
            raise
        return existing
    for photo in photos:
        ServiceRequestPhoto.objects.create(request=request, image=photo)
    _announce(request, "service_request_received")
    return request


def _refuse_unless_receptionist_of(request: ServiceRequest, user) -> None:
    """Only staff who receive units, at the request's center (or head office), decide on it."""
    if not user.has_perm(RECEIVE_PERMISSION):
        raise PermissionDenied(_("Your role may not receive units."))
    check_center(user, request.center_id)


def _refuse_unless_pending(request: ServiceRequest) -> None:
    if request.status == ServiceRequest.Status.PENDING:
        return
    if request.status == ServiceRequest.Status.CONFIRMED:
        message = _("This request was already confirmed as order %(number)s.") % {
            "number": request.order.number if request.order_id else "—"}
    elif request.status == ServiceRequest.Status.DECLINED:
        message = _("This request was already declined.")
    else:
        message = _("The customer withdrew this request.")
    raise ValidationError(message, code="decided")


def _locked(request: ServiceRequest) -> ServiceRequest:
    # No join under the lock: PostgreSQL refuses FOR UPDATE on the nullable side of an outer join.
    return ServiceRequest.objects.select_for_update().get(pk=request.pk)


@transaction.atomic
def service_request_confirm(*, request: ServiceRequest, acting_user, kind: str | None = None,
                            appointment_at: datetime.datetime | None = None, assignee=None,
                            promised_on: datetime.date | None = None,
                            description: str | None = None) -> RepairOrder:
    """Confirm a pending request: receive it as a repair order through the desk's reception
    (``reception_create``: number, tracking code, warranty, the tracking SMS) with the request's
    customer, unit or product model and serial, kind, description, address and photos; the request
    links the order. ``kind`` and ``description`` may be corrected; a home visit may be booked
    (``appointment_at``, ``assignee``) as at the desk, and a date promised.

    Only staff with the reception permission at the request's center (PermissionDenied otherwise).
    Refuses a request already confirmed, declined or withdrawn; two confirmations at once give one
    order (the request's row is locked), the second is refused. Implements issue 22.
    """
    from .services import reception_create

    locked = _locked(request)
    _refuse_unless_receptionist_of(locked, acting_user)
    _refuse_unless_pending(locked)
    kind = kind or locked.kind
    if kind not in dict(ServiceRequest.KINDS):
        raise ValidationError({"kind": _("Choose a repair at the center or a home visit.")})
    address = locked.address
    if locked.postal_code:
        address = _("%(address)s, postal code %(postal_code)s") % {"address": address,
                                                                   "postal_code": locked.postal_code}
    photos = []
    for photo in locked.photos.all():
        with photo.image.open("rb") as stored:
            photos.append(ContentFile(stored.read(), name=os.path.basename(photo.image.name)))
    order = reception_create(
        center=locked.center, acting_user=acting_user, customer=locked.customer, unit=locked.unit,
        product_model=locked.product_model, serial=locked.serial, kind=kind,
        description=locked.description if description is None else description, address=address[:500],
        appointment_at=appointment_at, assignee=assignee, promised_on=promised_on, photos=photos)
    locked.status, locked.order = ServiceRequest.Status.CONFIRMED, order
    locked.decided_at, locked.decided_by = timezone.now(), acting_user
    locked._history_user = acting_user
    locked.save(update_fields=["status", "order", "decided_at", "decided_by"])
    return order


@transaction.atomic
def service_request_decline(*, request: ServiceRequest, acting_user, reason: str) -> ServiceRequest:
    """Decline a pending request with the reason, which the customer receives by SMS (event
    ``service_request_declined``). Only staff with the reception permission at the request's center;
    refuses an empty or over-long reason and a request no longer pending. Implements issue 22."""
    locked = _locked(request)
    _refuse_unless_receptionist_of(locked, acting_user)
    _refuse_unless_pending(locked)
    reason = normalize_text(reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for declining; the customer receives it by SMS.")})
    if len(reason) > 300:
        raise ValidationError({"reason": _("The reason is at most 300 characters long.")})
    locked.status, locked.decline_reason = ServiceRequest.Status.DECLINED, reason
    locked.decided_at, locked.decided_by = timezone.now(), acting_user
    locked._history_user = acting_user
    locked.save(update_fields=["status", "decline_reason", "decided_at", "decided_by"])
    _announce(locked, "service_request_declined", acting_user=acting_user, reason=reason)
    return locked


@transaction.atomic
def service_request_cancel(*, request: ServiceRequest, customer) -> ServiceRequest:
    """The customer withdraws their pending request; it leaves the center's cartable. Refuses another
    customer's request (PermissionDenied) and a request already decided. Implements issue 22."""
    locked = _locked(request)
    if locked.customer_id != customer.pk:
        raise PermissionDenied
    _refuse_unless_pending(locked)
    locked.status, locked.decided_at = ServiceRequest.Status.CANCELLED, timezone.now()
    locked.save(update_fields=["status", "decided_at"])
    return locked
