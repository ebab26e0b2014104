"""Writes on the serial registry. The tracking system's bulk pushes and the staff's own records
both come through here, so a unit's status always follows its latest event."""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.core.jalali import local_date
from aftersales.core.persian import isolate, normalize_identifier, normalize_text
from aftersales.imports import cells

from .identifiers import identifier_clean, identifier_key
from .models import Brand, ComponentType, ProductModel, ProductUnit, UnitComponent, UnitEvent

DATE_FIELDS = ("production_date", "sale_date")
CODE_FIELDS = ("batch", "sale_invoice_no", "delivery_note_no", "subscription_no", "dealer_code")
TEXT_FIELDS = ("factory", "dealer_name")
UNIT_FIELDS = (*DATE_FIELDS, *CODE_FIELDS, *TEXT_FIELDS)


@dataclass
class RowResult:
    index: int
    serial: str
    status: str  # created, updated, unchanged, error
    errors: dict = field(default_factory=dict)

    def as_dict(self):
        data = {"index": self.index, "serial": self.serial, "status": self.status}
        if self.errors:
            data["errors"] = self.errors
        return data


def _event_apply(unit: ProductUnit, event: UnitEvent) -> None:
    """Move the unit's status to what its latest event says."""
    latest = unit.events.exclude(kind__in=[UnitEvent.Kind.COMPONENT_REPLACED, UnitEvent.Kind.OWNER_CHANGED]).order_by("-occurred_at", "-pk").first()
    status = UnitEvent.STATUS_AFTER.get(latest.kind) if latest else ProductUnit.Status.PRODUCED
    if status and unit.status != status:
        unit.status = status
        unit.save(update_fields=["status", "updated_at"])


@transaction.atomic
def unit_event_record(*, unit: ProductUnit, kind: str, occurred_at: datetime.datetime, acting_user=None,
                      external_id: str | None = None, reference: str = "", details: dict | None = None) -> tuple[UnitEvent, bool]:
    """Add an event to a unit's history; returns (event, created).

    Idempotent on (unit, external_id): the same event pushed twice is stored once.
    Events may arrive out of order; the history is kept in ``occurred_at`` order and the
    status follows the latest one. Implements F04.
    """
    if kind not in UnitEvent.Kind.values:
        raise ValidationError({"kind": _("Unknown event kind: %(kind)s.") % {"kind": kind}})
    if external_id:
        existing = UnitEvent.objects.filter(unit=unit, external_id=external_id).first()
        if existing:
            return existing, False
    event = UnitEvent.objects.create(
        unit=unit, kind=kind, occurred_at=occurred_at, external_id=external_id or None,
        reference=reference, details=details or {}, recorded_by=acting_user,
    )
    if kind == UnitEvent.Kind.COMPONENT_REPLACED and details and details.get("component_serial"):
        _component_replace(unit, details, local_date(occurred_at))  # Tehran's day, not the UTC one
    _event_apply(unit, event)
    return event, True


def _component_replace(unit, details, on):
    component_type = ComponentType.objects.filter(code=normalize_identifier(details.get("component_type", ""))).first()
    if component_type is None:
        raise ValidationError({"details": _("Unknown component type in the event.")})
    unit.components.filter(component_type=component_type, removed_on__isnull=True).update(removed_on=on)
    UnitComponent.objects.create(
        unit=unit, component_type=component_type, serial=normalize_identifier(details["component_serial"]), fitted_on=on
    )


class _Lookup:
    """Caches brands, models and component types across the rows of one push."""

    def __init__(self):
        self.brands = {b.code: b for b in Brand.objects.all()}
        self.models = {}
        self.components = {c.code: c for c in ComponentType.objects.all()}

    def model(self, brand, code):
        key = (brand.pk, code)
        if key not in self.models:
            self.models[key] = ProductModel.objects.filter(brand=brand, code=code).first()
        return self.models[key]


def _parse_date(value, name, errors):
    """The date rule of the Excel imports, with the error kept per field as the API reports it."""
    problems: list[tuple[str, str]] = []
    day = cells.date(value, problems, name)
    for column, message in problems:
        errors[column] = [message]
    return day


