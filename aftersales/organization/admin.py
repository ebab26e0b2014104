from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from aftersales.core import jalali
from aftersales.core.admin import AuditedAdmin, JalaliAdminMixin

from .models import CenterMembership, RoleProfile, ServiceCenter, User
from .scoping import CenterScopedAdminMixin, scope_queryset, spans_all_centers


class CenterMembershipInline(JalaliAdminMixin, admin.TabularInline):
    model = CenterMembership
    extra = 0
    autocomplete_fields = ["center"]
    fields = ["center", "joined"]
    readonly_fields = ["joined"]

    @admin.display(description=_("joined at"))
    def joined(self, membership):
        return jalali.format_datetime(membership.joined_at)


@admin.register(ServiceCenter)
class ServiceCenterAdmin(CenterScopedAdminMixin, AuditedAdmin):
    list_display = ["code", "name", "province", "city", "phone", "is_active", "created_at"]
    list_filter = ["is_active", "province"]
    search_fields = ["search_text", "code"]
    autocomplete_fields = ["manager"]

    def get_search_results(self, request, queryset, search_term):
        from aftersales.core.search import search_filter

        return search_filter(queryset, search_term), False


@admin.register(User)
class UserAdmin(JalaliAdminMixin, SimpleHistoryAdmin, DjangoUserAdmin):
    inlines = [CenterMembershipInline]
    list_display = ["username", "first_name", "last_name", "mobile", "is_active", "last_login"]
    fieldsets = DjangoUserAdmin.fieldsets + ((_("Contact and identity"), {"fields": ("mobile", "national_code")}),)

    def get_queryset(self, request):
        users = super().get_queryset(request)
        if spans_all_centers(request.user):
            return users
        centers = scope_queryset(ServiceCenter.objects.all(), request.user)
        return users.filter(centers__in=centers).distinct()


@admin.register(RoleProfile)
class RoleProfileAdmin(admin.ModelAdmin):
    list_display = ["group", "code", "spans_all_centers"]
    list_editable = ["spans_all_centers"]
