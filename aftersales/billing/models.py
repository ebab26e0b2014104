"""Invoices, payments, credit notes, warranty claims and delivery documents (F14, F24, F28, F30, F32).

Amounts are integer rials. An issued invoice is never edited: ``Invoice.save`` refuses a second save,
and a mistake is corrected by a credit note. Each billable thing (an operation, a part line, a line
of a delivery document) may sit on one live invoice line only: ``InvoiceLine.billed_key`` is unique,
and a credit note clears the keys of the lines it reverses so they can be invoiced again.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aftersales.core.fields import NormalizedCharField


class Invoice(models.Model):
    class Kind(models.TextChoices):
        SERVICE = "service", _("service invoice")
        WARRANTY = "warranty", _("warranty invoice")
        CREDIT = "credit", _("credit note")

    scope_center_field = "center"

    center = models.ForeignKey("organization.ServiceCenter", verbose_name=_("service center"), on_delete=models.PROTECT,
                               related_name="invoices")
    number = models.CharField(_("invoice number"), max_length=30)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    customer = models.ForeignKey("customers.Customer", verbose_name=_("customer"), on_delete=models.PROTECT, null=True,
                                 blank=True, related_name="invoices")
    bill_to = NormalizedCharField(_("billed to"), max_length=200, blank=True,
                                  help_text=_("Who pays a warranty invoice (the manufacturer or warranty provider)."))
    period_start = models.DateField(_("period from"), null=True, blank=True)
    period_end = models.DateField(_("period to"), null=True, blank=True)
    subtotal = models.BigIntegerField(_("subtotal"), default=0)
    discount = models.BigIntegerField(_("discount"), default=0)
    vat_percent = models.PositiveSmallIntegerField(_("VAT %"), default=0)
    vat = models.BigIntegerField(_("VAT"), default=0)
    total = models.BigIntegerField(_("total"), default=0)
    note = models.CharField(_("note"), max_length=300, blank=True)
    credit_of = models.ForeignKey("self", verbose_name=_("credit note of"), on_delete=models.PROTECT, null=True,
                                  blank=True, related_name="credit_notes")
    delivery = models.ForeignKey("billing.DeliveryDocument", verbose_name=_("delivery document"),
                                 on_delete=models.PROTECT, null=True, blank=True, related_name="invoices")
    submission_key = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("issued by"), on_delete=models.SET_NULL,
                                  null=True, related_name="+")

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ["-issued_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["center", "number"], name="billing_invoice_number_unique")]
        permissions = [("credit_invoice", _("Can issue credit notes"))]
        indexes = [models.Index(fields=["customer", "issued_at"], name="billing_invoice_customer_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.number}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(_("An issued invoice cannot be changed; issue a credit note instead."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("An issued invoice cannot be deleted; issue a credit note instead."))

    @property
    def paid(self) -> int:
        return sum(payment.amount for payment in self.payments.all())

    @property
    def credited(self) -> int:
        return -sum(note.total for note in self.credit_notes.all())

    @property
    def owed(self) -> int:
        return max(self.total - self.credited - self.paid, 0) if self.kind == self.Kind.SERVICE else 0


class InvoiceLine(models.Model):
    class Kind(models.TextChoices):
        LABOUR = "labour", _("labour")
        PART = "part", _("part")
        TRANSPORT = "transport", _("transport")
        SERVICE = "service", _("service sold")

    invoice = models.ForeignKey(Invoice, verbose_name=_("invoice"), on_delete=models.CASCADE, related_name="lines")
    order = models.ForeignKey("repairs.RepairOrder", verbose_name=_("repair order"), on_delete=models.PROTECT,
                              null=True, blank=True, related_name="invoice_lines")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    description = models.CharField(_("description"), max_length=300)
    quantity = models.IntegerField(_("quantity"), default=1)
    unit_price = models.BigIntegerField(_("unit price"))
    amount = models.BigIntegerField(_("amount"))
    is_warranty = models.BooleanField(_("under warranty"), default=False)
    operation = models.ForeignKey("repairs.Operation", on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="invoice_lines")
    part_line = models.ForeignKey("repairs.PartLine", on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="invoice_lines")
    delivery_line = models.ForeignKey("billing.DeliveryLine", on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="+")
    billed_key = models.CharField(max_length=40, null=True, blank=True, unique=True, editable=False,
                                  help_text="What this line bills (operation:12, part:7…); cleared by a credit note.")

    class Meta:
        verbose_name = _("invoice line")
        verbose_name_plural = _("invoice lines")
        ordering = ["invoice", "pk"]

    def __str__(self):
        return self.description


class Payment(models.Model):
    class Method(models.TextChoices):
        CASH = "cash", _("cash")
        CARD = "card", _("card (POS)")
        TRANSFER = "transfer", _("bank transfer")

    scope_center_field = "invoice__center"

    invoice = models.ForeignKey(Invoice, verbose_name=_("invoice"), on_delete=models.PROTECT, related_name="payments")
    method = models.CharField(_("method"), max_length=10, choices=Method.choices)
    amount = models.BigIntegerField(_("amount"))
    reference = models.CharField(_("reference (card or transfer tracking number)"), max_length=60, blank=True)
    paid_at = models.DateTimeField(_("paid at"), default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("received by"), on_delete=models.SET_NULL, null=True,
                           related_name="+")
    submission_key = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["paid_at", "pk"]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="billing_payment_positive")]

    def __str__(self):
        return f"{self.get_method_display()} {self.amount}"


class WarrantyClaim(models.Model):
    """A center's warranty invoice sent to head office for reimbursement, and head office's review."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("submitted")
        REVIEWED = "reviewed", _("reviewed")

    scope_center_field = "invoice__center"

    invoice = models.OneToOneField(Invoice, verbose_name=_("warranty invoice"), on_delete=models.PROTECT,
                                   related_name="claim")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    approved_total = models.BigIntegerField(_("approved amount"), default=0)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reviewed by"), on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+")
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("warranty claim")
        verbose_name_plural = _("warranty claims")
        ordering = ["-invoice__issued_at"]
        permissions = [("review_warrantyclaim", _("Can review warranty claims (head office)"))]

    def __str__(self):
        return str(self.invoice)


