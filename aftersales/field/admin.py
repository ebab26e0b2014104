"""Field marketing in the admin, scoped to the user's centers like the rest of the product.

Places, routes and plans are reference data an administrator may correct here; tours, check-ins and
expenses are written through the services (optimiser, offline keys, approval) and only shown.
"""

from django.contrib import admin

from aftersales.core.admin import AuditedAdmin, SafeInline, SafeModelAdmin

from .models import CheckIn, Place, Route, Target, TargetPlan, Tour, VisitExpense


class ReadOnlyAdminMixin:
    """Shown, searched and filtered; added, changed and deleted only through the field services."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class TargetInline(SafeInline):
    model = Target
    extra = 0
    raw_id_fields = ["marketer", "region", "territory"]


@admin.register(TargetPlan)
class TargetPlanAdmin(AuditedAdmin):
    list_display = ["name", "center", "start_date", "end_date"]
    list_filter = ["center"]
    search_fields = ["name"]
    inlines = [TargetInline]


@admin.register(Route)
class RouteAdmin(AuditedAdmin):
    list_display = ["name", "center", "territory", "is_active"]
    list_filter = ["center", "is_active"]
    search_fields = ["name"]


@admin.register(Place)
class PlaceAdmin(AuditedAdmin):
    list_display = ["__str__", "customer", "route", "latitude", "longitude", "opens_at", "closes_at"]
    list_filter = ["center", "route"]
    search_fields = ["name", "customer__search_text"]
    list_select_related = ["customer", "route"]
    raw_id_fields = ["customer", "address", "route"]


@admin.register(Tour)
class TourAdmin(ReadOnlyAdminMixin, AuditedAdmin):
    list_display = ["name", "marketer", "center", "start_date", "end_date", "status"]
    list_filter = ["status", "center"]
    search_fields = ["name"]


@admin.register(CheckIn)
class CheckInAdmin(ReadOnlyAdminMixin, SafeModelAdmin):
    list_display = ["stop", "user", "at", "received_at", "distance_m", "is_far"]
    list_filter = ["is_far"]
    list_select_related = ["stop__day__tour", "stop__customer", "user"]


@admin.register(VisitExpense)
class VisitExpenseAdmin(ReadOnlyAdminMixin, AuditedAdmin):
    list_display = ["spent_on", "marketer", "kind", "amount", "status", "center"]
    list_filter = ["status", "kind", "center"]
    list_select_related = ["marketer", "center"]
