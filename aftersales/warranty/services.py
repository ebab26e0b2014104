"""Writes on warranties: issuing and activating cards, voiding. Implements F26 and F11."""

import datetime
import secrets
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.core import jalali
from aftersales.core.checkdigit import verhoeff_digit, verhoeff_valid
from aftersales.core.persian import digits_only
from aftersales.core.texted_codes import texted_code_check

from .models import ActivationRequest, PeriodicService, PurchaseProof, WarrantyCard, WarrantyVoid
from .status import _model_policy, _version_at, add_months


def card_number_new() -> str:
    """11 random digits (not guessable from a neighbour's card) and a Verhoeff check digit."""
    body = f"{secrets.randbelow(9 * 10**10) + 10**10}"
    return body + verhoeff_digit(body)


def card_number_clean(number: str) -> str:
    """The card number as typed, checked; ValidationError (Persian) for a mistyped one."""
    number = digits_only(number)
    if len(number) != 12 or not verhoeff_valid(number):
        raise ValidationError(
            {"number": _("This card number is not valid; check it for a mistyped digit.")}, code="invalid_card_number"
        )
    return number


@transaction.atomic
def warranty_card_issue(*, unit, acting_user=None) -> WarrantyCard:
    """Issue the card of a unit (once: a unit has one live card)."""
    if WarrantyCard.objects.filter(unit=unit).exclude(status=WarrantyCard.Status.CANCELLED).exists():
        raise ValidationError(_("This unit already has a warranty card."))
    for _attempt in range(5):
        try:
            with transaction.atomic():
                card = WarrantyCard(number=card_number_new(), unit=unit)
                card._history_user = acting_user
                card.save()
                return card
        except IntegrityError:
            continue  # a number already taken: draw another
    raise RuntimeError("could not draw a free card number")


def warranty_cards_issue_batch(*, units, acting_user=None) -> list[WarrantyCard]:
    """Issue cards for every unit of a batch that has none yet."""
    issued = []
    for unit in units:
        if not WarrantyCard.objects.filter(unit=unit).exclude(status=WarrantyCard.Status.CANCELLED).exists():
            issued.append(warranty_card_issue(unit=unit, acting_user=acting_user))
    return issued


@transaction.atomic
def warranty_card_activate(*, number: str, purchase_date: datetime.date, channel: str, acting_user=None,
                           owner=None, installation_date: datetime.date | None = None) -> WarrantyCard:
    """Activate a card: fix the policy version in force on the purchase date and record the owner.

    Refuses (ValidationError, with the reason) a mistyped number, an unknown or cancelled card,
    a card already activated, a unit whose warranty was voided, and a purchase date in the future
    or before the unit was made.
    """
    number = card_number_clean(number)
    card = WarrantyCard.objects.select_for_update(of=("self",)).select_related("unit__product_model").filter(number=number).first()
    if card is None or card.status == WarrantyCard.Status.CANCELLED:
        raise ValidationError({"number": _("No live warranty card has this number.")})
    if card.status == WarrantyCard.Status.ACTIVE:
        raise ValidationError(
            {"number": _("This card was already activated on %(day)s.") % {"day": jalali.format_datetime(card.activated_at)}}
        )
    unit = card.unit
    void = WarrantyVoid.objects.filter(unit=unit, component_type__isnull=True).first()
    if void is not None:
        raise ValidationError({"number": _("The warranty of this unit was voided: %(reason)s.") % {"reason": void.get_reason_display()}})
    if purchase_date > timezone.localdate():
        raise ValidationError({"purchase_date": _("The purchase date is in the future.")})
    if unit.production_date and purchase_date < unit.production_date:
        raise ValidationError({"purchase_date": _("The purchase date is before the unit was made.")})
    policy = _model_policy(unit.product_model_id)
    if policy is None:
        raise ValidationError({"number": _("No warranty policy is assigned to this model.")})
    card.policy_version = _version_at(policy[0], purchase_date)
    card.purchase_date, card.installation_date = purchase_date, installation_date
    card.status, card.channel = WarrantyCard.Status.ACTIVE, channel
    card.activated_at, card.activated_by = timezone.now(), acting_user
    card._history_user = acting_user
    card.save()
    if owner is not None and unit.owner_id != owner.pk:
        unit.owner = owner
        unit.save(update_fields=["owner", "updated_at"])
    periodic_schedule_create(unit=unit, version=card.policy_version, start=installation_date or purchase_date)
    _announce_activation(card, acting_user)
    return card


