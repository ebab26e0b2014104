"""Excel/CSV imports of the catalog: serials (units), product models and spare parts."""

import datetime
import re
from collections import Counter

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aftersales.core.persian import isolate
from aftersales.imports.cells import code, text, whole_number
from aftersales.imports.cells import date as parse_date
from aftersales.imports.registry import Column, Importer, register

from .identifiers import KEYED_FIELDS, identifier_clean, identifier_key
from .import_updates import SerialUpdates
from .models import Brand, ComponentType, ModelPrice, ProductGroup, ProductModel, ProductUnit, SparePart, UnitEvent
from .tallies import sold_key, units_sold_add

CHUNK = 5000


class SerialImporter(SerialUpdates, Importer):
    kind = "serials"
    label = gettext_lazy("Serials (product units)")
    permission = "catalog.add_productunit"
    exports = "units"  # the units list exports this template's columns, so its file imports back
    columns = [
        Column("serial", gettext_lazy("serial"), required=True, example="SN-140500001"),
        Column("brand", gettext_lazy("brand code"), required=True, example="SNOW", export="brand__code"),
        Column("model", gettext_lazy("model code"), required=True, example="RF-520", export="product_model__code"),
        Column("production_date", gettext_lazy("production date"), example="1405/01/15"),
        Column("batch", gettext_lazy("batch / lot"), example="B-12"),
        Column("factory", gettext_lazy("factory"), example=""),
        Column("sale_invoice_no", gettext_lazy("sale invoice no."), example=""),
        Column("delivery_note_no", gettext_lazy("delivery note no."), example=""),
        Column("subscription_no", gettext_lazy("subscription no."), example=""),
        Column("dealer_code", gettext_lazy("dealer code"), example=""),
        Column("dealer_name", gettext_lazy("dealer"), example=""),
        Column("sale_date", gettext_lazy("sale date"), example=""),
    ]

    def prepare(self):
        self.brands = dict(Brand.objects.values_list("code", "pk"))
        self.models = {(brand, model_code): pk for pk, brand, model_code in ProductModel.objects.values_list("pk", "brand_id", "code")}

    def clean_row(self, values):
        errors = []
        # Identifiers are kept as sent and matched on their keys (catalog/identifiers.py).
        serial, brand_code, model_code = identifier_clean(values.get("serial")), code(values.get("brand")), code(values.get("model"))
        if not identifier_key(serial):
            errors.append(("serial", _("The serial is missing.")))
        elif len(serial) > 40:
            errors.append(("serial", _("The serial is longer than 40 characters.")))
        brand = self.brands.get(brand_code)
        if brand is None:
            errors.append(("brand", _("Unknown brand code: %(code)s.") % {"code": isolate(values.get("brand") or "—")}))
        model = self.models.get((brand, model_code)) if brand else None
        if brand and model is None:
            errors.append(("model", _("Unknown model code for this brand: %(code)s.") % {"code": isolate(values.get("model") or "—")}))
        production_date = parse_date(values.get("production_date"), errors, "production_date")
        sale_date = parse_date(values.get("sale_date"), errors, "sale_date")
        if production_date and sale_date and sale_date < production_date:
            errors.append(("sale_date", _("The sale date is before the production date.")))
        if production_date and production_date > timezone.localdate():
            errors.append(("production_date", _("The production date is in the future.")))
        if errors:
            return None, errors
        row = {"serial": serial, "brand_id": brand, "product_model_id": model,
               "production_date": production_date, "sale_date": sale_date,
               "factory": text(values.get("factory")), "dealer_name": text(values.get("dealer_name"))}
        for name in ("batch", "sale_invoice_no", "delivery_note_no", "subscription_no", "dealer_code"):
            row[name] = identifier_clean(values.get(name))
            if len(row[name]) > 40:
                errors.append((name, _("Write at most 40 characters.")))
        if errors:
            return None, errors
        row.update({key: identifier_key(row[name]) for name, key in KEYED_FIELDS.items()})
        return row, []

    def key(self, row):
        return (row["brand_id"], row["serial_key"])

    def existing_keys(self, keys):
        serials = [serial for _brand, serial in keys]
        return set(ProductUnit.objects.filter(serial_key__in=serials).values_list("brand_id", "serial_key"))

    # Staged rows are lines in PostgreSQL's COPY text format, so that the commit streams them to the
    # database as they are: at a million rows, decoding and re-encoding each row cost a quarter of the time.
    def dump(self, row):
        values = [*(row[name] for name in _STAGED), _status(row)]
        return "\t".join("\\N" if value is None else _copy_escape(str(value)) for value in values)

    def load(self, line):
        values = [None if value == "\\N" else _copy_unescape(value) for value in line.split("\t")]
        row = dict(zip(_STAGED, values, strict=False))
        row["brand_id"], row["product_model_id"] = int(row["brand_id"]), int(row["product_model_id"])
        return row

    def commit(self, rows, *, acting_user, progress):
        if connection.vendor == "postgresql":
            return _commit_copy(rows, progress)
        return _commit_bulk(rows, progress)


