from django.contrib import admin

from aftersales.core.admin import AuditedAdmin, SafeInline

from .models import Skill, StaffProfile, StaffSkill


class StaffSkillInline(SafeInline):
    model = StaffSkill
    extra = 0


@admin.register(StaffProfile)
class StaffProfileAdmin(AuditedAdmin):
    list_display = ["__str__", "center", "specialty", "does_home_service", "hourly_rate", "is_active"]
    list_filter = ["center", "does_home_service", "is_active"]
    search_fields = ["search_text"]
    filter_horizontal = ["product_groups"]
    autocomplete_fields = ["user"]
    inlines = [StaffSkillInline]


@admin.register(Skill)
class SkillAdmin(AuditedAdmin):
    list_display = ["name", "code"]
    search_fields = ["search_text"]
    filter_horizontal = ["fault_codes"]