def _announce_activation(card: WarrantyCard, acting_user) -> None:
    """Tell the owner by SMS that the warranty is active (the rule is data; an admin may switch it off)."""
    from django.urls import reverse

    from aftersales.messaging.services import event_announce

    unit = card.unit
    owner = unit.owner
    if owner is None or not owner.mobile:
        return
    link = settings.SITE_URL + reverse("warranty-check") + "?" + urlencode({"serial": unit.serial})
    event_announce(
        "warranty_activated", key=card.number, customer_id=owner.pk, ref=f"warranty.card:{card.pk}",
        acting_user=acting_user,
        context={"customer_name": owner.known_name, "serial": unit.serial, "product": str(unit.product_model),
                 "card_number": card.number, "date": card.purchase_date, "link": link},
        recipients={"customer": {"sms": owner.mobile, "email": getattr(owner, "email", "")}},
    )


ACTIVATION_CODE_MINUTES = 10
ACTIVATION_CODES_PER_MOBILE_PER_HOUR = 3


def _activation_unit(serial: str):
    from django.apps import apps

    from aftersales.core.persian import normalize_identifier

    units = list(apps.get_model("catalog", "ProductUnit").objects.filter(serial_key=normalize_identifier(serial))
                 .select_related("product_model")[:2])
    if not units:
        raise ValidationError({"serial": _("No product with this serial is registered.")})
    if len(units) > 1:
        raise ValidationError({"serial": _("More than one product has this serial; please call the service center.")})
    return units[0]


def _activation_card(unit) -> WarrantyCard | None:
    """The unit's live card, refusing (with the reason) a unit that cannot be activated."""
    card = WarrantyCard.objects.filter(unit=unit).exclude(status=WarrantyCard.Status.CANCELLED).first()
    if card is not None and card.status == WarrantyCard.Status.ACTIVE:
        raise ValidationError({"serial": _("The warranty of this product is already active since %(day)s.")
                               % {"day": jalali.format_date(card.activated_at)}})
    void = WarrantyVoid.objects.filter(unit=unit, component_type__isnull=True).first()
    if void is not None:
        raise ValidationError({"serial": _("The warranty of this unit was voided: %(reason)s.")
                               % {"reason": void.get_reason_display()}})
    return card


@transaction.atomic
def activation_request_start(*, serial: str, mobile: str, purchase_date: datetime.date, name: str = "") -> ActivationRequest:
    """Start a customer's own activation: check the unit can be activated and text a code to the mobile.

    Refuses (ValidationError, with the reason) an unknown serial, an active or voided warranty, a
    purchase date in the future or before the unit was made, an invalid mobile, and more than
    three codes to one mobile in an hour. Implements F26 (activation by the customer).
    """
    from aftersales.core.validators import normalize_mobile, validate_mobile
    from aftersales.messaging.services import event_announce

    mobile = normalize_mobile(mobile)
    try:
        validate_mobile(mobile)
    except ValidationError as error:
        raise ValidationError({"mobile": error.messages}) from None
    unit = _activation_unit(serial)
    _activation_card(unit)
    if purchase_date > timezone.localdate():
        raise ValidationError({"purchase_date": _("The purchase date is in the future.")})
    if unit.production_date and purchase_date < unit.production_date:
        raise ValidationError({"purchase_date": _("The purchase date is before the unit was made.")})
    if _model_policy(unit.product_model_id) is None:
        raise ValidationError({"serial": _("No warranty policy is assigned to this model.")})
    hour_ago = timezone.now() - datetime.timedelta(hours=1)
    if ActivationRequest.objects.filter(mobile=mobile, created_at__gte=hour_ago).count() >= ACTIVATION_CODES_PER_MOBILE_PER_HOUR:
        raise ValidationError({"mobile": _("Too many codes were sent to this mobile; try again in an hour.")})
    code = f"{secrets.randbelow(90000) + 10000}"
    request = ActivationRequest.objects.create(
        token=secrets.token_urlsafe(24), unit=unit, mobile=mobile, name=name.strip()[:120],
        purchase_date=purchase_date, code_hash=make_password(code),
        expires_at=timezone.now() + datetime.timedelta(minutes=ACTIVATION_CODE_MINUTES),
    )
    event_announce("warranty_activation_code", key=request.token, ref=f"warranty.activation:{request.pk}",
                   context={"code": code, "serial": unit.serial}, recipients={"customer": {"sms": mobile}})
    return request


