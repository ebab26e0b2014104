"""Demo catalog: groups, brands, models with components and prices, parts, services, fault codes,
and serials with their history (2,000 small; 1,000,000 large, through the import's bulk path)."""

import datetime
import json
import time
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from aftersales.core.persian import normalize_identifier

from aftersales.imports.registry import GeneratedRows

from .identifiers import unit_keys
from .importers import SerialImporter
from .models import (
    Brand, ComponentType, FaultCode, ModelComponent, ModelPrice, ProductGroup, ProductModel, ProductUnit, ServiceItem,
    SparePart,
)

UNITS = {"small": 2_000, "large": 1_000_000}
FIXTURE = Path(settings.PACKAGE_DIR) / "fixtures" / "demo" / "catalog.json"


@transaction.atomic
def _reference() -> list[ProductModel]:
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    groups = {}
    for row in data["groups"]:
        groups[row["code"]], _ = ProductGroup.objects.get_or_create(
            code=row["code"], defaults={"name": row["name"], "parent": groups.get(row["parent"])}
        )
    brands = {row["code"]: Brand.objects.get_or_create(code=row["code"], defaults={"name": row["name"]})[0] for row in data["brands"]}
    components = {
        row["code"]: ComponentType.objects.get_or_create(code=row["code"], defaults={"name": row["name"], "has_serial": row["has_serial"]})[0]
        for row in data["components"]
    }
    models = {}
    for row in data["models"]:
        model, created = ProductModel.objects.get_or_create(
            brand=brands[row["brand"]], code=normalize_identifier(row["code"]),
            defaults={"name": row["name"], "group": groups[row["group"]]},
        )
        if created:
            for code in row["components"]:
                ModelComponent.objects.create(product_model=model, component_type=components[code])
            ModelPrice.objects.create(product_model=model, effective_on=datetime.date(2026, 3, 21), price=row["price"])
        models[row["code"]] = model
    for row in data["parts"]:
        part, created = SparePart.objects.get_or_create(
            code=normalize_identifier(row["code"]),
            defaults={"name": row["name"], "price": row["price"], "unit": row.get("unit", "piece"),
                      "component_type": components.get(row["component"])},
        )
        if created:
            part.fits_models.set(models[code] for code in row["fits"])
    for row in data["services"]:
        ServiceItem.objects.get_or_create(
            code=normalize_identifier(row["code"]),
            defaults={"title": row["title"], "category": row["category"], "product_group": groups[row["group"]],
                      "standard_minutes": row["minutes"], "labour_price": row["price"],
                      "service_type": row.get("type", "in_center"), "is_free_periodic": row.get("free", False)},
        )
    faults = {}
    for row in data["faults"]:
        faults[row["code"]], _ = FaultCode.objects.get_or_create(
            code=normalize_identifier(row["code"]), defaults={"title": row["title"], "parent": faults.get(row["parent"])}
        )
    return list(models.values())


def seed_catalog(*, size: str, rng) -> str:
    models = _reference()
    if ProductUnit.objects.exists():
        return "already present"
    started = time.perf_counter()
    count = UNITS[size]
    today = timezone.localdate()

    def rows():
        for index in range(count):
            model = models[index % len(models)]
            produced = today - datetime.timedelta(days=rng.randrange(30, 1500))
            sold = produced + datetime.timedelta(days=rng.randrange(5, 120)) if rng.random() < 0.8 else None
            if sold and sold > today:
                sold = None
            row = {"serial": f"{model.code}{produced:%y%m}{index:07d}", "brand_id": model.brand_id,
                   "product_model_id": model.pk, "production_date": produced.isoformat(),
                   "sale_date": sold.isoformat() if sold else None, "batch": f"B{produced:%y%m}",
                   "factory": "", "dealer_name": "", "sale_invoice_no": f"F{index:08d}" if sold else "",
                   "delivery_note_no": "", "subscription_no": "", "dealer_code": ""}
            yield {**row, **unit_keys(row)}  # the matching keys, as the import computes them

    with transaction.atomic():
        importer = SerialImporter()
        result = importer.commit(GeneratedRows(rows(), importer), acting_user=None, progress=lambda done: None)
    return f"{result['created']:,} serials with their history in {time.perf_counter() - started:.1f} s"
