"""Writes of the after-sales service contracts' coverage: the units a service contract covers and the
visits they use (F25).

A unit is named by its serial, typed with any digits and separators (the catalog's unit lookup). A unit
is under at most one active service contract on any day: adding it to a second contract whose dates
overlap is refused, naming the first. The unit's row is locked while it is checked, so two users adding
one unit to two contracts at once cannot both win.
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import update_change_reason

from aftersales.catalog.models import ProductUnit
from aftersales.core import rowscope
from aftersales.core.persian import to_ascii_digits

from .models import Contract, ContractUnit

#: The most serials one paste may carry (a whole fleet's contract is imported from Excel instead).
BULK_LIMIT = 500


def unit_by_serial(serial: str) -> ProductUnit:
    """The one unit whose serial is ``serial`` (any digits, spaces, dashes); a clear message otherwise."""
    from aftersales.catalog.lookup import unit_lookup

    text = (serial or "").strip()
    if not text:
        raise ValidationError({"serial": _("Type the unit's serial.")})
    units = [match.unit for match in unit_lookup(text) if match.kind == "serial"]
    if not units:
        raise ValidationError({"serial": _("No unit with the serial %(serial)s is registered.") % {"serial": text}})
    if len(units) > 1:
        raise ValidationError({"serial": _("The serial %(serial)s names %(count)s units of different brands; "
                                           "ask the administrator to correct the registry.")
                                         % {"serial": text, "count": len(units)}})
    return units[0]


def _check_contract(contract: Contract) -> None:
    if contract.kind != Contract.Kind.SERVICE:
        raise ValidationError(_("Units are added only to an after-sales service contract."))
    if contract.status != Contract.Status.ACTIVE:
        raise ValidationError(_("The contract %(number)s is not active; its units cannot change.")
                              % {"number": contract.number})


def overlapping_cover(*, unit, contract: Contract) -> ContractUnit | None:
    """Another active service contract covering ``unit`` on any day of ``contract``'s dates."""
    return (ContractUnit.objects.filter(unit=unit, contract__kind=Contract.Kind.SERVICE,
                                        contract__status=Contract.Status.ACTIVE,
                                        contract__start_date__lte=contract.end_date,
                                        contract__end_date__gte=contract.start_date)
            .exclude(contract=contract).select_related("contract").order_by("contract__start_date").first())


def _add(*, contract: Contract, unit: ProductUnit, acting_user) -> ContractUnit:
    # The unit's row serialises every add of this unit, whichever contract it goes to.
    ProductUnit.objects.select_for_update().filter(pk=unit.pk).first()
    if ContractUnit.objects.filter(contract=contract, unit=unit).exists():
        raise ValidationError({"serial": _("The unit %(serial)s is already under this contract.")
                                         % {"serial": unit.serial}})
    other = overlapping_cover(unit=unit, contract=contract)
    if other is not None:
        raise ValidationError({"serial": _("The unit %(serial)s is already under the active service contract "
                                           "%(number)s (%(title)s) in these dates.")
                                         % {"serial": unit.serial, "number": other.contract.number,
                                            "title": other.contract.title}})
    covered = ContractUnit(contract=contract, unit=unit)
    rowscope.check_write(covered, acting_user)
    covered._history_user = acting_user
    covered.save(force_insert=True)
    return covered


@transaction.atomic
def contract_unit_add(*, contract: Contract, serial_or_unit, acting_user) -> ContractUnit:
    """Put a unit, by its serial (or the unit itself), under an active after-sales service contract.

    Refuses another kind of contract, a contract not active, an unknown serial, a unit already under
    this contract and a unit under another active service contract whose dates overlap (named in the
    message). Implements F25.
    """
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    _check_contract(contract)
    rowscope.check_write(contract, acting_user)
    unit = serial_or_unit if isinstance(serial_or_unit, ProductUnit) else unit_by_serial(str(serial_or_unit))
    return _add(contract=contract, unit=unit, acting_user=acting_user)


@dataclass
class BulkResult:
    """What a paste of serials did: the units added, or (nothing added) each bad line's message."""

    added: list = field(default_factory=list)
    errors: list = field(default_factory=list)  # (line number, serial as typed, message)

    @property
    def ok(self) -> bool:
        return not self.errors


