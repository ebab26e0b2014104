from django.contrib import admin

from aftersales.core.admin import AuditedAdmin, SafeModelAdmin

from .models import FailureAlert, SavedFilter, Subscription


@admin.register(SavedFilter)
class SavedFilterAdmin(AuditedAdmin):
    list_display = ("name", "report", "owner", "is_shared", "created_at")
    list_filter = ("report", "is_shared")
    readonly_fields = ("owner", "created_at")


@admin.register(Subscription)
class SubscriptionAdmin(AuditedAdmin):
    list_display = ("report", "email", "user", "frequency", "is_active", "last_sent_on")
    list_filter = ("report", "frequency", "is_active")
    readonly_fields = ("user", "created_at", "last_sent_on")


@admin.register(FailureAlert)
class FailureAlertAdmin(SafeModelAdmin):
    list_display = ("month", "scope", "product_model", "batch", "failures", "expected", "threshold")
    list_filter = ("month", "scope")