_STAGED = ["serial", "brand_id", "product_model_id", "production_date", "batch", "factory", "sale_invoice_no",
           "delivery_note_no", "subscription_no", "dealer_code", "dealer_name", "sale_date", *KEYED_FIELDS.values()]
_UNIT_COLUMNS = [*_STAGED, "status"]
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_escape(value: str) -> str:
    return value.translate(_COPY_ESCAPES)


_COPY_UNESCAPES = {"t": "\t", "n": "\n", "r": "\r"}


def _copy_unescape(value: str) -> str:
    if "\\" not in value:
        return value
    return re.sub(r"\\(.)", lambda match: _COPY_UNESCAPES.get(match.group(1), match.group(1)), value)


def _status(row) -> str:
    return ProductUnit.Status.SOLD if row.get("sale_date") else ProductUnit.Status.PRODUCED


def _noon(day: str) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(datetime.date.fromisoformat(day), datetime.time(12)))


def _commit_copy(rows, progress) -> dict:
    """PostgreSQL: COPY into a temporary table, then one INSERT … SELECT for units and their events."""
    now = timezone.now()
    count = 0
    columns = ", ".join(_UNIT_COLUMNS)
    with connection.cursor() as cursor:
        # A second serial import in the same transaction (demo data, tests) finds the first one's table.
        cursor.execute("DROP TABLE IF EXISTS import_units")
        cursor.execute(f"CREATE TEMP TABLE import_units ON COMMIT DROP AS SELECT {columns} FROM catalog_productunit WITH NO DATA")
        with cursor.cursor.copy(f"COPY import_units ({columns}) FROM STDIN") as copy:
            buffer = []
            for line in rows.lines():
                buffer.append(line)
                count += 1
                if count % CHUNK == 0:
                    copy.write("\n".join(buffer) + "\n")
                    buffer.clear()
                    progress(count)
            if buffer:
                copy.write("\n".join(buffer) + "\n")
        # One statement: the units, then a "produced" and a "sold" event for each unit that has the date.
        cursor.execute(
            f"""
            WITH inserted AS (
                INSERT INTO catalog_productunit ({columns}, created_at, updated_at)
                SELECT {columns}, %s, %s FROM import_units
                RETURNING id, production_date, sale_date
            ), produced AS (
                INSERT INTO catalog_unitevent (unit_id, kind, occurred_at, reference, details, created_at)
                SELECT id, %s, (production_date + time '12:00') AT TIME ZONE %s, '', '{{}}'::jsonb, %s
                FROM inserted WHERE production_date IS NOT NULL
            )
            INSERT INTO catalog_unitevent (unit_id, kind, occurred_at, reference, details, created_at)
            SELECT id, %s, (sale_date + time '12:00') AT TIME ZONE %s, '', '{{}}'::jsonb, %s
            FROM inserted WHERE sale_date IS NOT NULL
            """,
            [now, now, UnitEvent.Kind.PRODUCED, str(timezone.get_current_timezone()), now,
             UnitEvent.Kind.SOLD, str(timezone.get_current_timezone()), now],
        )
        cursor.execute("SELECT product_model_id, production_date, count(*) FROM import_units "
                       "WHERE sale_date IS NOT NULL GROUP BY 1, 2")
        units_sold_add(Counter({(model, produced): units for model, produced, units in cursor.fetchall()}))
    progress(count)
    return {"created": count}


