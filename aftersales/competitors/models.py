"""Competitors, their products mapped to ours, and dated price observations (F03)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from aftersales.core.fields import NormalizedCharField
from aftersales.core.models import SearchableModel


class Competitor(SearchableModel):
    search_fields = ("code", "name", "brand_names")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = NormalizedCharField(_("name"), max_length=150)
    brand_names = NormalizedCharField(_("brands"), max_length=200, blank=True)
    website = models.CharField(_("website"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords(excluded_fields=["search_text"])

    class Meta:
        verbose_name = _("competitor")
        verbose_name_plural = _("competitors")
        ordering = ["name"]

    def __str__(self):
        return self.name


class CompetitorProduct(SearchableModel):
    search_fields = ("code", "name", "competitor_name")
    field_labels = {"competitor_name": _("competitor")}

    competitor = models.ForeignKey(Competitor, verbose_name=_("competitor"), on_delete=models.CASCADE, related_name="products")
    code = models.CharField(_("model code"), max_length=60)
    name = NormalizedCharField(_("name"), max_length=200)
    our_model = models.ForeignKey(
        "catalog.ProductModel", verbose_name=_("our comparable model"), on_delete=models.SET_NULL, null=True,
        blank=True, related_name="competing_products",
    )
    history = HistoricalRecords(excluded_fields=["search_text"])

    class Meta:
        verbose_name = _("competitor product")
        verbose_name_plural = _("competitor products")
        ordering = ["competitor__name", "code"]
        constraints = [models.UniqueConstraint(fields=["competitor", "code"], name="competitors_product_code_unique")]

    def __str__(self):
        return f"{self.competitor.name} {self.name}"

    @property
    def competitor_name(self) -> str:
        return self.competitor.name if self.competitor_id else ""


class PriceObservation(models.Model):
    """A price seen on a date in a region, from a source (shop visit, website, dealer)."""

    class Source(models.TextChoices):
        SHOP = "shop", _("shop visit")
        WEBSITE = "website", _("website")
        DEALER = "dealer", _("dealer")
        CATALOGUE = "catalogue", _("price list")

    product = models.ForeignKey(CompetitorProduct, verbose_name=_("competitor product"), on_delete=models.CASCADE, related_name="prices")
    observed_on = models.DateField(_("observed on"))
    price = models.PositiveBigIntegerField(_("price (rials)"))
    region = models.ForeignKey("regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.SHOP)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("price observation")
        verbose_name_plural = _("price observations")
        ordering = ["-observed_on", "-pk"]
        indexes = [models.Index(fields=["product", "observed_on"], name="competitors_price_idx")]

    def __str__(self):
        from aftersales.core.jalali import format_date

        return f"{self.product} · {format_date(self.observed_on)}"
