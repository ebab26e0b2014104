"""Admin integration of the core: row scoping, read-only history and Jalali dates on every admin page."""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin

from . import jalali, rowscope
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


class ScopedRelatedFieldListFilter(admin.RelatedFieldListFilter):
    """A change list's filter by a related record offers only the records the user may see."""

    def field_choices(self, field, request, model_admin):
        related = rowscope.scoped(field.related_model._default_manager.all(), request.user)
        ordering = self.field_admin_ordering(field, request, model_admin)
        if ordering:
            related = related.order_by(*ordering)
        return [(obj.pk, str(obj)) for obj in related]


class ScopedAdminMixin:
    """Every admin page (change list, change form, autocomplete, filters, history, inlines) sees only
    the rows of the user's centers, and every related-record choice is limited the same way, so an
    id of another center's record posted in a form is refused as an invalid choice.

    Every ModelAdmin and inline of the product includes it (a test checks the admin registry).
    """

    def get_queryset(self, request):
        return rowscope.scoped(super().get_queryset(request), request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and hasattr(field, "queryset") and rowscope.is_scoped(field.queryset.model):
            field.queryset = rowscope.scoped(field.queryset, request.user)
        return field

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if field is not None and hasattr(field, "queryset") and rowscope.is_scoped(field.queryset.model):
            field.queryset = rowscope.scoped(field.queryset, request.user)
        return field

    def get_list_filter(self, request):
        filters = []
        for item in super().get_list_filter(request):
            if isinstance(item, str) and "__" not in item:
                field = self.model._meta.get_field(item)
                if field.is_relation and rowscope.is_scoped(field.related_model):
                    item = (item, ScopedRelatedFieldListFilter)
            filters.append(item)
        return filters


class SearchKeyAdminMixin:
    """Admin search takes the term as the product's own search does: ZWNJ as a space, ي/ك and
    Persian digits folded (``persian.search_key``), so «محمد‌رضا» finds what the search text holds."""

    def get_search_results(self, request, queryset, search_term):
        from .persian import search_key

        return super().get_search_results(request, queryset, search_key(search_term))


class ReadOnlyHistoryMixin:
    """django-simple-history's pages, made safe: the history of a record and each past version open only
    for a user who may see that record today (its center included), and a past version is shown, never
    saved — reverting through the admin would bypass the services' rules and permission checks.
    """

    def _visible_or_404(self, request, object_id):
        pk = unquote(object_id)
        obj = self.get_queryset(request).filter(pk=pk).first()
        if obj is None:
            # A deleted record's history stays for superusers; a record out of the user's scope is unknown.
            exists = self.model._default_manager.filter(pk=pk).exists()
            if exists or not request.user.is_superuser:
                raise Http404
            return None
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        return obj

    def history_view(self, request, object_id, extra_context=None):
        self._visible_or_404(request, object_id)
        return super().history_view(request, object_id, extra_context=extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method not in ("GET", "HEAD"):
            raise PermissionDenied
        self._visible_or_404(request, object_id)
        request._history_read_only = True
        return super().history_form_view(request, object_id, version_id, extra_context=extra_context)

    #: Fields a past version never shows (a password hash is nobody's business).
    history_hidden_fields = ("password",)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if getattr(request, "_history_read_only", False):
            opts = self.model._meta
            readonly += [field.name for field in [*opts.fields, *opts.many_to_many] if field.editable]
        return list(dict.fromkeys(readonly))

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if not getattr(request, "_history_read_only", False):
            return fieldsets
        hidden = set(self.history_hidden_fields)
        return [(title, {**options, "fields": [name for name in _flatten(options.get("fields", ())) if name not in hidden]})
                for title, options in fieldsets]

    def revert_disabled(self, request, obj=None):
        return True


def _flatten(fields):
    for item in fields:
        if isinstance(item, (list, tuple)):
            yield from item
        else:
            yield item


class SafeModelAdmin(ScopedAdminMixin, SearchKeyAdminMixin, JalaliAdminMixin, admin.ModelAdmin):
    """The base of a ModelAdmin without history."""


class SafeInline(ScopedAdminMixin, JalaliAdminMixin, admin.TabularInline):
    """The base of every inline."""


class SafeStackedInline(ScopedAdminMixin, JalaliAdminMixin, admin.StackedInline):
    """The base of every stacked inline."""


class AuditedAdmin(ScopedAdminMixin, ReadOnlyHistoryMixin, SearchKeyAdminMixin, JalaliAdminMixin,
                   SimpleHistoryAdmin):
    """The base of every business ModelAdmin: row scoping, Jalali dates and the read-only audit history."""


@admin.register(DocumentSequence)
class DocumentSequenceAdmin(SafeModelAdmin):
    list_display = ["scope", "document_type", "jalali_year", "last_number"]
    list_filter = ["document_type", "jalali_year"]
    search_fields = ["scope"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