def _commit_bulk(rows, progress) -> dict:
    """Other databases (SQLite): bulk inserts in chunks, inside the caller's transaction."""
    count, chunk = 0, []

    def flush():
        units = ProductUnit.objects.bulk_create(
            [ProductUnit(status=_status(row), **{k: v for k, v in row.items() if not k.endswith("_date")},
                         production_date=row["production_date"] and datetime.date.fromisoformat(row["production_date"]),
                         sale_date=row["sale_date"] and datetime.date.fromisoformat(row["sale_date"]))
             for row in chunk]
        )
        events = []
        for unit, row in zip(units, chunk, strict=True):
            if row["production_date"]:
                events.append(UnitEvent(unit=unit, kind=UnitEvent.Kind.PRODUCED, occurred_at=_noon(row["production_date"])))
            if row["sale_date"]:
                events.append(UnitEvent(unit=unit, kind=UnitEvent.Kind.SOLD, occurred_at=_noon(row["sale_date"])))
        UnitEvent.objects.bulk_create(events)
        units_sold_add(Counter(sold_key(unit) for unit in units if unit.sale_date))
        chunk.clear()

    for row in rows:
        chunk.append(row)
        count += 1
        if len(chunk) >= CHUNK:
            flush()
            progress(count)
    if chunk:
        flush()
    progress(count)
    return {"created": count}


register(SerialImporter())


def _price_today(model: ProductModel) -> int | None:
    """The model's price in force today, from its prices (the export prefetches them, newest first)."""
    today = timezone.localdate()
    return next((price.price for price in model.prices.all() if price.effective_on <= today), None)


class ProductModelImporter(Importer):
    kind = "product-models"
    label = gettext_lazy("Product models")
    permission = "catalog.add_productmodel"
    exports = "product-models"  # the list exports this template's columns (codes), so its file imports back
    columns = [
        Column("code", gettext_lazy("model code"), required=True, example="RF-520"),
        Column("brand", gettext_lazy("brand code"), required=True, example="SNOW", export="brand__code"),
        Column("name", gettext_lazy("name"), required=True, example="یخچال ساید بای ساید ۵۲۰"),
        Column("group", gettext_lazy("product group"), required=True, example="FRIDGE", export="group__code"),
        Column("price", gettext_lazy("price (rials)"), example="990000000", export=_price_today),
    ]

    def prepare(self):
        from aftersales.core.persian import search_key

        self.brands = dict(Brand.objects.values_list("code", "pk"))
        self.groups = {}
        for pk, group_code, name in ProductGroup.objects.values_list("pk", "code", "name"):
            self.groups[group_code] = pk
            self.groups.setdefault(search_key(name), pk)
        self._key = search_key

    def clean_row(self, values):
        errors = []
        model_code, brand = code(values.get("code")), self.brands.get(code(values.get("brand")))
        if not model_code:
            errors.append(("code", _("The model code is missing.")))
        if brand is None:
            errors.append(("brand", _("Unknown brand code: %(code)s.") % {"code": isolate(text(values.get("brand")) or "—")}))
        name = text(values.get("name"))
        if not name:
            errors.append(("name", _("The name is missing.")))
        group = self.groups.get(code(values.get("group"))) or self.groups.get(self._key(text(values.get("group"))))
        if group is None:
            errors.append(("group", _("Unknown product group: %(name)s.") % {"name": isolate(text(values.get("group")) or "—")}))
        price = None
        if values.get("price") not in (None, ""):
            price = whole_number(values.get("price"))
            if price is None:
                errors.append(("price", _("Enter the price in rials as a whole number.")))
        if errors:
            return None, errors
        return {"code": model_code, "brand_id": brand, "name": name, "group_id": group, "price": price}, []

    def key(self, row):
        return (row["brand_id"], row["code"])

    def existing_keys(self, keys):
        return set(ProductModel.objects.filter(code__in=[c for _b, c in keys]).values_list("brand_id", "code"))

    def commit(self, rows, *, acting_user, progress):
        count = 0
        today = timezone.localdate()
        for row in rows:
            model = ProductModel(code=row["code"], brand_id=row["brand_id"], name=row["name"], group_id=row["group_id"])
            model._history_user = acting_user
            model.save()
            if row["price"]:
                ModelPrice.objects.create(product_model=model, effective_on=today, price=row["price"])
            count += 1
        progress(count)
        return {"created": count}


