from django.contrib import admin

from aftersales.core.admin import AuditedAdmin

from .models import Region, SalesTerritory


@admin.register(Region)
class RegionAdmin(AuditedAdmin):
    list_display = ["name", "kind", "parent", "code", "area_code", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["search_text", "code"]
    autocomplete_fields = ["parent"]


@admin.register(SalesTerritory)
class SalesTerritoryAdmin(AuditedAdmin):
    list_display = ["name", "code", "is_active"]
    search_fields = ["search_text", "code"]
    filter_horizontal = ["regions", "centers", "visitors"]
