from django.contrib import admin

from aftersales.core.admin import AuditedAdmin, SafeModelAdmin

from .models import Complaint, Survey


@admin.register(Complaint)
class ComplaintAdmin(AuditedAdmin):
    list_display = ["number", "kind", "category", "channel", "status", "name", "mobile", "created_at"]
    list_filter = ["status", "kind", "category", "channel"]
    search_fields = ["number", "name", "mobile", "email", "serial", "text"]
    raw_id_fields = ["customer", "unit", "inbound"]


@admin.register(Survey)
class SurveyAdmin(SafeModelAdmin):
    list_display = ["mobile", "center", "technician", "product_model", "created_at", "score", "recommend", "answered_at"]
    list_filter = ["center"]
    exclude = ["token"]  # the survey link is the customer's secret
    readonly_fields = ["score", "recommend", "comment", "answered_at"]
    raw_id_fields = ["customer", "technician", "product_model"]
