from aftersales.desk.registry import Resource, register

from .models import Warehouse

register(Resource(
    model=Warehouse, slug="warehouses", list_fields=["name", "code", "center", "is_active"],
    form_fields=["center", "code", "name", "keepers", "is_active"], filter_fields=["center", "is_active"],
    select_related=["center"], menu_group="warehouse-billing", menu_order=40,
))
