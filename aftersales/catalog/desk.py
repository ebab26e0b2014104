from aftersales.desk.registry import Resource, register
from aftersales.desk.registry import get as registry_get

from .models import (
    Brand, ComponentType, FaultCode, ModelPrice, ProductGroup, ProductModel, ProductUnit, ServiceItem, SparePart,
)
from .selectors import unit_search

register(Resource(
    model=ProductGroup, slug="product-groups",
    list_fields=["name", "code", "parent", "is_active"],
    form_fields=["code", "name", "parent", "is_active"],
    filter_fields=["is_active"], select_related=["parent"],
    children=[("children", ["code", "name"]), ("models", ["code", "name", "brand"])],
))
register(Resource(
    model=Brand, slug="brands", list_fields=["name", "code"], form_fields=["code", "name"],
    children=[("models", ["code", "name", "group"])],
))
register(Resource(
    model=ComponentType, slug="component-types",
    list_fields=["name", "code", "has_serial"], form_fields=["code", "name", "has_serial"],
    children=[("spare_parts", ["code", "name", "price"])],
))
register(Resource(
    model=ProductModel, slug="product-models",
    list_fields=["name", "code", "brand", "group", "is_active"],
    form_fields=["code", "name", "brand", "group", "specifications", "is_active"],
    detail_fields=["name", "code", "brand", "group", "specifications", "components", "is_active"],
    filter_fields=["brand", "group", "is_active"], select_related=["brand", "group"],
    export_prefetch=["prices", "components"],
    children=[("modelcomponent_set", ["component_type", "quantity"]), ("prices", ["effective_on", "price"]),
              ("spare_parts", ["code", "name", "price"])],
))
register(Resource(
    model=SparePart, slug="spare-parts",
    list_fields=["name", "code", "unit", "price", "component_type", "is_active"],
    form_fields=["code", "name", "unit", "price", "component_type", "fits_models", "is_active"],
    detail_fields=["name", "code", "unit", "price", "component_type", "fits_models", "is_active"],
    filter_fields=["unit", "component_type", "is_active"], select_related=["component_type"],
    export_prefetch=["fits_models"],
))
def units_visible(units, user, query):
    """The serial registry is national and names each unit's owner: roles that span every center list
    it; a center-bound user finds units by an exact number (serial, card, invoice…), not by paging."""
    from aftersales.organization.scoping import spans_all_centers

    if spans_all_centers(user):
        return None
    search = registry_get("units").search
    return search(units, query) if query.strip() else units.none()


register(Resource(
    model=ProductUnit, slug="units",
    list_fields=["serial", "product_model", "status", "production_date", "sale_date", "dealer_name"],
    form_fields=["serial", "brand", "product_model", "production_date", "batch", "factory", "sale_invoice_no",
                 "delivery_note_no", "subscription_no", "dealer_code", "dealer_name", "sale_date"],
    # The owner changes through activation and hand-over (warranty), never by picking from every customer.
    detail_fields=["serial", "brand", "product_model", "status", "owner", "production_date", "batch", "factory",
                   "sale_invoice_no", "delivery_note_no", "subscription_no", "dealer_code", "dealer_name", "sale_date",
                   "created_at"],
    filter_fields=["status", "brand"], select_related=["product_model", "brand"],
    search=unit_search,
    visible=units_visible,
    children=[("events", ["occurred_at", "kind", "reference", "external_id"]),
              ("components", ["component_type", "serial", "fitted_on", "removed_on"])],
))
register(Resource(
    model=ModelPrice, slug="model-prices",
    list_fields=["product_model", "effective_on", "price"], form_fields=["product_model", "effective_on", "price"],
    filter_fields=["product_model"], select_related=["product_model"],
))
register(Resource(
    model=ServiceItem, slug="services",
    list_fields=["title", "code", "category", "service_type", "product_group", "standard_minutes", "labour_price",
                 "covered_by_warranty"],
    form_fields=["code", "title", "category", "service_type", "product_group", "standard_minutes", "labour_price",
                 "covered_by_warranty", "is_free_periodic", "is_active"],
    filter_fields=["service_type", "product_group", "covered_by_warranty", "is_free_periodic", "is_active"],
    select_related=["product_group"],
))
register(Resource(
    model=FaultCode, slug="fault-codes",
    list_fields=["title", "code", "parent", "product_group"],
    form_fields=["code", "title", "parent", "product_group", "is_active"],
    filter_fields=["product_group", "is_active"], select_related=["parent", "product_group"],
    children=[("children", ["code", "title"])],
))
