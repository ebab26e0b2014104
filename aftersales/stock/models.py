"""Warehouses, stock per warehouse and the ledger of every movement (F12, F34).

Stock is an integer quantity and an integer value in rials per (warehouse, part); the average cost is
value / quantity (moving average). Both columns carry CHECK constraints, so a bug or a race that would
take stock below zero fails in the database, not silently.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from aftersales.core.fields import NormalizedCharField


class Warehouse(models.Model):
    scope_center_field = "center"

    center = models.ForeignKey("organization.ServiceCenter", verbose_name=_("service center"), on_delete=models.PROTECT,
                               related_name="warehouses")
    code = models.SlugField(_("code"), max_length=40)
    name = NormalizedCharField(_("name"), max_length=120)
    keepers = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("warehouse keepers"), blank=True,
                                     related_name="warehouses")
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("warehouse")
        verbose_name_plural = _("warehouses")
        ordering = ["center", "name"]
        constraints = [models.UniqueConstraint(fields=["center", "code"], name="stock_warehouse_code_unique")]

    def __str__(self):
        return f"{self.name} ({self.center})" if self.center_id else self.name


class StockLevel(models.Model):
    """What one warehouse holds of one part, its value, and the level below which it is short."""

    scope_center_field = "warehouse__center"

    warehouse = models.ForeignKey(Warehouse, verbose_name=_("warehouse"), on_delete=models.PROTECT, related_name="levels")
    spare_part = models.ForeignKey("catalog.SparePart", verbose_name=_("spare part"), on_delete=models.PROTECT,
                                   related_name="stock_levels")
    quantity = models.IntegerField(_("in stock"), default=0)
    value = models.BigIntegerField(_("value (rials)"), default=0)
    minimum = models.PositiveIntegerField(_("minimum level"), default=0,
                                          help_text=_("Below this the part is on the shortage list."))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("stock level")
        verbose_name_plural = _("stock levels")
        ordering = ["warehouse", "spare_part"]
        constraints = [
            models.UniqueConstraint(fields=["warehouse", "spare_part"], name="stock_level_unique"),
            models.CheckConstraint(condition=models.Q(quantity__gte=0), name="stock_level_never_negative"),
            models.CheckConstraint(condition=models.Q(value__gte=0), name="stock_value_never_negative"),
        ]

    def __str__(self):
        return f"{self.spare_part} @ {self.warehouse}: {self.quantity}"

    @property
    def average_cost(self) -> int:
        return self.value // self.quantity if self.quantity else 0

    @property
    def is_short(self) -> bool:
        return self.quantity < self.minimum


class StockMove(models.Model):
    """One movement in or out of a warehouse; never changed once written (the stock ledger)."""

    class Kind(models.TextChoices):
        RECEIPT = "receipt", _("receipt")
        ISSUE = "issue", _("issue to a repair order")
        RETURN = "return", _("return from a repair order")
        TRANSFER_OUT = "transfer_out", _("transfer out")
        TRANSFER_IN = "transfer_in", _("transfer in")
        ADJUSTMENT = "adjustment", _("adjustment")

    scope_center_field = "warehouse__center"

    warehouse = models.ForeignKey(Warehouse, verbose_name=_("warehouse"), on_delete=models.PROTECT, related_name="moves")
    spare_part = models.ForeignKey("catalog.SparePart", verbose_name=_("spare part"), on_delete=models.PROTECT,
                                   related_name="stock_moves")
    kind = models.CharField(_("movement"), max_length=14, choices=Kind.choices)
    quantity = models.IntegerField(_("quantity"), help_text=_("Positive in, negative out."))
    unit_cost = models.BigIntegerField(_("unit cost (rials)"), default=0)
    value = models.BigIntegerField(_("value (rials)"), default=0)
    balance = models.IntegerField(_("balance after"))
    reference = models.CharField(_("reference"), max_length=80, blank=True,
                                 help_text=_("The order, delivery or transfer this movement belongs to."))
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.SET_NULL, null=True,
                           related_name="+")
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("stock movement")
        verbose_name_plural = _("stock movements")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["warehouse", "spare_part", "at"], name="stock_move_ledger_idx"),
                   models.Index(fields=["reference"], name="stock_move_reference_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.spare_part_id} × {self.quantity}"
