from django.contrib import admin

from aftersales.core.admin import AuditedAdmin, SafeInline

from .models import Competitor, CompetitorProduct, PriceObservation


@admin.register(Competitor)
class CompetitorAdmin(AuditedAdmin):
    list_display = ["name", "code", "brand_names"]
    search_fields = ["search_text"]


class PriceInline(SafeInline):
    model = PriceObservation
    extra = 0


@admin.register(CompetitorProduct)
class CompetitorProductAdmin(AuditedAdmin):
    list_display = ["name", "code", "competitor", "our_model"]
    list_filter = ["competitor"]
    search_fields = ["search_text"]
    inlines = [PriceInline]


@admin.register(PriceObservation)
class PriceObservationAdmin(AuditedAdmin):
    list_display = ["product", "observed_on", "price", "region", "source"]
    list_filter = ["source"]
