"""The customer's voice: complaints and suggestions from every channel (F53) and satisfaction surveys (F60)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from aftersales.core.fields import IdentifierField


class Complaint(models.Model):
    """A complaint or suggestion, with who handles it and the answer sent back on its channel."""

    class Kind(models.TextChoices):
        COMPLAINT = "complaint", _("complaint")
        SUGGESTION = "suggestion", _("suggestion")
        PRAISE = "praise", _("praise")

    class Category(models.TextChoices):
        PRODUCT = "product", _("product quality")
        SERVICE = "service", _("repair or service quality")
        STAFF = "staff", _("staff behaviour")
        PRICE = "price", _("price or invoice")
        DELAY = "delay", _("delay")
        OTHER = "other", _("other")

    class Channel(models.TextChoices):
        WEB = "web", _("web form")
        SMS = "sms", _("SMS")
        EMAIL = "email", _("e-mail")
        PHONE = "phone", _("phone call")
        PORTAL = "portal", _("customer portal")

    class Status(models.TextChoices):
        NEW = "new", _("new")
        IN_PROGRESS = "in_progress", _("in progress")
        ANSWERED = "answered", _("answered")
        CLOSED = "closed", _("closed")

    scope_center_field = "center"
    number_scope = "feedback"  # one series of numbers for the whole network

    number = models.CharField(_("tracking number"), max_length=20, unique=True, editable=False)
    submission_key = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.COMPLAINT)
    category = models.CharField(_("category"), max_length=10, choices=Category.choices, default=Category.OTHER)
    channel = models.CharField(_("channel"), max_length=6, choices=Channel.choices, default=Channel.PHONE)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.NEW)
    customer = models.ForeignKey("customers.Customer", verbose_name=_("customer"), on_delete=models.SET_NULL,
                                 null=True, blank=True, related_name="complaints")
    name = models.CharField(_("name"), max_length=120, blank=True)
    mobile = IdentifierField(_("mobile"), kind="mobile", blank=True)  # typed with spaces, +98, Persian digits
    email = models.EmailField(_("e-mail"), blank=True)
    serial = models.CharField(_("serial"), max_length=40, blank=True)
    unit = models.ForeignKey("catalog.ProductUnit", verbose_name=_("unit"), on_delete=models.SET_NULL, null=True,
                             blank=True, related_name="+")
    center = models.ForeignKey("organization.ServiceCenter", verbose_name=_("service center"), on_delete=models.SET_NULL,
                               null=True, blank=True, related_name="+")
    repair_order = models.ForeignKey("repairs.RepairOrder", verbose_name=_("repair order"), on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="complaints",
                                     help_text=_("The repair order the complaint is about: one of the customer's."))
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    text = models.TextField(_("text"))
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("assignee"), on_delete=models.SET_NULL,
                                 null=True, blank=True, related_name="+")
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("answered by"), on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("received at"), default=timezone.now)
    inbound = models.ForeignKey("messaging.InboundMessage", verbose_name=_("received message"), on_delete=models.SET_NULL,
                                null=True, blank=True, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("complaint or suggestion")
        verbose_name_plural = _("complaints and suggestions")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "-created_at"], name="feedback_complaint_status_idx")]

    def __str__(self):
        return self.number

    def clean(self):
        if self.repair_order_id and self.customer_id and self.repair_order.customer_id != self.customer_id:
            raise ValidationError({"repair_order": _("This repair order is another customer's.")})

    def save(self, *args, **kwargs):
        self.clean()  # every path (desk form, API, services) keeps a complaint on its own customer's order
        if not self.number:
            # Written around ``complaint_receive`` (the admin's add form): numbered here. The service saves
            # under a provisional stand-in and takes the number as its last write instead (issue 21).
            from aftersales.core.numbering import next_document_number

            self.number = next_document_number(scope=self.number_scope, document_type="complaint")
        super().save(*args, **kwargs)


class Survey(models.Model):
    """A satisfaction survey sent after a service: one link, one answer."""

    scope_center_field = "center"

    token = models.CharField(_("token"), max_length=32, unique=True)
    customer = models.ForeignKey("customers.Customer", verbose_name=_("customer"), on_delete=models.SET_NULL,
                                 null=True, blank=True, related_name="surveys")
    mobile = models.CharField(_("mobile"), max_length=11)
    center = models.ForeignKey("organization.ServiceCenter", verbose_name=_("service center"), on_delete=models.SET_NULL,
                               null=True, blank=True, related_name="+")
    technician = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("technician"), on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    product_model = models.ForeignKey("catalog.ProductModel", verbose_name=_("product model"), on_delete=models.SET_NULL,
                                      null=True, blank=True, related_name="+")
    ref = models.CharField(_("about"), max_length=80, blank=True, db_index=True)
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    score = models.PositiveSmallIntegerField(_("satisfaction (1–5)"), null=True, blank=True,
                                             validators=[MinValueValidator(1), MaxValueValidator(5)])
    recommend = models.PositiveSmallIntegerField(_("would recommend (0–10)"), null=True, blank=True,
                                                 validators=[MinValueValidator(0), MaxValueValidator(10)])
    comment = models.TextField(_("comment"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("satisfaction survey")
        verbose_name_plural = _("satisfaction surveys")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["answered_at"], name="feedback_survey_answered_idx")]

    def __str__(self):
        from aftersales.core.jalali import format_date

        return f"{self.mobile} · {format_date(self.created_at)}"
