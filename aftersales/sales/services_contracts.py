"""Writes of contracts and their instalment plans (F51, F52).

A contract's instalments add up to its value and fall between its start and end dates. The plan is
replaced as a whole while nothing has been received against it; after the first receipt only the
status moves (ended, cancelled).
"""

import datetime

import jdatetime
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from simple_history.utils import update_change_reason

from aftersales.core import rowscope
from aftersales.core.idempotency import caller_key, claimed_once
from aftersales.core.jalali import format_date
from aftersales.core.numbering import document_number_assign, provisional_number
from aftersales.core.persian import format_number

from .models import Contract, Instalment, Receipt

#: The contract's fields a create or an update takes besides its plan.
CONTRACT_FIELDS = ("kind", "title", "customer", "start_date", "end_date", "value", "responsible",
                   "alarm_days_before", "visits_included", "parts_covered", "response_hours", "note")


def _plan(instalments, *, start_date, end_date, value) -> list[Instalment]:
    """The plan's rows as unsaved instalments; every error names its row (``instalments[2].due_date``)."""
    rows, errors = [], {}
    for index, values in enumerate(instalments or ()):
        due_date, amount = values.get("due_date"), values.get("amount")
        if not isinstance(due_date, datetime.date):
            errors[f"instalments[{index}].due_date"] = [_("Enter the instalment's due date.")]
        elif start_date and due_date < start_date:
            errors[f"instalments[{index}].due_date"] = [
                _("The instalment falls due on %(due)s, before the contract starts (%(start)s).")
                % {"due": format_date(due_date), "start": format_date(start_date)}]
        elif end_date and due_date > end_date:
            errors[f"instalments[{index}].due_date"] = [
                _("The instalment falls due on %(due)s, after the contract ends (%(end)s).")
                % {"due": format_date(due_date), "end": format_date(end_date)}]
        if not isinstance(amount, int) or isinstance(amount, bool) or amount < 1:
            errors[f"instalments[{index}].amount"] = [
                _("An instalment's amount is a whole number of rials above zero.")]
        rows.append(Instalment(due_date=due_date, amount=amount))
    if not rows:
        errors["instalments"] = [_("A contract needs at least one instalment.")]
    if errors:
        raise ValidationError(errors)
    total = sum(row.amount for row in rows)
    if value is not None and total != value:
        raise ValidationError({"instalments": [
            _("The instalments add up to %(total)s rials, the contract's value is %(value)s rials.")
            % {"total": format_number(total), "value": format_number(value)}]})
    return sorted(rows, key=lambda row: row.due_date)


