"""Iran's provinces, their main cities and Tehran's districts, from ``fixtures/regions.json``."""

import json
from pathlib import Path

from aftersales.core.persian import normalize_text, search_document

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "regions.json"


def load_regions(Region) -> int:
    """Create or update the shipped regions (idempotent); ``Region`` may be a migration's model."""
    rows = json.loads(FIXTURE.read_text(encoding="utf-8"))
    count = 0

    def put(code, name, kind, parent, area_code=""):
        nonlocal count
        name = normalize_text(name)
        region, _created = Region.objects.update_or_create(
            code=code,
            defaults={"name": name, "kind": kind, "parent": parent, "area_code": area_code,
                      "search_text": search_document(f"{code} {name} {parent.name if parent else ''}")},
        )
        count += 1
        return region

    for province in rows:
        top = put(province["code"], province["name"], "province", None, province["area_code"])
        for index, city_name in enumerate(province["cities"], start=1):
            city = put(f"{province['code']}{index:02d}", city_name, "city", top)
            for number, district in enumerate(province.get("districts", {}).get(city_name, []), start=1):
                put(f"{city.code}{number:02d}", district, "district", city)
    return count
