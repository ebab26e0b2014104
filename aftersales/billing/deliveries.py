"""Delivery documents from the warehouse system and the invoice of the services they sold (F30).

The warehouse system sends a delivery (by the API or an Excel file) with the installation or paid
services sold with the goods. A delivery is received once per center and number: the same document
sent again (a retry) is accepted and changes nothing, a different one under a number already taken
is refused. Each line is invoiced once (``billed_key`` "delivery:<line id>").
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.catalog.models import ServiceItem
from aftersales.core import jalali
from aftersales.core.idempotency import claimed_once, refuse_reuse
from aftersales.core.persian import format_number, isolate, normalize_identifier, normalize_text, to_ascii_digits
from aftersales.imports.cells import whole_number
from aftersales.warranty.services import owner_for_mobile

from .models import DeliveryDocument, DeliveryLine, Invoice, InvoiceLine
from .services import MAX_AMOUNT, billed_ids, invoice_for_submission, service_invoice_from_lines

MAX_QUANTITY = 1000
MAX_LINES = 500


def delivery_number_clean(value) -> str:
    """A delivery number as stored: trimmed, ASCII digits, the warehouse system's own separators kept."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return to_ascii_digits(normalize_text(str(value))).strip().upper()[:40]


def quantity_error(quantity) -> str | None:
    if quantity is None or not 1 <= quantity <= MAX_QUANTITY:
        return _("Quantity must be a whole number between 1 and %(high)s.") % {"high": format_number(MAX_QUANTITY)}
    return None


def price_error(price) -> str | None:
    if price is None or not 0 <= price <= MAX_AMOUNT:
        return _("Enter the unit price in rials between %(low)s and %(high)s.") % {
            "low": format_number(0), "high": format_number(MAX_AMOUNT)}
    return None


def date_error(delivered_on) -> str | None:
    if delivered_on is None:
        return _("Enter the delivery date.")
    if delivered_on > timezone.localdate():
        return _("The delivery date cannot be in the future.")
    return None


def _date(value):
    if isinstance(value, datetime.datetime):
        return jalali.local_date(value)
    if isinstance(value, datetime.date) or value is None:
        return value
    if isinstance(value, str) and not value.strip():
        return None
    try:
        return jalali.parse_date(str(value))
    except ValueError:
        raise ValidationError({"delivered_on": _("Enter a valid date (Jalali 1405/09/07 or ISO 2026-11-28).")}) from None


def _clean_lines(lines) -> list[dict]:
    """Check every line; ValidationError on ``lines`` naming each bad line and every unknown code."""
    if not isinstance(lines, (list, tuple)) or not lines:
        raise ValidationError({"lines": _("A delivery needs at least one line of services.")})
    if len(lines) > MAX_LINES:
        raise ValidationError({"lines": _("A delivery has at most %(count)s lines.") % {"count": format_number(MAX_LINES)}})
    codes = [normalize_identifier(str(line.get("service") or "")) if isinstance(line, dict) else "" for line in lines]
    services = {item.code: item for item in ServiceItem.objects.filter(code__in=[code for code in codes if code])}
    errors, unknown, clean = [], [], []
    for number, (line, code) in enumerate(zip(lines, codes), start=1):
        if not isinstance(line, dict):
            errors.append(_("Line %(line)s: not a line of services.") % {"line": format_number(number)})
            continue
        if not code:
            errors.append(_("Line %(line)s: the service code is missing.") % {"line": format_number(number)})
        elif code not in services:
            if code not in unknown:
                unknown.append(code)
        quantity = whole_number(line.get("quantity", 1))
        problem = quantity_error(quantity)
        if problem:
            errors.append(_("Line %(line)s: %(problem)s") % {"line": format_number(number), "problem": problem})
        raw_price = line.get("unit_price")
        if raw_price in (None, ""):  # the service list's price; an unknown code is reported above
            price = services[code].labour_price if code in services else 0
        else:
            price = whole_number(raw_price)
        problem = price_error(price)
        if problem:
            errors.append(_("Line %(line)s: %(problem)s") % {"line": format_number(number), "problem": problem})
        serial = normalize_identifier(str(line.get("serial") or ""))
        if len(serial) > 40:
            errors.append(_("Line %(line)s: the serial is longer than 40 characters.") % {"line": format_number(number)})
        clean.append({"service_item": services.get(code), "quantity": quantity, "unit_price": price, "serial": serial})
    if unknown:
        errors.insert(0, _("Unknown service codes: %(codes)s.") % {"codes": "، ".join(isolate(code) for code in unknown)})
    if errors:
        raise ValidationError({"lines": errors})
    return clean


def _content(delivered_on, customer_id, lines) -> tuple:
    """What makes two sendings of a delivery the same document (line order does not matter)."""
    return delivered_on, customer_id, sorted((line["service_item"].pk, line["quantity"], line["unit_price"], line["serial"])
                                             for line in lines)