class SparePartImporter(Importer):
    kind = "spare-parts"
    label = gettext_lazy("Spare parts")
    permission = "catalog.add_sparepart"
    exports = "spare-parts"  # the list exports this template's columns (codes), so its file imports back
    columns = [
        Column("code", gettext_lazy("part code"), required=True, example="CMP-520"),
        Column("name", gettext_lazy("name"), required=True, example="کمپرسور ۵۲۰"),
        Column("unit", gettext_lazy("unit"), example="عدد"),
        Column("price", gettext_lazy("price (rials)"), example="120000000"),
        Column("component_type", gettext_lazy("component type"), example="COMPRESSOR", export="component_type__code"),
        Column("fits_models", gettext_lazy("fits models"), example="RF-520, RF-610", export="fits_models__code"),
    ]

    def prepare(self):
        from aftersales.core.persian import search_key

        self.components = dict(ComponentType.objects.values_list("code", "pk"))
        self.models = {}
        for pk, model_code in ProductModel.objects.values_list("pk", "code"):
            self.models.setdefault(model_code, []).append(pk)
        self.units = {}
        for value, label in SparePart.Unit.choices:
            self.units[value] = value
            self.units[search_key(str(label))] = value
        self._key = search_key

    def clean_row(self, values):
        errors = []
        part_code, name = code(values.get("code")), text(values.get("name"))
        if not part_code:
            errors.append(("code", _("The part code is missing.")))
        if not name:
            errors.append(("name", _("The name is missing.")))
        unit = self.units.get(self._key(text(values.get("unit")))) if text(values.get("unit")) else SparePart.Unit.PIECE
        if unit is None:
            errors.append(("unit", _("Unknown unit: %(name)s.") % {"name": isolate(text(values.get("unit")))}))
        price = whole_number(values.get("price")) if values.get("price") not in (None, "") else 0
        if price is None:
            errors.append(("price", _("Enter the price in rials as a whole number.")))
        component = None
        if text(values.get("component_type")):
            component = self.components.get(code(values.get("component_type")))
            if component is None:
                errors.append(("component_type", _("Unknown component type: %(code)s.") % {"code": isolate(text(values.get("component_type")))}))
        fits = []
        for item in text(values.get("fits_models")).replace("،", ",").split(","):
            if item.strip():
                found = self.models.get(code(item))
                if found is None:
                    errors.append(("fits_models", _("Unknown model code: %(code)s.") % {"code": isolate(item.strip())}))
                else:
                    fits.extend(found)
        if errors:
            return None, errors
        return {"code": part_code, "name": name, "unit": unit, "price": price, "component_type_id": component, "fits": fits}, []

    def key(self, row):
        return row["code"]

    def existing_keys(self, keys):
        return set(SparePart.objects.filter(code__in=keys).values_list("code", flat=True))

    def commit(self, rows, *, acting_user, progress):
        count = 0
        for row in rows:
            part = SparePart(code=row["code"], name=row["name"], unit=row["unit"], price=row["price"],
                             component_type_id=row["component_type_id"])
            part._history_user = acting_user
            part.save()
            part.fits_models.set(row["fits"])
            count += 1
        progress(count)
        return {"created": count}


register(ProductModelImporter())
register(SparePartImporter())
