"""Admin integration of the Persian core: Jalali input and display for every date field."""

from django.contrib import admin
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from . import jalali
from .forms import JALALI_FORMFIELD_OVERRIDES
from .models import DocumentSequence


def jalali_column(field):
    """An admin column (or read-only field) that shows a date field in Jalali."""
    is_datetime = isinstance(field, models.DateTimeField)

    @admin.display(description=field.verbose_name, ordering=field.name)
    def column(obj):
        value = getattr(obj, field.name)
        return jalali.format_datetime(value) if is_datetime else jalali.format_date(value)

    column.__name__ = f"{field.name}_jalali"
    return column


class JalaliAdminMixin:
    """Show (in lists) and take (in forms) dates in Jalali; dates stay Gregorian in the database.

    A read-only date field in a form needs a display method that calls ``jalali.format_datetime``.
    """

    formfield_overrides = JALALI_FORMFIELD_OVERRIDES

    def _with_jalali_dates(self, names):
        date_fields = {
            f.name: f for f in self.model._meta.get_fields() if isinstance(f, (models.DateField,))
        }
        return [jalali_column(date_fields[name]) if name in date_fields else name for name in names]

    def get_list_display(self, request):
        return self._with_jalali_dates(super().get_list_display(request))


class AuditedAdmin(JalaliAdminMixin, SimpleHistoryAdmin):
    """The base of every business ModelAdmin: Jalali dates and the audit history."""


@admin.register(DocumentSequence)
class DocumentSequenceAdmin(JalaliAdminMixin, admin.ModelAdmin):
    list_display = ["scope", "document_type", "jalali_year", "last_number"]
    list_filter = ["document_type", "jalali_year"]
    search_fields = ["scope"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
