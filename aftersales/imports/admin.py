from django.contrib import admin

from aftersales.core.admin import SafeModelAdmin

from .models import ImportJob


@admin.register(ImportJob)
class ImportJobAdmin(SafeModelAdmin):
    list_display = ["original_name", "kind", "status", "total_rows", "error_count", "created_by", "created_at"]
    list_filter = ["kind", "status"]
    readonly_fields = [f.name for f in ImportJob._meta.fields]

    def has_add_permission(self, request):
        return False
