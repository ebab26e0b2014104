"""Proformas, sales invoices and credit notes of products, issued here or received from ERPNext (issue 17).

A document is written once: its lines, prices, discounts and VAT are fixed when it is issued and
``SalesDocument.save`` refuses a second save. Prices come from the price list (``catalog.ModelPrice``
in force on the issue day); VAT is the rate in force that day (``VatRate``, else ``BILLING_VAT_PERCENT``),
on the subtotal less the discount, rounded down in rials as billing's invoices are.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.billing.services import MAX_AMOUNT
from aftersales.catalog.models import ModelPrice, ProductModel
from aftersales.core import rowscope
from aftersales.core.idempotency import caller_key, claimed_once
from aftersales.core.numbering import document_number_assign, provisional_number
from aftersales.core.persian import format_number

from .models import Agent, SalesDocument, SalesLine, VatRate

MAX_QUANTITY = 100_000
NUMBERING = {SalesDocument.Kind.PROFORMA: "sales-proforma", SalesDocument.Kind.INVOICE: "sales-invoice",
             SalesDocument.Kind.CREDIT: "sales-credit"}


def vat_percent_on(day: datetime.date) -> int:
    """The VAT rate in force on ``day``: the newest ``VatRate`` from that day or before, else the setting."""
    rate = VatRate.objects.filter(effective_on__lte=day).order_by("-effective_on").values_list("percent", flat=True)
    percent = rate.first()
    return settings.BILLING_VAT_PERCENT if percent is None else percent


def list_price(product_model, day: datetime.date) -> int | None:
    """The price list's price of ``product_model`` on ``day`` (None: the model has no price yet)."""
    return (ModelPrice.objects.filter(product_model=product_model, effective_on__lte=day)
            .order_by("-effective_on").values_list("price", flat=True).first())


def vat_of(base: int, percent: int) -> int:
    """VAT rounded down in rials, the same way for a credit note's negative base."""
    vat = abs(base) * percent // 100
    return vat if base >= 0 else -vat


