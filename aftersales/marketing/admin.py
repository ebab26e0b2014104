from django.contrib import admin

from aftersales.core.admin import AuditedAdmin

from .models import Campaign, Contact


@admin.register(Campaign)
class CampaignAdmin(AuditedAdmin):
    list_display = ["name", "audience", "repeat", "send_at", "status", "recipients", "skipped"]
    list_filter = ["status", "audience", "repeat"]
    readonly_fields = ["status", "last_run_on", "recipients", "skipped"]


@admin.register(Contact)
class ContactAdmin(AuditedAdmin):
    list_display = ["customer", "kind", "occurred_at", "logged_by"]
    list_filter = ["kind"]
    raw_id_fields = ["customer"]