def activation_request_confirm(*, token: str, code: str) -> WarrantyCard:
    """Activate the warranty once the customer typed the code texted to them.

    The customer with that mobile becomes the owner (created if new); a unit without a card gets one.
    Refuses an expired or used request, a wrong code (five wrong codes end the request) and
    everything ``warranty_card_activate`` refuses.
    """
    texted_code_check(ActivationRequest.objects.all(), token=token, code=code,
                      invalid=_("This activation request is not valid any more; start again."),
                      expired=_("This code has expired; start again to get a new one."))
    return _activation_complete(token)


@transaction.atomic
def _activation_complete(token: str) -> WarrantyCard:
    request = ActivationRequest.objects.select_for_update(of=("self",)).select_related("unit").get(token=token)
    if request.confirmed_at is not None:
        raise ValidationError({"code": _("This activation request is not valid any more; start again.")})
    unit = request.unit
    card = _activation_card(unit) or warranty_card_issue(unit=unit)
    owner = owner_for_mobile(mobile=request.mobile, name=request.name)
    activated = warranty_card_activate(number=card.number, purchase_date=request.purchase_date,
                                       channel=WarrantyCard.Channel.CUSTOMER, owner=owner)
    request.confirmed_at = timezone.now()
    request.save(update_fields=["confirmed_at"])
    return activated


#: The largest photo of a purchase invoice accepted, as for a repair's photos (a phone's photo is 2–5 MB).
INVOICE_PHOTO_MAX_BYTES = 8 * 2**20
#: Image formats a phone's camera or gallery gives and every browser shows.
INVOICE_PHOTO_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
#: The code of the error for a unit already registered to the caller with an active warranty; its params
#: carry the unit's id, so that a page can link to it.
ALREADY_YOURS = "already_yours"


