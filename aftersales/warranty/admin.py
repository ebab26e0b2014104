from django.contrib import admin

from aftersales.core.admin import AuditedAdmin, SafeInline

from .models import ComponentTerm, ModelWarranty, PeriodicService, PolicyVersion, WarrantyCard, WarrantyPolicy, WarrantyVoid


class VersionInline(SafeInline):
    model = PolicyVersion
    extra = 0
    fields = ["effective_from", "duration_months", "start_event", "grace_months", "requires_activation", "free_periodic_services"]
    show_change_link = True


@admin.register(WarrantyPolicy)
class WarrantyPolicyAdmin(AuditedAdmin):
    list_display = ["name", "code", "is_active"]
    search_fields = ["search_text"]
    inlines = [VersionInline]


class ComponentTermInline(SafeInline):
    model = ComponentTerm
    extra = 0


@admin.register(PolicyVersion)
class PolicyVersionAdmin(AuditedAdmin):
    list_display = ["policy", "effective_from", "duration_months", "start_event", "requires_activation"]
    list_filter = ["policy"]
    inlines = [ComponentTermInline]


@admin.register(ModelWarranty)
class ModelWarrantyAdmin(AuditedAdmin):
    list_display = ["product_model", "policy"]
    list_filter = ["policy"]


@admin.register(WarrantyCard)
class WarrantyCardAdmin(AuditedAdmin):
    list_display = ["number", "unit", "status", "purchase_date", "activated_at", "channel"]
    list_filter = ["status", "channel"]
    search_fields = ["=number"]
    raw_id_fields = ["unit"]
    readonly_fields = ["number", "status", "policy_version", "activated_at", "activated_by", "channel"]


@admin.register(WarrantyVoid)
class WarrantyVoidAdmin(AuditedAdmin):
    list_display = ["unit", "component_type", "reason", "voided_on", "voided_by"]
    list_filter = ["reason"]
    raw_id_fields = ["unit"]


@admin.register(PeriodicService)
class PeriodicServiceAdmin(AuditedAdmin):
    list_display = ["unit", "sequence", "due_on", "is_free", "done_on"]
    raw_id_fields = ["unit"]