def _add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day of the Jalali month ``months`` later (the month's last day where it is shorter)."""
    j = jdatetime.date.fromgregorian(date=day)
    index = j.month - 1 + months
    year, month = j.year + index // 12, index % 12 + 1
    length = 31 if month <= 6 else 30 if month < 12 else (30 if jdatetime.date(year, 1, 1).isleap() else 29)
    return jdatetime.date(year, month, min(j.day, length)).togregorian()


def plan_split(*, value: int, count: int, first_due: datetime.date) -> list[dict]:
    """Split a value into ``count`` monthly instalments (Jalali months) from ``first_due``; the last takes
    the remainder, so the plan adds up to the value exactly."""
    if count < 1 or value < count:
        raise ValidationError(_("Split into at least one instalment of at least one rial each."))
    share = value // count
    return [{"due_date": _add_months(first_due, index),
             "amount": share if index < count - 1 else value - share * (count - 1)} for index in range(count)]


def _check(contract: Contract) -> None:
    errors = {}
    try:
        contract.full_clean(exclude=["number", "center", "created_by", "submission_key"], validate_unique=False,
                            validate_constraints=False)
    except ValidationError as error:
        errors.update(error.message_dict)
    if contract.kind != Contract.Kind.SERVICE and (contract.visits_included or contract.parts_covered
                                                   or contract.response_hours):
        errors.setdefault("kind", []).append(_("Service terms (visits, parts, response time) belong to an "
                                               "after-sales service contract."))
    responsible = contract.responsible if contract.responsible_id else None
    if responsible is not None and not responsible.is_active:
        errors.setdefault("responsible", []).append(_("The responsible user is not active."))
    if errors:
        raise ValidationError(errors)


@claimed_once(Contract)
@transaction.atomic
def contract_create(*, center, kind: str, title: str, customer, start_date: datetime.date, end_date: datetime.date,
                    value: int, responsible, instalments: list[dict], alarm_days_before: int = 7,
                    visits_included: int = 0, parts_covered: bool = False, response_hours: int | None = None,
                    note: str = "", acting_user, number: str | None = None,
                    submission_key: str | None = None) -> Contract:
    """Sign a contract with its instalment plan.

    The plan's amounts add up to the value; no instalment falls due outside the contract's dates.
    ``number`` is given (a paper contract's) or the next of the center's series for the Jalali year of
    its start, taken as the last write (issue 21). A number the center has used already is refused. A
    repeated ``submission_key`` (a double submit, an API retry) returns the contract signed the first
    time. Implements F51.
    """
    key = caller_key(user=acting_user, key=submission_key)
    if key:
        existing = Contract.objects.filter(submission_key=key).first()
        if existing is not None:
            return existing
    contract = Contract(submission_key=key, center=center, kind=kind, title=title, customer=customer,
                        start_date=start_date, end_date=end_date, value=value, responsible=responsible,
                        alarm_days_before=alarm_days_before,
                        visits_included=visits_included or 0, parts_covered=bool(parts_covered),
                        response_hours=response_hours, note=note or "", created_by=acting_user,
                        number=(number or "").strip())
    _check(contract)
    plan = _plan(instalments, start_date=start_date, end_date=end_date, value=value)
    rowscope.check_write(contract, acting_user)
    number_taken = ValidationError({"number": _("This office has a contract with this number already.")})
    numbered_here = not contract.number
    if numbered_here:
        contract.number = provisional_number()
    elif Contract.objects.filter(center=center, number=contract.number).exists():
        raise number_taken
    contract._history_user = acting_user
    try:
        with transaction.atomic():
            contract.save(force_insert=True)
    except IntegrityError:
        raise number_taken from None
    for row in plan:
        row.contract = contract
    Instalment.objects.bulk_create(plan)
    if numbered_here:
        # Last, the office's number (and the history row written under the stand-in): the series' lock
        # lasts only from here to the commit, and numbers run in commit order with no gap.
        try:
            with transaction.atomic():
                document_number_assign(contract, scope=f"center:{center.pk}", document_type="sales-contract",
                                       on=start_date)
        except IntegrityError:  # a paper contract was given this very number by hand
            raise number_taken from None
    return contract


def _locked(contract: Contract) -> Contract:
    return Contract.objects.select_for_update().get(pk=contract.pk)


@transaction.atomic
def contract_update(*, contract: Contract, acting_user, instalments: list[dict] | None = None,
                    **values) -> Contract:
    """Change an active contract that nothing has been received against yet; ``instalments`` replaces the
    whole plan (without it the plan stays and must still add up to the value). Implements F51."""
    contract = _locked(contract)
    rowscope.check_write(contract, acting_user)
    if contract.status != Contract.Status.ACTIVE:
        raise ValidationError(_("Only an active contract can be changed."))
    if Receipt.objects.filter(instalment__contract=contract, is_void=False).exists():
        raise ValidationError(_("Money has been received against this contract; its terms can no longer be "
                                "changed. End or cancel it and sign a new one."))
    for name, value in values.items():
        if name in CONTRACT_FIELDS:
            setattr(contract, name, value)
    _check(contract)
    if instalments is None:
        instalments = [{"due_date": row.due_date, "amount": row.amount} for row in contract.instalments.all()]
    plan = _plan(instalments, start_date=contract.start_date, end_date=contract.end_date, value=contract.value)
    rowscope.check_write(contract, acting_user)
    contract._history_user = acting_user
    contract.save()
    update_change_reason(contract, _("contract changed"))
    contract.instalments.all().delete()
    for row in plan:
        row.contract = contract
    Instalment.objects.bulk_create(plan)
    return contract


def _status(contract: Contract, status: str, *, acting_user, reason: str) -> Contract:
    contract = _locked(contract)
    rowscope.check_write(contract, acting_user)
    if contract.status != Contract.Status.ACTIVE:
        raise ValidationError(_("The contract is %(status)s already.") % {"status": contract.get_status_display()})
    contract.status = status
    contract._history_user = acting_user
    contract.save(update_fields=["status"])
    update_change_reason(contract, reason)
    return contract


@transaction.atomic
def contract_end(*, contract: Contract, acting_user) -> Contract:
    """Mark an active contract as ended; its alarms stop. Implements F51."""
    return _status(contract, Contract.Status.ENDED, acting_user=acting_user, reason=_("contract ended"))


@transaction.atomic
def contract_cancel(*, contract: Contract, acting_user, reason: str = "") -> Contract:
    """Cancel an active contract; its alarms stop, its receipts stay as they are. Implements F51."""
    text = _("contract cancelled")
    if reason:
        text = f"{text}: {reason.strip()[:80]}"
    return _status(contract, Contract.Status.CANCELLED, acting_user=acting_user, reason=text)
