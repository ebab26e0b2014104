from django.contrib import admin

from aftersales.core.admin import AuditedAdmin, JalaliAdminMixin
from aftersales.organization.scoping import CenterScopedAdminMixin

from .models import Complaint, Survey


@admin.register(Complaint)
class ComplaintAdmin(CenterScopedAdminMixin, AuditedAdmin):
    list_display = ["number", "kind", "category", "channel", "status", "name", "mobile", "created_at"]
    list_filter = ["status", "kind", "category", "channel"]
    search_fields = ["number", "name", "mobile", "email", "serial", "text"]
    raw_id_fields = ["customer", "unit", "inbound"]


@admin.register(Survey)
class SurveyAdmin(CenterScopedAdminMixin, JalaliAdminMixin, admin.ModelAdmin):
    list_display = ["mobile", "center", "technician", "product_model", "created_at", "score", "recommend", "answered_at"]
    list_filter = ["center"]
    readonly_fields = ["token", "score", "recommend", "comment", "answered_at"]
    raw_id_fields = ["customer", "technician", "product_model"]