def serial_lines(text: str) -> list[tuple[int, str]]:
    """The non-empty lines of a paste (one serial a line; a comma or tab also separates), numbered from 1."""
    lines = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        for part in line.replace("\t", ",").replace("،", ",").split(","):
            if part.strip():
                lines.append((number, part.strip()))
    return lines


@transaction.atomic
def contract_units_add_bulk(*, contract: Contract, serials: str, acting_user) -> BulkResult:
    """Put every unit of a paste of serials (one a line) under the service contract, or none of them.

    Each bad line (unknown serial, a unit already covered, a serial twice) is reported with its line
    number and nothing is added, so the user corrects the paste and sends it again. Implements F25.
    """
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    _check_contract(contract)
    rowscope.check_write(contract, acting_user)
    lines = serial_lines(serials)
    if not lines:
        raise ValidationError({"serials": _("Paste at least one serial, one a line.")})
    if len(lines) > BULK_LIMIT:
        raise ValidationError({"serials": _("At most %(limit)s serials at once; import the rest from Excel.")
                                          % {"limit": BULK_LIMIT}})
    result = BulkResult()
    seen: dict[int, int] = {}
    for number, serial in lines:
        try:
            unit = unit_by_serial(serial)
            if unit.pk in seen:
                raise ValidationError(_("The same unit as line %(line)s.") % {"line": seen[unit.pk]})
            seen[unit.pk] = number
            with transaction.atomic():
                result.added.append(_add(contract=contract, unit=unit, acting_user=acting_user))
        except ValidationError as error:
            result.errors.append((number, serial, " ".join(error.messages)))
    if result.errors:
        transaction.set_rollback(True)
        result.added = []
    return result


@transaction.atomic
def contract_unit_remove(*, contract_unit: ContractUnit, acting_user) -> None:
    """Take a unit off its service contract (a unit added by mistake, or sold on); the trail keeps it.

    Refuses a contract that is not active. Implements F25.
    """
    covered = ContractUnit.objects.select_for_update().select_related("contract").filter(pk=contract_unit.pk).first()
    if covered is None:
        raise ValidationError(_("This unit is no longer under the contract."))
    _check_contract(covered.contract)
    rowscope.check_write(covered, acting_user)
    covered._history_user = acting_user
    covered.delete()


def is_active_on(contract: Contract, day: datetime.date) -> bool:
    return (contract.kind == Contract.Kind.SERVICE and contract.status == Contract.Status.ACTIVE
            and contract.start_date <= day <= contract.end_date)


@transaction.atomic
def contract_visit_use(*, contract_unit: ContractUnit, acting_user, reference: str = "") -> ContractUnit:
    """Count one visit of a unit under its service contract.

    Refuses a contract not in force today, and a visit beyond the contract's included visits when it
    includes a number of them (0: unlimited). ``reference`` (e.g. ``order:12``) counts one visit once:
    a second count with the same reference is refused. Implements F25.
    """
    covered = (ContractUnit.objects.select_for_update().select_related("contract", "unit")
               .filter(pk=contract_unit.pk).first())
    if covered is None:
        raise ValidationError(_("This unit is no longer under the contract."))
    contract = covered.contract
    if not is_active_on(contract, timezone.localdate()):
        raise ValidationError(_("The service contract %(number)s is not in force today.") % {"number": contract.number})
    reference = to_ascii_digits(reference or "").strip()[:90]
    if reference and covered.history.filter(history_change_reason=f"visit {reference}").exists():
        raise ValidationError(_("This visit has already been counted under the contract."))
    if contract.visits_included and covered.visits_used >= contract.visits_included:
        raise ValidationError(_("All %(count)s visits of the contract %(number)s have been used.")
                              % {"count": contract.visits_included, "number": contract.number})
    rowscope.check_write(covered, acting_user)
    covered.visits_used += 1
    covered._history_user = acting_user
    covered.save(update_fields=["visits_used"])
    update_change_reason(covered, f"visit {reference}" if reference else "visit")
    return covered