def _stored_content(delivery: DeliveryDocument) -> tuple:
    return delivery.delivered_on, delivery.customer_id, sorted(
        (line.service_item_id, line.quantity, line.unit_price, line.serial) for line in delivery.lines.all())


def _same_or_refuse(existing: DeliveryDocument, content: tuple) -> DeliveryDocument:
    if _stored_content(existing) != content:
        raise ValidationError({"number": _("Delivery %(number)s was received already with different content; "
                                           "a corrected delivery needs a new number.") % {"number": isolate(existing.number)}},
                              code="conflict")
    return existing


@transaction.atomic
def delivery_receive(*, center, number, delivered_on, customer_mobile, customer_name: str = "", lines: list[dict],
                     acting_user) -> DeliveryDocument:
    """Record a delivery document of the warehouse system with the services sold (F30).

    ``lines`` are dicts of ``service`` (a service code), ``quantity``, ``unit_price`` (rials; the
    service's labour price when left out) and ``serial``. The customer is found by mobile or
    registered. Refuses a missing number, a date in the future or not a date, no lines, unknown
    service codes (all listed), quantities outside 1–1,000 and prices outside 0–100 billion rials,
    all at once and with nothing written. The same center and number sent again with the same
    content returns the stored document; with other content, a ValidationError on ``number``.
    Implements F30.
    """
    errors = {}
    number = delivery_number_clean(number)
    if not number:
        errors["number"] = [_("Enter the delivery number.")]
    try:
        delivered_on = _date(delivered_on)
    except ValidationError as error:
        errors.update(error.message_dict)
    else:
        problem = date_error(delivered_on)
        if problem:
            errors["delivered_on"] = [problem]
    try:
        clean = _clean_lines(lines)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)

    try:
        customer = owner_for_mobile(mobile=customer_mobile or "", name=customer_name, acting_user=acting_user)
    except ValidationError as error:
        raise ValidationError({"customer_mobile": error.message_dict.get("owner_mobile", error.messages)}) from None
    content = _content(delivered_on, customer.pk, clean)
    existing = DeliveryDocument.objects.select_for_update().filter(center=center, number=number).first()
    if existing is not None:
        return _same_or_refuse(existing, content)
    try:
        with transaction.atomic():
            delivery = DeliveryDocument.objects.create(center=center, number=number, delivered_on=delivered_on,
                                                       customer=customer, received_by=acting_user)
    except IntegrityError:  # the same delivery sent twice at once: the other sending won
        return _same_or_refuse(DeliveryDocument.objects.get(center=center, number=number), content)
    DeliveryLine.objects.bulk_create([DeliveryLine(delivery=delivery, **line) for line in clean])
    return delivery


def delivery_unbilled_lines(delivery: DeliveryDocument) -> list[DeliveryLine]:
    """The lines of the delivery not on a live invoice line yet."""
    lines = list(delivery.lines.select_related("service_item"))
    billed = billed_ids(lines, "delivery")
    return [line for line in lines if line.pk not in billed]


@claimed_once(Invoice)
@transaction.atomic
def delivery_invoice_issue(*, delivery: DeliveryDocument, acting_user, submission_key: str | None = None) -> Invoice:
    """Issue the customer's service invoice for the services of a delivery not invoiced yet (F30).

    One line per delivery line (the service, with the serial when there is one). Refuses a delivery
    with nothing left to invoice (code "empty"); a line invoiced a moment ago by someone else is
    refused with code "billed". A repeated ``submission_key`` returns the invoice already issued.
    """
    existing = invoice_for_submission(acting_user=acting_user, submission_key=submission_key)
    if existing is not None:
        if existing.delivery_id != delivery.pk:
            refuse_reuse()
        return existing
    # Only the delivery's row: a plain FOR UPDATE would lock the joined center row too, and every other
    # delivery invoice of the center would wait for this one's commit (issue 21).
    delivery = (DeliveryDocument.objects.select_for_update(of=("self",)).select_related("center", "customer")
                .get(pk=delivery.pk))
    lines = []
    for line in delivery_unbilled_lines(delivery):
        description = line.service_item.title + (f" — {line.serial}" if line.serial else "")
        lines.append(InvoiceLine(kind=InvoiceLine.Kind.SERVICE, description=description[:300], quantity=line.quantity,
                                 unit_price=line.unit_price, amount=line.quantity * line.unit_price,
                                 delivery_line=line, billed_key=f"delivery:{line.pk}"))
    if not lines:
        raise ValidationError(_("Nothing left to invoice on delivery %(number)s: its services are invoiced already.")
                              % {"number": isolate(delivery.number)}, code="empty")
    return service_invoice_from_lines(center=delivery.center, customer=delivery.customer, lines=lines,
                                      acting_user=acting_user, delivery=delivery,
                                      note=_("Delivery %(number)s") % {"number": delivery.number},
                                      submission_key=submission_key)
