"""Marketing communication: group sends and occasions (F55) and the log of every contact with a customer."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Campaign(models.Model):
    """A send of one template to an audience: once, at a set time, or again every day or year."""

    class Audience(models.TextChoices):
        ALL = "all", _("every customer")
        GROUP = "group", _("a customer group")
        BIRTHDAY = "birthday", _("customers whose birthday is today (Jalali)")
        WARRANTY_ENDING = "warranty_ending", _("owners whose warranty ends in N days")

    class Repeat(models.TextChoices):
        ONCE = "once", _("once")
        DAILY = "daily", _("every day")
        YEARLY = "yearly", _("every year on the same Jalali day")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SCHEDULED = "scheduled", _("scheduled")
        SENDING = "sending", _("sending")
        DONE = "done", _("done")
        CANCELLED = "cancelled", _("cancelled")

    name = models.CharField(_("name"), max_length=120)
    template = models.ForeignKey("messaging.MessageTemplate", verbose_name=_("template"), on_delete=models.PROTECT,
                                 related_name="+")
    audience = models.CharField(_("audience"), max_length=16, choices=Audience.choices, default=Audience.GROUP)
    group = models.ForeignKey("customers.CustomerGroup", verbose_name=_("customer group"), on_delete=models.PROTECT,
                              null=True, blank=True, related_name="+")
    province = models.ForeignKey("regions.Region", verbose_name=_("province"), on_delete=models.PROTECT, null=True,
                                 blank=True, related_name="+", limit_choices_to={"kind": "province"},
                                 help_text=_("Only customers with an address in this province."))
    product_group = models.ForeignKey("catalog.ProductGroup", verbose_name=_("owners of"), on_delete=models.PROTECT,
                                      null=True, blank=True, related_name="+",
                                      help_text=_("Only customers who own a product of this group."))
    days_before = models.PositiveSmallIntegerField(_("days before"), default=30)
    repeat = models.CharField(_("repeat"), max_length=8, choices=Repeat.choices, default=Repeat.ONCE)
    send_at = models.DateTimeField(_("send at"), default=timezone.now)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    last_run_on = models.DateField(_("last sent on"), null=True, blank=True)
    recipients = models.PositiveIntegerField(_("recipients"), default=0)
    skipped = models.PositiveIntegerField(_("skipped (opted out or no valid address)"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.SET_NULL,
                                   null=True, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-created_at"]

    def __str__(self):
        return self.name

    @property
    def ref(self) -> str:
        return f"marketing.campaign:{self.pk}"


class Contact(models.Model):
    """A phone call, visit or note with a customer, logged by staff (the communication log)."""

    # Seen by the colleagues of the centers of whoever logged it (and by roles that span every center).
    scope_center_field = "logged_by__centers"

    class Kind(models.TextChoices):
        CALL_IN = "call_in", _("incoming call")
        CALL_OUT = "call_out", _("outgoing call")
        VISIT = "visit", _("in person")
        NOTE = "note", _("note")

    customer = models.ForeignKey("customers.Customer", verbose_name=_("customer"), on_delete=models.CASCADE,
                                 related_name="contacts_logged")
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.CALL_IN)
    notes = models.TextField(_("notes"))
    occurred_at = models.DateTimeField(_("when"), default=timezone.now)
    logged_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("logged by"), on_delete=models.SET_NULL,
                                  null=True, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("customer contact")
        verbose_name_plural = _("customer contacts")
        ordering = ["-occurred_at"]
        indexes = [models.Index(fields=["customer", "-occurred_at"], name="marketing_contact_customer_idx")]

    def __str__(self):
        return f"{self.customer} · {self.get_kind_display()}"
