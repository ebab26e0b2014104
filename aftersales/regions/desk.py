from aftersales.desk.registry import Resource, register

from .models import Region, SalesTerritory

register(
    Resource(
        model=Region,
        slug="regions",
        list_fields=["name", "kind", "parent", "code", "area_code", "is_active"],
        form_fields=["code", "name", "kind", "parent", "area_code", "is_active"],
        filter_fields=["kind", "is_active"],
        select_related=["parent"],
        children=[("children", ["code", "name", "kind"])],
    )
)
register(
    Resource(
        model=SalesTerritory,
        slug="territories",
        list_fields=["name", "code", "is_active"],
        form_fields=["code", "name", "regions", "centers", "visitors", "is_active"],
        detail_fields=["name", "code", "regions", "centers", "visitors", "is_active"],
        filter_fields=["is_active"],
    )
)
