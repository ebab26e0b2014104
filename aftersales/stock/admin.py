from django.contrib import admin

from aftersales.core.admin import AuditedAdmin, SafeModelAdmin

from .models import StockLevel, StockMove, Warehouse


@admin.register(Warehouse)
class WarehouseAdmin(AuditedAdmin):
    list_display = ["name", "code", "center", "is_active"]
    list_filter = ["center", "is_active"]
    filter_horizontal = ["keepers"]


@admin.register(StockLevel)
class StockLevelAdmin(SafeModelAdmin):
    """Read-only: levels change only through movements (the warehouse desk at /stock/)."""

    list_display = ["spare_part", "warehouse", "quantity", "minimum", "value"]
    list_filter = ["warehouse"]
    search_fields = ["spare_part__search_text"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(StockMove)
class StockMoveAdmin(StockLevelAdmin):
    list_display = ["at", "warehouse", "spare_part", "kind", "quantity", "balance", "value", "reference", "by"]
    list_filter = ["kind", "warehouse"]