class ClaimDecision(models.Model):
    class Decision(models.TextChoices):
        APPROVED = "approved", _("approved")
        ADJUSTED = "adjusted", _("adjusted")
        REJECTED = "rejected", _("rejected")

    claim = models.ForeignKey(WarrantyClaim, verbose_name=_("warranty claim"), on_delete=models.CASCADE,
                              related_name="decisions")
    line = models.OneToOneField(InvoiceLine, verbose_name=_("invoice line"), on_delete=models.PROTECT,
                                related_name="decision")
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    approved_amount = models.BigIntegerField(_("approved amount"), default=0)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    part_return_required = models.BooleanField(_("send the faulty part back for inspection"), default=False)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("decided by"), on_delete=models.SET_NULL,
                                   null=True, related_name="+")
    decided_at = models.DateTimeField(_("decided at"), default=timezone.now)

    class Meta:
        verbose_name = _("claim decision")
        verbose_name_plural = _("claim decisions")

    def __str__(self):
        return f"{self.line}: {self.get_decision_display()}"


class DeliveryDocument(models.Model):
    """A sales delivery from the warehouse system with installation or paid services sold (F30)."""

    scope_center_field = "center"

    center = models.ForeignKey("organization.ServiceCenter", verbose_name=_("service center"), on_delete=models.PROTECT,
                               related_name="deliveries")
    number = models.CharField(_("delivery number"), max_length=40)
    delivered_on = models.DateField(_("delivered on"))
    customer = models.ForeignKey("customers.Customer", verbose_name=_("customer"), on_delete=models.PROTECT,
                                 related_name="deliveries")
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("received by"), on_delete=models.SET_NULL,
                                    null=True, related_name="+")

    class Meta:
        verbose_name = _("delivery document")
        verbose_name_plural = _("delivery documents")
        ordering = ["-delivered_on", "-pk"]
        constraints = [models.UniqueConstraint(fields=["center", "number"], name="billing_delivery_number_unique")]

    def __str__(self):
        return self.number


class DeliveryLine(models.Model):
    delivery = models.ForeignKey(DeliveryDocument, verbose_name=_("delivery document"), on_delete=models.CASCADE,
                                 related_name="lines")
    service_item = models.ForeignKey("catalog.ServiceItem", verbose_name=_("service"), on_delete=models.PROTECT,
                                     related_name="+")
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    unit_price = models.BigIntegerField(_("unit price"))
    serial = models.CharField(_("serial"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("delivery line")
        verbose_name_plural = _("delivery lines")
        ordering = ["delivery", "pk"]
        constraints = [models.CheckConstraint(condition=models.Q(unit_price__gte=0), name="billing_delivery_price")]

    def __str__(self):
        return f"{self.service_item} × {self.quantity}"


class CenterBillingDay(models.Model):
    """One center's service billing on a Tehran day, kept by the billing services (``billing.tallies``):
    service invoices issued (net of their credit notes, on the credit note's day), payments taken, and
    for the service invoices issued that day and never credited their total and what has been paid on
    them since (what is still owed on a period's invoices is the difference)."""

    center = models.ForeignKey("organization.ServiceCenter", on_delete=models.CASCADE, related_name="+",
                               verbose_name=_("service center"))
    day = models.DateField(_("day"))
    invoiced = models.BigIntegerField(_("invoiced"), default=0)
    paid = models.BigIntegerField(_("paid"), default=0)
    standing_billed = models.BigIntegerField(_("billed on standing invoices"), default=0)
    standing_paid = models.BigIntegerField(_("paid on standing invoices"), default=0)

    class Meta:
        verbose_name = _("center's billing day")
        verbose_name_plural = _("centers' billing days")
        constraints = [models.UniqueConstraint(fields=["center", "day"], name="billing_center_day_unique")]
        indexes = [models.Index(fields=["day", "center"], name="billing_center_day_idx")]

    def __str__(self):
        return f"{self.center_id} · {self.day}"
