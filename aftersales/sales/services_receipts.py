"""Money received against sales invoices and contracts' instalments, and its void when a cheque comes back.

What an invoice still owes is its total, less its credit notes, less its live receipts; what an instalment
owes is its amount less ``paid``. Both are read under a row lock of the invoice or instalment, so two
accountants recording at once cannot take more than is owed between them.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.billing.services import MAX_AMOUNT
from aftersales.core import rowscope
from aftersales.core.idempotency import caller_key, claimed_once
from aftersales.core.persian import format_number

from .models import Cheque, Instalment, Receipt, SalesDocument


def invoice_owed(document: SalesDocument) -> int:
    """What a sales invoice still owes: its total less its credit notes and live receipts (never below 0)."""
    credited = (SalesDocument.objects.filter(credit_of=document, kind=SalesDocument.Kind.CREDIT)
                .aggregate(sum=Sum("total"))["sum"] or 0)
    paid = Receipt.objects.filter(document=document, is_void=False).aggregate(sum=Sum("amount"))["sum"] or 0
    return max(document.total + credited - paid, 0)


def _amount(value) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_AMOUNT:
        raise ValidationError({"amount": _("Enter an amount in rials between %(low)s and %(high)s.")
                               % {"low": format_number(1), "high": format_number(MAX_AMOUNT)}})
    return value


def _cheque_check(*, cheque: Cheque | None, method: str, customer_id: int, center_id: int, amount: int) -> None:
    if method == Receipt.Method.CHEQUE and cheque is None:
        raise ValidationError({"cheque": _("A receipt by cheque needs its cheque.")})
    if cheque is None:
        return
    if method != Receipt.Method.CHEQUE:
        raise ValidationError({"method": _("A cheque is recorded with the method «cheque».")})
    if cheque.state == Cheque.State.RETURNED:
        raise ValidationError({"cheque": _("This cheque was returned; it pays nothing.")})
    if cheque.customer_id != customer_id or cheque.center_id != center_id:
        raise ValidationError({"cheque": _("This cheque is of another party or selling office.")})
    if Receipt.objects.filter(cheque=cheque).exists():
        raise ValidationError({"cheque": _("This cheque is recorded against another payment already.")})
    if amount > cheque.amount:
        raise ValidationError({"amount": _("The cheque is for %(amount)s rials only.")
                               % {"amount": format_number(cheque.amount)}})


def _target(*, center, customer, document, instalment):
    """Lock the invoice or instalment the receipt pays; return (center id, customer id, owed, what)."""
    if (document is None) == (instalment is None):
        raise ValidationError(_("Choose the sales invoice or the instalment this receipt pays."))
    if document is not None:
        document = SalesDocument.objects.select_for_update().get(pk=document.pk)
        if document.kind != SalesDocument.Kind.INVOICE:
            raise ValidationError({"document": _("Receipts are recorded against sales invoices only.")})
        center_id, customer_id = document.center_id, document.customer_id
        owed, what = invoice_owed(document), _("this invoice")
    else:
        instalment = Instalment.objects.select_for_update().select_related("contract").get(pk=instalment.pk)
        center_id, customer_id = instalment.contract.center_id, instalment.contract.customer_id
        owed, what = instalment.owed, _("this instalment")
    if center is not None and getattr(center, "pk", center) != center_id:
        raise ValidationError({"center": _("The receipt belongs to the selling office of what it pays.")})
    if customer is not None and getattr(customer, "pk", customer) != customer_id:
        raise ValidationError({"customer": _("The receipt's party is the party of what it pays.")})
    return center_id, customer_id, owed, what, document, instalment


@claimed_once(Receipt)
@transaction.atomic
def receipt_record(*, center, customer, method: str, amount: int, received_on: datetime.date | None = None,
                   document: SalesDocument | None = None, instalment: Instalment | None = None,
                   cheque: Cheque | None = None, reference: str = "", acting_user,
                   submission_key: str | None = None) -> Receipt:
    """Record money received against a sales invoice or an instalment (cash, card, transfer or a cheque).

    Refuses more than is owed (naming what is owed), nothing owed, a cheque method without its cheque, a
    cheque of another party, a returned or already used cheque, a date in the future and a center that is
    not the acting user's. Locks the invoice or instalment row, so two accountants at once cannot overpay;
    raises ``instalment.paid``. A repeated ``submission_key`` returns the receipt already recorded.
    Implements issue 17 (receivables).
    """
    key = caller_key(user=acting_user, key=submission_key)
    if key:
        existing = Receipt.objects.filter(submission_key=key).first()
        if existing is not None:
            return existing
    if method not in Receipt.Method.values:
        raise ValidationError({"method": _("Choose cash, card, transfer or cheque.")})
    amount = _amount(amount)
    today = timezone.localdate()
    received_on = received_on or today
    if received_on > today:
        raise ValidationError({"received_on": _("The receipt's date cannot be in the future.")})
    center_id, customer_id, owed, what, document, instalment = _target(
        center=center, customer=customer, document=document, instalment=instalment)
    rowscope.check_write(Receipt(center_id=center_id), acting_user)
    if owed <= 0:
        raise ValidationError({"amount": _("Nothing is owed on %(what)s.") % {"what": what}}, code="paid")
    if amount > owed:
        raise ValidationError({"amount": _("Only %(owed)s rials are owed on %(what)s.")
                               % {"owed": format_number(owed), "what": what}}, code="overpaid")
    if cheque is not None:
        cheque = Cheque.objects.select_for_update().get(pk=cheque.pk)
    _cheque_check(cheque=cheque, method=method, customer_id=customer_id, center_id=center_id, amount=amount)
    reference = (reference or "").strip()
    if method in (Receipt.Method.CARD, Receipt.Method.TRANSFER) and not reference:
        raise ValidationError({"reference": _("Enter the card or transfer tracking number.")})
    receipt = Receipt(center_id=center_id, customer_id=customer_id, document=document, instalment=instalment,
                      method=method, amount=amount, cheque=cheque, reference=reference[:60],
                      received_on=received_on, by=acting_user, submission_key=key)
    receipt._history_user = acting_user
    receipt.save(force_insert=True)
    if instalment is not None:
        instalment.paid += amount
        instalment.save(update_fields=["paid"])
    return receipt


@transaction.atomic
def receipt_void(*, receipt: Receipt, reason: str, acting_user) -> Receipt:
    """Void a receipt (a returned cheque, a mistaken entry): the debt it paid is owed again.

    Refuses a receipt already void, no reason and another center's receipt. Lowers ``instalment.paid``.
    """
    receipt = Receipt.objects.select_for_update().get(pk=receipt.pk)
    rowscope.check_write(receipt, acting_user)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason the receipt is void.")})
    if receipt.is_void:
        raise ValidationError(_("This receipt is void already."), code="void")
    receipt.is_void, receipt.voided_reason = True, reason[:200]
    receipt._history_user = acting_user
    receipt.save(update_fields=["is_void", "voided_reason"])
    if receipt.instalment_id is not None:
        instalment = Instalment.objects.select_for_update().get(pk=receipt.instalment_id)
        instalment.paid = max(instalment.paid - receipt.amount, 0)
        instalment.save(update_fields=["paid"])
    return receipt