def _whole(value, name: str, *, low: int, high: int, message: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValidationError({name: message})
    return value


def _amount_error(low: int = 0) -> str:
    return _("Enter an amount in rials between %(low)s and %(high)s.") % {
        "low": format_number(low), "high": format_number(MAX_AMOUNT)}


def _lines_build(lines, day: datetime.date) -> list[SalesLine]:
    """Priced lines (unsaved) from ``[{product_model, quantity, discount, unit_price}]``; errors name the line."""
    if not lines:
        raise ValidationError({"lines": _("Add at least one line.")})
    built, errors = [], []
    for number, line in enumerate(lines, start=1):
        model = line.get("product_model")
        if isinstance(model, int):
            model = ProductModel.objects.filter(pk=model).select_related("group").first()
        if model is None:
            errors.append(_("Line %(n)s: choose a product model.") % {"n": format_number(number)})
            continue
        quantity, discount = line.get("quantity"), line.get("discount") or 0
        if isinstance(quantity, bool) or not isinstance(quantity, int) or not 1 <= quantity <= MAX_QUANTITY:
            errors.append(_("Line %(n)s: the quantity is a whole number from 1 to %(max)s.")
                          % {"n": format_number(number), "max": format_number(MAX_QUANTITY)})
            continue
        price = list_price(model, day)
        if price is None:
            typed = line.get("unit_price")
            if typed in (None, ""):
                errors.append(_("Line %(n)s: «%(model)s» has no price in the price list; type its unit price.")
                              % {"n": format_number(number), "model": model})
                continue
            if isinstance(typed, bool) or not isinstance(typed, int) or not 1 <= typed <= MAX_AMOUNT:
                errors.append(_("Line %(n)s: %(error)s") % {"n": format_number(number), "error": _amount_error(1)})
                continue
            price = typed
        gross = quantity * price
        if isinstance(discount, bool) or not isinstance(discount, int) or not 0 <= discount <= gross:
            errors.append(_("Line %(n)s: the discount is between 0 and the line's total (%(total)s rials).")
                          % {"n": format_number(number), "total": format_number(gross)})
            continue
        built.append(SalesLine(product_model=model, product_group_id=model.group_id, description=str(model.name)[:300],
                               quantity=quantity, unit_price=price, discount=discount, amount=gross - discount))
    if errors:
        raise ValidationError({"lines": errors})
    return built


def _agent_id(customer) -> int | None:
    return Agent.objects.filter(customer=customer, is_active=True).values_list("pk", flat=True).first()


def _totals(document: SalesDocument, lines: list[SalesLine], vat: int | None = None) -> None:
    document.subtotal = sum(line.amount for line in lines)
    if document.discount > max(document.subtotal, 0):
        raise ValidationError({"discount": _("The discount cannot exceed the lines' total (%(total)s rials).")
                               % {"total": format_number(document.subtotal)}})
    document.vat = vat_of(document.subtotal - document.discount, document.vat_percent) if vat is None else vat
    document.total = document.subtotal - document.discount + document.vat
    if abs(document.total) > MAX_AMOUNT:
        raise ValidationError({"lines": _("The document's total is beyond %(max)s rials; split it.")
                               % {"max": format_number(MAX_AMOUNT)}})


def _write(document: SalesDocument, lines: list[SalesLine], *, acting_user, vat: int | None = None) -> SalesDocument:
    """Check the center, save the document and its lines, and number it (``vat``: as sent by another system).

    It is the last write of every service that calls it. A document without a number (issued here) is
    saved under a provisional stand-in and takes the center's number for its kind as its very last
    write: the series' lock lasts only from there to the commit, so documents of one office issued at
    once overlap all the rest, and numbers run in commit order with no gap (issue 21). A received
    document keeps the number it came with.
    """
    rowscope.check_write(document, acting_user)
    _totals(document, lines, vat)
    numbered_here = not document.number
    if numbered_here:
        document.number = provisional_number()
    document.issued_by = acting_user
    document.issued_at = timezone.now()
    document.save(force_insert=True)
    for line in lines:
        line.document = document
    SalesLine.objects.bulk_create(lines)
    document.prefetched_lines = lines
    if numbered_here:
        document_number_assign(document, scope=f"center:{document.center_id}", document_type=NUMBERING[document.kind],
                               on=document.issued_on)
    return document


def _party_check(*, center, customer, contract) -> None:
    if customer is None:
        raise ValidationError({"customer": _("Choose the customer.")})
    if getattr(customer, "merged_into_id", None):
        raise ValidationError({"customer": _("This customer was merged into another; choose that one.")})
    if contract is not None and (contract.customer_id != customer.pk or contract.center_id != center.pk):
        raise ValidationError({"contract": _("The contract is of another party or selling office.")})


def _for_submission(*, acting_user, submission_key):
    key = caller_key(user=acting_user, key=submission_key)
    return key, (SalesDocument.objects.filter(submission_key=key).first() if key else None)


def _new(kind, *, center, customer, lines, discount, note, contract, acting_user, submission_key,
         valid_until=None) -> SalesDocument:
    key, existing = _for_submission(acting_user=acting_user, submission_key=submission_key)
    if existing is not None:
        if existing.kind != kind:
            from aftersales.core.idempotency import refuse_reuse
            refuse_reuse()
        return existing
    _party_check(center=center, customer=customer, contract=contract)
    today = timezone.localdate()
    discount = _whole(discount or 0, "discount", low=0, high=MAX_AMOUNT, message=_amount_error())
    document = SalesDocument(center=center, kind=kind, customer=customer, agent_id=_agent_id(customer),
                             contract=contract, issued_on=today, valid_until=valid_until, discount=discount,
                             vat_percent=vat_percent_on(today), note=(note or "").strip()[:300], submission_key=key)
    rowscope.check_write(document, acting_user)
    return _write(document, _lines_build(lines, today), acting_user=acting_user)


@claimed_once(SalesDocument)
@transaction.atomic
def proforma_issue(*, center, customer, lines: list[dict], valid_until: datetime.date, discount: int = 0,
                   note: str = "", contract=None, acting_user, submission_key: str | None = None) -> SalesDocument:
    """Issue a proforma of product models to a customer, priced from the price list, valid until a date.

    ``lines``: ``[{"product_model", "quantity", "discount"=0, "unit_price"=None}]``; a typed unit price
    is taken only for a model the price list has no price for. Refuses no lines, a quantity below 1, a
    line discount above its line, a document discount above the subtotal, a validity date in the past and
    another center. A repeated ``submission_key`` returns the proforma already issued. Issue 17.
    """
    if not isinstance(valid_until, datetime.date) or valid_until < timezone.localdate():
        raise ValidationError({"valid_until": _("The proforma's validity ends today or later.")})
    return _new(SalesDocument.Kind.PROFORMA, center=center, customer=customer, lines=lines, discount=discount,
                note=note, contract=contract, acting_user=acting_user, submission_key=submission_key,
                valid_until=valid_until)


@claimed_once(SalesDocument)
@transaction.atomic
def invoice_issue(*, center, customer, lines: list[dict], discount: int = 0, note: str = "", contract=None,
                  acting_user, submission_key: str | None = None) -> SalesDocument:
    """Issue a sales invoice directly (no proforma), with the rules of ``proforma_issue``. Issue 17."""
    return _new(SalesDocument.Kind.INVOICE, center=center, customer=customer, lines=lines, discount=discount,
                note=note, contract=contract, acting_user=acting_user, submission_key=submission_key)


@claimed_once(SalesDocument)
@transaction.atomic
def proforma_to_invoice(*, proforma: SalesDocument, acting_user, submission_key: str | None = None) -> SalesDocument:
    """Turn a proforma into its sales invoice in one step: the same lines, prices and discounts, the VAT
    rate of today. Refuses an expired proforma and one invoiced already (two clicks at once: the proforma's
    row lock lets one through, the other gets the message). Issue 17.
    """
    key, existing = _for_submission(acting_user=acting_user, submission_key=submission_key)
    if existing is not None:
        return existing
    proforma = SalesDocument.objects.select_for_update().get(pk=proforma.pk)
    rowscope.check_write(proforma, acting_user)
    if proforma.kind != SalesDocument.Kind.PROFORMA:
        raise ValidationError(_("Only a proforma can be turned into an invoice."), code="state")
    invoice = SalesDocument.objects.filter(proforma=proforma).first()
    if invoice is not None:
        raise ValidationError(_("This proforma was turned into the invoice %(number)s already.")
                              % {"number": invoice.number}, code="invoiced")
    today = timezone.localdate()
    if proforma.valid_until is not None and proforma.valid_until < today:
        raise ValidationError(_("This proforma expired; issue a new one."), code="expired")
    lines = [SalesLine(product_model_id=line.product_model_id, product_group_id=line.product_group_id,
                       description=line.description, quantity=line.quantity, unit_price=line.unit_price,
                       discount=line.discount, amount=line.amount) for line in proforma.lines.order_by("pk")]
    document = SalesDocument(center_id=proforma.center_id, kind=SalesDocument.Kind.INVOICE,
                             customer_id=proforma.customer_id, agent_id=_agent_id(proforma.customer_id),
                             contract_id=proforma.contract_id, proforma=proforma, issued_on=today,
                             discount=proforma.discount, vat_percent=vat_percent_on(today), note=proforma.note,
                             submission_key=key)
    try:
        with transaction.atomic():
            return _write(document, lines, acting_user=acting_user)
    except IntegrityError:
        raise ValidationError(_("This proforma was turned into an invoice a moment ago."), code="invoiced") from None


def credited_quantities(invoice: SalesDocument) -> dict[int, int]:
    """How much of each line of ``invoice`` credit notes took back (line id → quantity)."""
    rows = (SalesLine.objects.filter(credited_line__document=invoice).values("credited_line")
            .annotate(quantity=Sum("quantity")))
    return {row["credited_line"]: -row["quantity"] for row in rows}


def _shares(invoice: SalesDocument, originals: list[SalesLine]) -> dict[int, int]:
    """The document discount of ``invoice`` spread over its lines in proportion to their amounts."""
    if not invoice.discount or invoice.subtotal <= 0:
        return {line.pk: 0 for line in originals}
    shares = {line.pk: invoice.discount * line.amount // invoice.subtotal for line in originals}
    biggest = max(originals, key=lambda line: line.amount)
    shares[biggest.pk] += invoice.discount - sum(shares.values())
    return shares


@transaction.atomic
def credit_note_issue(*, invoice: SalesDocument, lines: list[dict] | None = None, reason: str,
                      acting_user) -> SalesDocument:
    """Take back some or all of a sales invoice with a credit note of negative lines.

    ``lines``: ``[{"line": <SalesLine of the invoice>, "quantity"}]``, or None for everything not yet
    credited. Each line's discount and its share of the invoice's discount go back in proportion, so a
    full credit cancels the invoice exactly; VAT at the invoice's rate. Refuses more than is left
    uncredited on a line, a line of another document, no reason and a document that is no invoice. The
    party owes the invoice's total less its credit notes. Issue 17.
    """
    invoice = SalesDocument.objects.select_for_update().get(pk=invoice.pk)
    rowscope.check_write(invoice, acting_user)
    if invoice.kind != SalesDocument.Kind.INVOICE:
        raise ValidationError(_("Credit notes are issued on sales invoices only."), code="state")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the credit note.")})
    originals = {line.pk: line for line in invoice.lines.order_by("pk")}
    done = credited_quantities(invoice)
    if lines is None:
        wanted = [(line, line.quantity - done.get(pk, 0)) for pk, line in originals.items()]
        wanted = [(line, quantity) for line, quantity in wanted if quantity > 0]
    else:
        wanted, errors = [], []
        for item in lines:
            line = item.get("line")
            line = originals.get(getattr(line, "pk", line))
            if line is None:
                errors.append(_("A line to credit is not on this invoice."))
                continue
            quantity, left = item.get("quantity"), line.quantity - done.get(line.pk, 0)
            if quantity in (0, None):
                continue
            if isinstance(quantity, bool) or not isinstance(quantity, int) or not 1 <= quantity <= left:
                errors.append(_("«%(line)s»: at most %(left)s left to credit.")
                              % {"line": line.description, "left": format_number(left)})
                continue
            wanted.append((line, quantity))
        if errors:
            raise ValidationError({"lines": errors})
    if not wanted:
        raise ValidationError({"lines": _("Nothing left to credit on this invoice.")})
    shares = _shares(invoice, list(originals.values()))
    credit_lines = []
    for line, quantity in wanted:
        before, after = done.get(line.pk, 0), done.get(line.pk, 0) + quantity
        take_back = (line.discount + shares[line.pk])
        discount = take_back * after // line.quantity - take_back * before // line.quantity
        credit_lines.append(SalesLine(product_model_id=line.product_model_id, product_group_id=line.product_group_id,
                                      description=line.description, quantity=-quantity, unit_price=line.unit_price,
                                      discount=-discount, amount=-(quantity * line.unit_price - discount),
                                      credited_line=line))
    note = SalesDocument(center_id=invoice.center_id, kind=SalesDocument.Kind.CREDIT, customer_id=invoice.customer_id,
                         agent_id=invoice.agent_id, contract_id=invoice.contract_id, credit_of=invoice,
                         issued_on=timezone.localdate(), vat_percent=invoice.vat_percent, note=reason[:300])
    # VAT of everything credited so far less what earlier notes took: the notes' VAT adds up to the invoice's.
    before = -(SalesDocument.objects.filter(credit_of=invoice).aggregate(net=Sum("subtotal"))["net"] or 0)
    this = -sum(line.amount for line in credit_lines)
    vat = -(vat_of(before + this, invoice.vat_percent) - vat_of(before, invoice.vat_percent))
    return _write(note, credit_lines, acting_user=acting_user, vat=vat)


def _received_lines(lines) -> list[SalesLine]:
    if not lines:
        raise ValidationError({"lines": _("Add at least one line.")})
    built, errors = [], []
    for number, line in enumerate(lines, start=1):
        model, quantity = line.get("product_model"), line.get("quantity")
        price, discount = line.get("unit_price"), line.get("discount") or 0
        if isinstance(model, int):
            model = ProductModel.objects.filter(pk=model).first()
        ok = (model is not None and all(not isinstance(v, bool) and isinstance(v, int) for v in (quantity, price, discount))
              and 1 <= quantity <= MAX_QUANTITY and 0 <= price <= MAX_AMOUNT and 0 <= discount <= quantity * price)
        if not ok:
            errors.append(_("Line %(n)s: give a product model, a quantity of at least 1, a unit price and a "
                            "discount no larger than the line.") % {"n": format_number(number)})
            continue
        built.append(SalesLine(product_model=model, product_group_id=model.group_id, description=str(model.name)[:300],
                               quantity=quantity, unit_price=price, discount=discount,
                               amount=quantity * price - discount))
    if errors:
        raise ValidationError({"lines": errors})
    return built


def _same_content(document: SalesDocument, lines: list[SalesLine]) -> bool:
    stored = [(line.product_model_id, line.quantity, line.unit_price, line.discount)
              for line in document.lines.order_by("pk")]
    sent = [(line.product_model_id, line.quantity, line.unit_price, line.discount) for line in lines]
    return stored == sent


@transaction.atomic
def invoice_receive(*, center, number: str, customer, issued_on: datetime.date, lines: list[dict], vat: int,
                    total: int, discount: int = 0, note: str = "", acting_user) -> tuple[SalesDocument, bool]:
    """Keep a sales invoice issued in ERPNext, under its own number: ``(document, created)``.

    Idempotent per number: the same number with the same content returns the document kept before
    (``created`` False); the same number with different content is refused. Refuses sums that do not
    add up (the lines, the discount, VAT and the total) and a date in the future. Issue 17.
    """
    number = (number or "").strip()
    if not number or len(number) > 40:
        raise ValidationError({"number": _("Give the invoice's number (at most 40 characters).")})
    _party_check(center=center, customer=customer, contract=None)
    if not isinstance(issued_on, datetime.date) or issued_on > timezone.localdate():
        raise ValidationError({"issued_on": _("The invoice's date cannot be in the future.")})
    discount = _whole(discount or 0, "discount", low=0, high=MAX_AMOUNT, message=_amount_error())
    vat = _whole(vat, "vat", low=0, high=MAX_AMOUNT, message=_amount_error())
    total = _whole(total, "total", low=0, high=MAX_AMOUNT, message=_amount_error())
    built = _received_lines(lines)
    subtotal = sum(line.amount for line in built)
    if discount > subtotal:
        raise ValidationError({"discount": _("The discount cannot exceed the lines' total (%(total)s rials).")
                               % {"total": format_number(subtotal)}})
    if subtotal - discount + vat != total:
        raise ValidationError({"total": _("The total should be the lines less the discount plus VAT: %(total)s rials.")
                               % {"total": format_number(subtotal - discount + vat)}})
    base = subtotal - discount
    document = SalesDocument(center=center, kind=SalesDocument.Kind.INVOICE, number=number,
                             source=SalesDocument.Source.ERPNEXT, customer=customer, agent_id=_agent_id(customer),
                             issued_on=issued_on, discount=discount, vat_percent=min(round(vat * 100 / base), 100) if base else 0,
                             note=(note or "").strip()[:300])
    rowscope.check_write(document, acting_user)

    def kept():
        existing = (SalesDocument.objects.filter(center=center, kind=SalesDocument.Kind.INVOICE, number=number)
                    .first())
        if existing is None:
            return None
        same = (existing.customer_id == customer.pk and existing.issued_on == issued_on
                and existing.discount == discount and existing.vat == vat and existing.total == total
                and _same_content(existing, built))
        if not same:
            raise ValidationError({"number": _("The invoice %(number)s was received already with different "
                                               "content; a received invoice is not changed (send a credit note).")
                                   % {"number": number}}, code="conflict")
        return existing

    existing = kept()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            document = _write(document, built, acting_user=acting_user, vat=vat)
    except IntegrityError:  # the same number sent twice at once
        existing = kept()
        if existing is None:
            raise
        return existing, False
    return document, True