def _unit_upsert(row: dict, lookup: _Lookup, acting_user) -> tuple[str, ProductUnit | None, dict]:
    errors: dict[str, list[str]] = {}
    serial = identifier_clean(row.get("serial", ""))  # kept as sent, matched on its key
    serial_key = identifier_key(serial)
    if not serial_key:
        errors["serial"] = [_("The serial is missing.")]
    elif len(serial) > 40:
        errors["serial"] = [_("The serial is longer than 40 characters.")]
    brand = lookup.brands.get(normalize_identifier(row.get("brand", "")))
    if brand is None:
        errors["brand"] = [_("Unknown brand code: %(code)s.") % {"code": isolate(row.get("brand", ""))}]
    model = lookup.model(brand, normalize_identifier(row.get("model", ""))) if brand else None
    if brand and model is None:
        errors["model"] = [_("Unknown model code for this brand: %(code)s.") % {"code": isolate(row.get("model", ""))}]
    values = {}
    for name in UNIT_FIELDS:
        if name not in row:
            continue
        if name in DATE_FIELDS:
            values[name] = _parse_date(row[name], name, errors)
        elif name in CODE_FIELDS:
            values[name] = identifier_clean(row[name])
        else:
            values[name] = normalize_text(str(row[name] or ""))
    components = []
    for item in row.get("components", []) or []:
        component_type = lookup.components.get(normalize_identifier(item.get("type", "")))
        if component_type is None:
            errors.setdefault("components", []).append(
                _("Unknown component type: %(code)s.") % {"code": isolate(item.get("type", ""))}
            )
        else:
            components.append((component_type, normalize_identifier(item.get("serial", ""))))
    if errors:
        return "error", None, errors
    unit = ProductUnit.objects.select_for_update().filter(brand=brand, serial_key=serial_key).first()
    if unit is None:
        unit = ProductUnit.objects.create(brand=brand, serial=serial, product_model=model, **values)
        UnitComponent.objects.bulk_create(
            [UnitComponent(unit=unit, component_type=ct, serial=s, fitted_on=unit.production_date) for ct, s in components]
        )
        return "created", unit, {}
    changed = unit.product_model_id != model.pk or unit.serial != serial
    unit.product_model, unit.serial = model, serial
    for name, value in values.items():
        if getattr(unit, name) != value:
            setattr(unit, name, value)
            changed = True
    known = {(c.component_type_id, c.serial) for c in unit.components.all()}
    new_components = [(ct, s) for ct, s in components if (ct.pk, s) not in known]
    if new_components:
        UnitComponent.objects.bulk_create(
            [UnitComponent(unit=unit, component_type=ct, serial=s, fitted_on=unit.production_date) for ct, s in new_components]
        )
        changed = True
    if changed:
        unit.save()
    return ("updated" if changed else "unchanged"), unit, {}


def units_push(*, units: list[dict], events: list[dict], acting_user=None) -> dict:
    """Take a batch from the serial-and-tracking system: units first, then events; one result per row.

    Each row commits or fails on its own (a savepoint each), so one bad row never blocks the rest,
    and pushing the same batch again changes nothing. Implements F04.
    """
    lookup = _Lookup()
    unit_results, event_results = [], []
    for index, row in enumerate(units):
        try:
            with transaction.atomic():
                status, _unit, errors = _unit_upsert(row, lookup, acting_user)
        except (IntegrityError, ValidationError) as error:
            status, errors = "error", getattr(error, "message_dict", {"serial": [str(error)]})
        unit_results.append(RowResult(index, identifier_clean(row.get("serial", "")), status, errors).as_dict())
    for index, row in enumerate(events):
        serial = identifier_clean(row.get("serial", ""))
        errors = {}
        try:
            with transaction.atomic():
                units_found = ProductUnit.objects.filter(serial_key=identifier_key(serial))
                if row.get("brand"):
                    units_found = units_found.filter(brand__code=normalize_identifier(row["brand"]))
                unit = units_found.first()
                if unit is None:
                    raise ValidationError({"serial": [_("Unknown serial: %(serial)s.") % {"serial": isolate(row.get("serial", ""))}]})
                if not row.get("event_id"):
                    raise ValidationError({"event_id": [_("The event id is missing; it makes pushes safe to repeat.")]})
                occurred_at = _parse_datetime(row.get("occurred_at"))
                _event, created = unit_event_record(
                    unit=unit, kind=row.get("kind", ""), occurred_at=occurred_at, acting_user=acting_user,
                    external_id=str(row["event_id"]), reference=row.get("reference", ""), details=row.get("details") or {},
                )
                status = "created" if created else "unchanged"
        except ValidationError as error:
            status, errors = "error", error.message_dict
        event_results.append(RowResult(index, serial, status, errors).as_dict())
    return {"units": unit_results, "events": event_results}


def _parse_datetime(value) -> datetime.datetime:
    from django.utils.dateparse import parse_datetime

    from aftersales.core import jalali

    if isinstance(value, datetime.datetime):
        return value
    parsed = parse_datetime(str(value or ""))
    if parsed is None:
        try:
            return jalali.parse_datetime(str(value or ""))
        except ValueError:
            raise ValidationError({"occurred_at": [_("Enter a valid date and time (ISO 8601 or Jalali).")]}) from None
    return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed
