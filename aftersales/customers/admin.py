from django.contrib import admin

from aftersales.core.admin import AuditedAdmin, SafeInline

from .models import ContactPerson, Customer, CustomerAddress, CustomerGroup, CustomerPhone


class PhoneInline(SafeInline):
    model = CustomerPhone
    extra = 0


class AddressInline(SafeInline):
    model = CustomerAddress
    extra = 0
    autocomplete_fields = ["region"]


class ContactInline(SafeInline):
    model = ContactPerson
    extra = 0


@admin.register(Customer)
class CustomerAdmin(AuditedAdmin):
    list_display = ["__str__", "kind", "mobile", "national_code", "legal_national_id", "created_at"]
    list_filter = ["kind", "groups"]
    search_fields = ["search_text"]
    filter_horizontal = ["groups"]
    inlines = [PhoneInline, AddressInline, ContactInline]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(merged_into__isnull=True)

    def get_search_results(self, request, queryset, search_term):
        from aftersales.core.search import search_filter

        from .desk import customers_visible

        restricted = customers_visible(queryset, request.user, search_term)  # the national list: see desk.py
        if restricted is not None:
            return restricted, False
        return search_filter(queryset, search_term), False

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        form.instance.save()  # the search text learns the phones just saved


@admin.register(CustomerGroup)
class CustomerGroupAdmin(AuditedAdmin):
    list_display = ["name", "code"]
    search_fields = ["search_text"]
