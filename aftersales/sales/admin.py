"""Sales in the admin, scoped to the user's centers like the rest of the product.

Documents and receipts are written only through the services (numbering, prices, VAT, what is owed):
the admin shows them and never changes them. VAT rates are the one thing administrators edit here.
"""

from django.contrib import admin

from aftersales.core.admin import AuditedAdmin, SafeInline, SafeModelAdmin

from .models import Receipt, SalesDocument, SalesLine, VatRate


class ReadOnlyAdminMixin:
    """Shown, searched and filtered; added, changed and deleted only through the sales services."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(VatRate)
class VatRateAdmin(AuditedAdmin):
    list_display = ["effective_on", "percent"]


class SalesLineInline(ReadOnlyAdminMixin, SafeInline):
    model = SalesLine
    fk_name = "document"
    extra = 0
    fields = ["product_model", "product_group", "description", "quantity", "unit_price", "discount", "amount"]
    readonly_fields = fields


@admin.register(SalesDocument)
class SalesDocumentAdmin(ReadOnlyAdminMixin, SafeModelAdmin):
    list_display = ["number", "kind", "source", "center", "customer", "issued_on", "total"]
    list_filter = ["kind", "source", "center"]
    search_fields = ["number", "customer__search_text"]
    list_select_related = ["center", "customer"]
    raw_id_fields = ["customer", "agent", "contract", "proforma", "credit_of"]
    inlines = [SalesLineInline]


@admin.register(Receipt)
class ReceiptAdmin(ReadOnlyAdminMixin, AuditedAdmin):
    list_display = ["received_on", "method", "amount", "center", "customer", "document", "is_void"]
    list_filter = ["method", "is_void", "center"]
    search_fields = ["reference", "customer__search_text"]
    list_select_related = ["center", "customer", "document"]
    raw_id_fields = ["customer", "document", "instalment", "cheque"]
