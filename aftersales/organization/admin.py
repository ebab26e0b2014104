from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from aftersales.core import jalali
from aftersales.core.admin import (
    AuditedAdmin, JalaliAdminMixin, ReadOnlyHistoryMixin, SafeInline, SafeModelAdmin, ScopedAdminMixin,
)

from .models import CenterMembership, RoleProfile, ServiceCenter, User
from .scoping import spans_all_centers


class CenterMembershipInline(SafeInline):
    model = CenterMembership
    extra = 0
    autocomplete_fields = ["center"]
    fields = ["center", "joined"]
    readonly_fields = ["joined"]

    @admin.display(description=_("joined at"))
    def joined(self, membership):
        return jalali.format_datetime(membership.joined_at)


@admin.register(ServiceCenter)
class ServiceCenterAdmin(AuditedAdmin):
    list_display = ["code", "name", "province", "city", "phone", "is_active", "created_at"]
    list_filter = ["is_active", "province"]
    search_fields = ["search_text", "code"]
    autocomplete_fields = ["manager"]

    def get_search_results(self, request, queryset, search_term):
        from aftersales.core.search import search_filter

        return search_filter(queryset, search_term), False


@admin.register(User)
class UserAdmin(ScopedAdminMixin, ReadOnlyHistoryMixin, JalaliAdminMixin, SimpleHistoryAdmin, DjangoUserAdmin):
    inlines = [CenterMembershipInline]
    list_display = ["username", "first_name", "last_name", "mobile", "is_active", "last_login"]
    fieldsets = DjangoUserAdmin.fieldsets + ((_("Contact and identity"), {"fields": ("mobile", "national_code")}),)

    # Only a superuser grants superuser status or single permissions; nobody grants a role wider than
    # their own (a center manager cannot hand out a role that sees every center).
    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly += ["is_superuser", "user_permissions"]
        return readonly

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name == "groups" and field is not None and not spans_all_centers(request.user):
            field.queryset = field.queryset.exclude(role_profile__spans_all_centers=True)
        return field


@admin.register(RoleProfile)
class RoleProfileAdmin(SafeModelAdmin):
    list_display = ["group", "code", "spans_all_centers"]
    list_editable = ["spans_all_centers"]


def restrict_third_party_admins(site=admin.site) -> None:
    """Admin pages that other packages register (groups, API tokens, login attempts, 2FA devices) are
    for superusers only: they do not know the product's centers, and some show secrets (token keys).

    Called once the admin registry is complete (``OrganizationConfig.ready``).
    """
    for model_admin in site._registry.values():
        if type(model_admin).__module__.startswith("aftersales."):
            continue
        for name in ("has_module_permission", "has_view_permission", "has_add_permission",
                     "has_change_permission", "has_delete_permission"):
            original = getattr(model_admin, name)
            setattr(model_admin, name, _superuser_only(original))
        model_admin.superuser_only = True


def _superuser_only(check):
    def guarded(request, *args, **kwargs):
        return request.user.is_active and request.user.is_superuser and check(request, *args, **kwargs)

    return guarded
