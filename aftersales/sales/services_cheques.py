"""Writes of cheques received from parties and what becomes of them (F51, F52).

A cheque moves received → deposited → cleared, or comes back (returned) while received or deposited.
A cheque paying an instalment or an invoice is recorded as a receipt by cheque at once; its return
voids that receipt (the debt is back), raises the "cheque returned" alarm and tells the CRM, which
records it on the drawer's credit.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import update_change_reason

from aftersales.core import rowscope
from aftersales.core.validators import normalize_sayad_number, validate_sayad_number

from .models import Cheque, Contract, Instalment, SalesDocument
from .signals import cheque_returned

#: The moves a cheque may take, from each state.
MOVES = {
    Cheque.State.DEPOSITED: (Cheque.State.RECEIVED,),
    Cheque.State.CLEARED: (Cheque.State.DEPOSITED,),
    Cheque.State.RETURNED: (Cheque.State.RECEIVED, Cheque.State.DEPOSITED),
}


def _duplicate_message(sayad_number: str) -> str:
    return _("The cheque with Sayad number %(number)s is recorded already.") % {"number": sayad_number}


@transaction.atomic
def cheque_receive(*, center, customer, sayad_number: str, bank: str, amount: int, due_date: datetime.date,
                   responsible, contract: Contract | None = None, instalment: Instalment | None = None,
                   document: SalesDocument | None = None, acting_user) -> Cheque:
    """Record a cheque received from a party, and when it pays an instalment or an invoice, its receipt.

    The Sayad number has 16 digits and is recorded once (the same cheque entered twice at once: one
    wins, the other is told). An instalment belongs to the contract (which is taken from it when not
    given) and to the same party; a cheque for an instalment cannot be more than it still owes.
    Implements F51.
    """
    sayad_number = normalize_sayad_number(sayad_number)
    errors = {}
    try:
        validate_sayad_number(sayad_number)
    except ValidationError as error:
        errors["sayad_number"] = error.messages
    if instalment is not None:
        if contract is None:
            contract = instalment.contract
        elif instalment.contract_id != contract.pk:
            errors["instalment"] = [_("The instalment belongs to another contract.")]
    if contract is not None:
        if contract.customer_id != customer.pk:
            errors["contract"] = [_("The contract is with another party.")]
        if contract.center_id != center.pk:
            errors["contract"] = [_("The contract belongs to another office.")]
        if contract.status != Contract.Status.ACTIVE and instalment is not None:
            errors["contract"] = [_("The contract is not active.")]
    if document is not None and (document.customer_id != customer.pk or document.kind != SalesDocument.Kind.INVOICE):
        errors["document"] = [_("Choose a sales invoice of the same party.")]
    if instalment is not None and document is not None:
        errors["document"] = [_("A cheque pays either an instalment or an invoice, not both.")]
    cheque = Cheque(center=center, customer=customer, contract=contract, sayad_number=sayad_number, bank=bank,
                    amount=amount, due_date=due_date, responsible=responsible)
    try:
        cheque.full_clean(exclude=["sayad_number", "center", "customer", "responsible"], validate_unique=False,
                          validate_constraints=False)
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, messages)
    if instalment is not None and isinstance(amount, int) and "instalment" not in errors:
        owed = Instalment.objects.select_for_update().get(pk=instalment.pk).owed
        if amount > owed:
            errors["amount"] = [_("The instalment still owes %(owed)s rials; the cheque is for more.")
                                % {"owed": f"{owed:,}"}]
    if errors:
        raise ValidationError(errors)
    rowscope.check_write(cheque, acting_user)
    if Cheque.objects.filter(sayad_number=sayad_number).exists():
        raise ValidationError({"sayad_number": [_duplicate_message(sayad_number)]})
    cheque._history_user = acting_user
    try:
        with transaction.atomic():
            cheque.save(force_insert=True)
    except IntegrityError:
        raise ValidationError({"sayad_number": [_duplicate_message(sayad_number)]}) from None
    if instalment is not None or document is not None:
        from .services_receipts import receipt_record

        receipt_record(center=center, customer=customer, method="cheque", amount=amount,
                       received_on=timezone.localdate(), document=document, instalment=instalment, cheque=cheque,
                       reference=sayad_number, acting_user=acting_user)
    return cheque


def _move(cheque: Cheque, state: str, *, acting_user, on: datetime.date | None, reason: str,
          returned_reason: str = "") -> Cheque:
    cheque = Cheque.objects.select_for_update().get(pk=cheque.pk)
    rowscope.check_write(cheque, acting_user)
    if cheque.state not in MOVES[state]:
        raise ValidationError(_("A %(now)s cheque cannot be marked %(then)s.")
                              % {"now": cheque.get_state_display(), "then": Cheque.State(state).label})
    cheque.state = state
    if state == Cheque.State.RETURNED:
        cheque.returned_reason = returned_reason[:200]
    cheque.state_changed_on = on or timezone.localdate()
    cheque._history_user = acting_user
    cheque.save(update_fields=["state", "state_changed_on", "returned_reason"])
    update_change_reason(cheque, reason)
    return cheque


@transaction.atomic
def cheque_deposit(*, cheque: Cheque, acting_user, deposited_on: datetime.date | None = None) -> Cheque:
    """Mark a received cheque as deposited with the bank. Implements F51."""
    return _move(cheque, Cheque.State.DEPOSITED, acting_user=acting_user, on=deposited_on,
                 reason=_("cheque deposited"))


@transaction.atomic
def cheque_clear(*, cheque: Cheque, acting_user, cleared_on: datetime.date | None = None) -> Cheque:
    """Mark a deposited cheque as cleared (the money is in). Implements F51."""
    return _move(cheque, Cheque.State.CLEARED, acting_user=acting_user, on=cleared_on, reason=_("cheque cleared"))


@transaction.atomic
def cheque_return(*, cheque: Cheque, reason: str, returned_on: datetime.date | None = None, acting_user) -> Cheque:
    """Mark a received or deposited cheque as returned (bounced), with the bank's reason.

    Its receipt is voided (the instalment or invoice owes again), the responsible user's "cheque
    returned" alarm fires now, and on commit ``signals.cheque_returned`` tells the CRM (the drawer's
    credit). Implements F51, F52.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Write why the cheque was returned.")]})
    cheque = _move(cheque, Cheque.State.RETURNED, acting_user=acting_user, on=returned_on,
                   reason=_("cheque returned"), returned_reason=reason)
    receipt = getattr(cheque, "receipt", None)
    if receipt is not None and not receipt.is_void:
        from .services_receipts import receipt_void

        receipt_void(receipt=receipt, reason=_("cheque %(number)s returned: %(reason)s")
                     % {"number": cheque.sayad_number, "reason": reason}, acting_user=acting_user)
    from .alarms import alarm_cheque_returned

    alarm_cheque_returned(cheque=cheque)
    transaction.on_commit(lambda: cheque_returned.send(sender=Cheque, cheque=cheque, acting_user=acting_user),
                           robust=True)
    return cheque