def invoice_photo_errors(photo) -> list[str]:
    """Persian messages for an invoice photo that is too large or not an image (empty: it is fine)."""
    from PIL import Image, UnidentifiedImageError

    from aftersales.core.persian import format_number

    if photo is None:
        return []
    size = getattr(photo, "size", None)
    if size is not None and size > INVOICE_PHOTO_MAX_BYTES:
        return [_("The photo of the invoice may be at most %(mb)s MB.")
                % {"mb": format_number(INVOICE_PHOTO_MAX_BYTES // 2**20)}]
    try:
        photo.seek(0)
        with Image.open(photo) as image:
            kind = image.format
            image.verify()
        photo.seek(0)
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        kind = None
    if kind not in INVOICE_PHOTO_FORMATS:
        return [_("The file is not a photo (JPEG or PNG) that can be read.")]
    return []


def _photo_name(photo) -> str:
    """The stored name keeps the upload's extension only: a phone's file name may hold anything."""
    import os

    extension = os.path.splitext(getattr(photo, "name", "") or "")[1].lower()
    return "invoice" + (extension if extension in (".jpg", ".jpeg", ".png", ".webp", ".gif") else ".jpg")


def _head_office_phone() -> str:
    from aftersales.core.persian import localize_digits

    return localize_digits((settings.BILLING_MANUFACTURER or {}).get("phone", "").strip())


@transaction.atomic
def purchase_register(*, customer, serial: str, purchase_date: datetime.date, card_number: str = "",
                      invoice_photo=None, own_customer_ids=()) -> WarrantyCard:
    """Register a purchase the customer made: the warranty activation of the public page, without a texted
    code (the customer's mobile was verified when they signed in to the portal), with the invoice's photo.

    The unit's live card is activated (one is issued if it has none) through the customer channel, the
    customer becomes the owner and the photo is kept as the unit's proof of purchase. ``own_customer_ids``
    are other customer records the caller speaks for (the portal's account: every record with the signed-in
    mobile); a unit owned by one of them stays theirs.

    Refuses (ValidationError, nothing written): an unknown serial; a unit owned by another customer (never
    naming them); a card number that is not the unit's live card; a unit already activated (code
    ``ALREADY_YOURS``, with the unit's id in the params, when it is the customer's own); a voided warranty;
    a model with no warranty policy; a purchase date in the future or before the unit was made; a photo
    that is too large or no image. Implements F26 (activation by the customer) for the portal, issue 22.
    """
    own = {customer.pk, *own_customer_ids}
    photo_errors = invoice_photo_errors(invoice_photo)
    if photo_errors:
        raise ValidationError({"invoice_photo": photo_errors})
    if purchase_date > timezone.localdate():
        raise ValidationError({"purchase_date": _("The purchase date is in the future.")})
    unit = _activation_unit(serial)
    if unit.owner_id is not None and unit.owner_id not in own:
        phone = _head_office_phone()
        message = (_("This product is registered to another customer. If it is yours, please call us at %(phone)s.")
                   % {"phone": phone} if phone else
                   _("This product is registered to another customer. If it is yours, please call us."))
        raise ValidationError({"serial": message})
    card = WarrantyCard.objects.filter(unit=unit).exclude(status=WarrantyCard.Status.CANCELLED).first()
    if card is not None and card.status == WarrantyCard.Status.ACTIVE and unit.owner_id in own:
        raise ValidationError({"serial": ValidationError(
            _("This product is already registered to you; its warranty is active since %(day)s."),
            code=ALREADY_YOURS, params={"day": jalali.format_date(card.activated_at), "unit": unit.pk})})
    card = _activation_card(unit)  # an active warranty (since when) or a voided one is refused
    if card_number and card_number.strip():
        try:
            number = card_number_clean(card_number)
        except ValidationError as error:
            raise ValidationError({"card_number": error.messages}) from None
        if card is None or card.number != number:
            raise ValidationError({"card_number": _("This card number is not this product's; check the card, "
                                                    "or leave it empty.")})
    if _model_policy(unit.product_model_id) is None:
        raise ValidationError({"serial": _("No warranty policy is assigned to this model.")})
    if unit.production_date and purchase_date < unit.production_date:
        raise ValidationError({"purchase_date": _("The purchase date is before the unit was made.")})
    owner = unit.owner if unit.owner_id in own else customer
    card = card or warranty_card_issue(unit=unit)
    activated = warranty_card_activate(number=card.number, purchase_date=purchase_date,
                                       channel=WarrantyCard.Channel.CUSTOMER, owner=owner)
    if invoice_photo is not None:
        # Last: a file written to storage is not taken back by a rollback.
        proof = PurchaseProof(unit=unit, card=activated, customer=owner)
        proof.image.save(_photo_name(invoice_photo), invoice_photo, save=False)
        proof.save()
    return activated


def periodic_schedule_create(*, unit, version, start: datetime.date) -> list[PeriodicService]:
    """Plan the periodic services a policy version promises every N months from the start: the free
    ones first, then the paid ones at the version's price."""
    total = version.free_periodic_services + version.paid_periodic_services
    if unit.periodic_services.exists() or not total:
        return []
    visits = [
        PeriodicService(unit=unit, sequence=number, is_free=number <= version.free_periodic_services,
                        price=0 if number <= version.free_periodic_services else version.paid_periodic_price,
                        due_on=add_months(start, version.periodic_interval_months * number))
        for number in range(1, total + 1)
    ]
    return PeriodicService.objects.bulk_create(visits)


@transaction.atomic
def periodic_service_record(*, unit, acting_user, on: datetime.date | None = None, performed_by=None,
                            work_done: str = "", minutes: int = 0) -> PeriodicService:
    """Record the periodic service given today: the open visit whose window holds the day, who gave it
    (``performed_by``, the recording user by default; it counts in their statement of work), what was
    done and how long it took (F20, F24).

    Refuses (ValidationError) when no visit of the schedule is open, so a visit is never counted twice
    and a missed one is not given for free later.
    """
    on = on or timezone.localdate()
    if minutes is None or minutes < 0:
        raise ValidationError({"minutes": _("Enter zero or more minutes.")})
    open_visit = next(
        (visit for visit in PeriodicService.objects.select_for_update().filter(unit=unit, done_on__isnull=True)
         if visit.state_on(on) == PeriodicService.State.DUE),
        None,
    )
    if open_visit is None:
        raise ValidationError(_("No periodic service of this unit is due now."))
    open_visit.done_on, open_visit.done_by = on, acting_user
    open_visit.performed_by = performed_by or acting_user
    open_visit.work_done, open_visit.minutes = (work_done or "").strip()[:300], minutes
    open_visit._history_user = acting_user
    open_visit.save()
    return open_visit


@transaction.atomic
def warranty_void(*, unit, reason: str, acting_user, component_type=None, note: str = "",
                  on: datetime.date | None = None) -> WarrantyVoid:
    """Void the warranty of a unit or of one component, with the reason; kept in the unit's history."""
    record = WarrantyVoid(unit=unit, component_type=component_type, reason=reason, note=note,
                          voided_on=on or timezone.localdate(), voided_by=acting_user)
    record.full_clean()
    record._history_user = acting_user
    record.save()
    return record


def owner_for_mobile(*, mobile: str, name: str = "", acting_user=None):
    """The customer with this mobile, or a new one (a person named as given) when there is none.

    Refuses an invalid mobile (ValidationError on ``owner_mobile``).
    """
    from django.apps import apps

    from aftersales.core.validators import normalize_mobile, validate_mobile

    Customer = apps.get_model("customers", "Customer")
    mobile = normalize_mobile(mobile)
    try:
        validate_mobile(mobile)
    except ValidationError as error:
        raise ValidationError({"owner_mobile": error.messages}) from None
    customer = Customer.objects.filter(mobile=mobile, merged_into__isnull=True).first()
    if customer is None:
        first, _space, last = (name or "").strip().rpartition(" ")
        customer = Customer(kind="person", first_name=first, last_name=last or _("(unnamed)"), mobile=mobile)
        customer._history_user = acting_user
        # The customer and its audit row together; inside a caller's transaction no savepoint of its
        # own (two round trips on the reception's path): a failure here fails the caller's work too.
        with transaction.atomic(savepoint=False):
            customer.save()
    return customer


@transaction.atomic
def unit_owner_transfer(*, unit, new_owner, acting_user, reason: str = ""):
    """Hand a unit to a new owner: the warranty goes with the unit; the change is kept in its history."""
    from django.apps import apps

    UnitEvent = apps.get_model("catalog", "UnitEvent")
    unit = type(unit).objects.select_for_update().get(pk=unit.pk)  # the owner as stored now, not as loaded
    if unit.owner_id == new_owner.pk:
        raise ValidationError(_("This customer already owns the unit."))
    previous = unit.owner_id
    unit.owner = new_owner
    unit.save(update_fields=["owner", "updated_at"])
    UnitEvent.objects.create(
        unit=unit, kind=UnitEvent.Kind.OWNER_CHANGED, occurred_at=timezone.now(), recorded_by=acting_user,
        reference=reason[:100], details={"from_customer": previous, "to_customer": new_owner.pk},
    )
    return unit


def periodic_reminders_send(*, days_ahead: int | None = None, on: datetime.date | None = None) -> int:
    """Remind owners of periodic services falling due in ``days_ahead`` days (one SMS per visit, ever)."""
    from aftersales.messaging.services import event_announce

    from .selectors import periodic_services_due

    days_ahead = settings.WARRANTY_PERIODIC_REMINDER_DAYS if days_ahead is None else days_ahead
    on = on or timezone.localdate()
    day = on + datetime.timedelta(days=days_ahead)
    sent = 0
    for visit in periodic_services_due(within_days=days_ahead, on=on).filter(due_on=day, unit__owner__isnull=False):
        owner = visit.unit.owner
        if not owner.mobile:
            continue
        with transaction.atomic():
            sent += len(event_announce(
                "periodic_service_due", key=f"visit:{visit.pk}", customer_id=owner.pk, ref=f"warranty.periodic:{visit.pk}",
                context={"customer_name": owner.known_name, "product": str(visit.unit.product_model), "serial": visit.unit.serial,
                         "date": visit.due_on, "amount": visit.price or None},
                recipients={"customer": {"sms": owner.mobile}},
            ))
    return sent
