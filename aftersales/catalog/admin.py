from django.contrib import admin

from aftersales.core.admin import AuditedAdmin, SafeModelAdmin, SafeInline

from .models import (
    Brand, ComponentType, FaultCode, ModelComponent, ModelPrice, ProductGroup, ProductModel, ProductUnit, ServiceItem,
    SparePart, UnitComponent, UnitEvent,
)


@admin.register(ProductGroup)
class ProductGroupAdmin(AuditedAdmin):
    list_display = ["name", "code", "parent", "is_active"]
    search_fields = ["search_text", "code"]
    autocomplete_fields = ["parent"]


@admin.register(Brand, ComponentType)
class CodedAdmin(AuditedAdmin):
    list_display = ["name", "code"]
    search_fields = ["search_text", "code"]


class ModelComponentInline(SafeInline):
    model = ModelComponent
    extra = 0


class ModelPriceInline(SafeInline):
    model = ModelPrice
    extra = 0


@admin.register(ProductModel)
class ProductModelAdmin(AuditedAdmin):
    list_display = ["name", "code", "brand", "group", "is_active"]
    list_filter = ["brand", "group", "is_active"]
    search_fields = ["search_text", "code"]
    inlines = [ModelComponentInline, ModelPriceInline]


@admin.register(SparePart)
class SparePartAdmin(AuditedAdmin):
    list_display = ["name", "code", "unit", "price", "component_type", "is_active"]
    list_filter = ["unit", "component_type", "is_active"]
    search_fields = ["search_text", "code"]
    filter_horizontal = ["fits_models"]


class UnitEventInline(SafeInline):
    model = UnitEvent
    extra = 0
    fields = ["kind", "occurred_at", "reference", "external_id"]


class UnitComponentInline(SafeInline):
    model = UnitComponent
    extra = 0


@admin.register(ProductUnit)
class ProductUnitAdmin(SafeModelAdmin):
    list_display = ["serial", "product_model", "status", "production_date", "sale_date"]
    list_filter = ["status", "brand"]
    search_fields = ["=serial", "=sale_invoice_no", "=subscription_no"]  # exact: millions of rows
    raw_id_fields = ["product_model", "owner"]  # not a list of every customer
    inlines = [UnitComponentInline, UnitEventInline]
    show_full_result_count = False

    def get_search_results(self, request, queryset, search_term):
        from .selectors import unit_search

        return (unit_search(queryset, search_term), False) if search_term else (queryset, False)


@admin.register(ServiceItem)
class ServiceItemAdmin(AuditedAdmin):
    list_display = ["title", "code", "category", "service_type", "product_group", "standard_minutes", "labour_price"]
    list_filter = ["service_type", "product_group", "covered_by_warranty"]
    search_fields = ["search_text", "code"]


@admin.register(FaultCode)
class FaultCodeAdmin(AuditedAdmin):
    list_display = ["title", "code", "parent", "product_group"]
    search_fields = ["search_text", "code"]
    autocomplete_fields = ["parent"]
