"""Excel/CSV imports of the catalog: serials (units), product models and spare parts."""

import datetime

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aftersales.core.persian import isolate
from aftersales.imports.cells import code, text
from aftersales.imports.cells import date as parse_date
from aftersales.imports.registry import Column, Importer, register

from .models import Brand, ProductModel, ProductUnit, UnitEvent

CHUNK = 5000


class SerialImporter(Importer):
    kind = "serials"
    label = gettext_lazy("Serials (product units)")
    permission = "catalog.add_productunit"
    columns = [
        Column("serial", gettext_lazy("serial"), required=True, example="SN-140500001"),
        Column("brand", gettext_lazy("brand code"), required=True, example="SNOW"),
        Column("model", gettext_lazy("model code"), required=True, example="RF-520"),
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
        serial, brand_code, model_code = code(values.get("serial")), code(values.get("brand")), code(values.get("model"))
        if not serial:
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
            row[name] = code(values.get(name))
        return row, []

    def key(self, row):
        return (row["brand_id"], row["serial"])

    def existing_keys(self, keys):
        serials = [serial for _brand, serial in keys]
        return set(ProductUnit.objects.filter(serial__in=serials).values_list("brand_id", "serial"))

    def commit(self, rows, *, acting_user, progress):
        if connection.vendor == "postgresql":
            return _commit_copy(rows, progress)
        return _commit_bulk(rows, progress)


_UNIT_COLUMNS = ["serial", "brand_id", "product_model_id", "production_date", "batch", "factory", "sale_invoice_no",
                 "delivery_note_no", "subscription_no", "dealer_code", "dealer_name", "sale_date", "status",
                 "created_at", "updated_at"]


def _status(row) -> str:
    return ProductUnit.Status.SOLD if row.get("sale_date") else ProductUnit.Status.PRODUCED


def _noon(day: str) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(datetime.date.fromisoformat(day), datetime.time(12)))


def _commit_copy(rows, progress) -> dict:
    """PostgreSQL: COPY into a temporary table, then one INSERT … SELECT for units and their events."""
    now = timezone.now()
    count = 0
    with connection.cursor() as cursor:
        columns = ", ".join(_UNIT_COLUMNS)
        cursor.execute(f"CREATE TEMP TABLE import_units ON COMMIT DROP AS SELECT {columns} FROM catalog_productunit WITH NO DATA")
        with cursor.cursor.copy(f"COPY import_units ({', '.join(_UNIT_COLUMNS)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([row["serial"], row["brand_id"], row["product_model_id"], row["production_date"],
                                row["batch"], row["factory"], row["sale_invoice_no"], row["delivery_note_no"],
                                row["subscription_no"], row["dealer_code"], row["dealer_name"], row["sale_date"],
                                _status(row), now, now])
                count += 1
                if count % CHUNK == 0:
                    progress(count)
        # One statement: the units, then a "produced" and a "sold" event for each unit that has the date.
        cursor.execute(
            f"""
            WITH inserted AS (
                INSERT INTO catalog_productunit ({columns}) SELECT {columns} FROM import_units
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
            [UnitEvent.Kind.PRODUCED, str(timezone.get_current_timezone()), now,
             UnitEvent.Kind.SOLD, str(timezone.get_current_timezone()), now],
        )
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
