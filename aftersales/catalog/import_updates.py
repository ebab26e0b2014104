"""Updating units already registered from a serial file ("add and update" at the import's preview, issue 20).

Kept apart from ``importers.py``: the serial importer takes these methods as a mixin. The serial and
brand identify the unit and are never changed; the other columns of the file are written where they
differ, with the unit's events for a production or sale date given for the first time.
"""

import datetime
from collections import Counter

from django.utils import timezone

from .models import ProductUnit, UnitEvent
from .tallies import sold_key, units_sold_add

#: Import column → unit field, for the columns an update may write.
UPDATABLE = {
    "model": "product_model_id",
    "production_date": "production_date",
    "batch": "batch",
    "factory": "factory",
    "sale_invoice_no": "sale_invoice_no",
    "delivery_note_no": "delivery_note_no",
    "subscription_no": "subscription_no",
    "dealer_code": "dealer_code",
    "dealer_name": "dealer_name",
    "sale_date": "sale_date",
}
_VALUES = ["pk", "brand_id", "serial", "serial_key", "product_model__code",
           *(field for column, field in UPDATABLE.items() if column != "model")]


def _day(value):
    if value in (None, ""):
        return None
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(str(value))


def _noon(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


class SerialUpdates:
    """``existing_values``, ``column_values`` and ``update`` of the serial importer."""

    def _stored(self, keys) -> dict:
        """{key: values of the stored unit}, one query for the batch."""
        serials = {key[1] for key in keys}
        found = {}
        for values in ProductUnit.objects.filter(serial_key__in=serials).values(*_VALUES):
            found[self.key(values)] = values
        wanted = set(keys)
        return {key: values for key, values in found.items() if key in wanted}

    def existing_values(self, keys):
        return {key: self._columns(values, values["product_model__code"])
                for key, values in self._stored(keys).items()}

    def column_values(self, row):
        # Model codes by id, from the lookups ``prepare`` loaded for this file (rebuilt when it reloads them).
        if getattr(self, "models", None) is None:
            self.prepare()
        if getattr(self, "_codes_from", None) is not self.models:
            self._codes_from, self._model_codes = self.models, {pk: code for (_brand, code), pk in self.models.items()}
        models = self._model_codes
        return self._columns(row, models.get(row["product_model_id"]))

    @staticmethod
    def _columns(values: dict, model_code) -> dict:
        columns = {column: values.get(field) for column, field in UPDATABLE.items() if column != "model"}
        columns["model"] = model_code
        return columns

    def update(self, rows, *, acting_user):
        stored = self._stored([self.key(row) for row, _columns in rows])
        units = {values["pk"]: values for values in stored.values()}
        objects = ProductUnit.objects.in_bulk(list(units))
        changed_fields, events = set(), []
        count = 0
        sold = Counter()
        for row, columns in rows:
            values = stored.get(self.key(row))
            if values is None:
                continue
            unit = objects[values["pk"]]
            if sold_key(unit):
                sold[sold_key(unit)] -= 1
            for column in columns:
                field = UPDATABLE.get(column)
                if field is None:
                    continue
                value = row.get("product_model_id" if column == "model" else column)
                if field.endswith("_date"):
                    value = _day(value)
                    if value and getattr(unit, field) is None:
                        kind = UnitEvent.Kind.SOLD if field == "sale_date" else UnitEvent.Kind.PRODUCED
                        events.append(UnitEvent(unit=unit, kind=kind, occurred_at=_noon(value), recorded_by=acting_user))
                setattr(unit, field, value)
                changed_fields.add(field)
            if "sale_date" in columns and unit.sale_date and unit.status == ProductUnit.Status.PRODUCED:
                unit.status = ProductUnit.Status.SOLD
                changed_fields.add("status")
            if sold_key(unit):
                sold[sold_key(unit)] += 1
            unit.updated_at = timezone.now()
            normalize = getattr(unit, "identifiers_normalize", None)
            if normalize:
                normalize()  # the identifiers' matching keys follow the values written
            count += 1
        if changed_fields:
            keys = [f.name for f in ProductUnit._meta.concrete_fields if f.name.endswith("_key")]
            ProductUnit.objects.bulk_update(list(objects.values()), [*changed_fields, *keys, "updated_at"], batch_size=1000)
        if events:
            UnitEvent.objects.bulk_create(events)
        units_sold_add(Counter({key: units for key, units in sold.items() if units}))
        return count
