"""Marketing communication: group sends and occasions (F55) and the log of every contact with a customer."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


#: The customer's values a campaign's message may use (``{customer_name}``…): the send fills these alone.
CAMPAIGN_VARIABLES = ("customer_name", "mobile", "date", "link")


class Campaign(models.Model):
    """A send to an audience, once, at a set time, or again every day or year: either a marketing
    template's text or the campaign's own text (exactly one of them), by SMS for the latter."""

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
                                 related_name="+", null=True, blank=True,
                                 help_text=_("A marketing template; or leave it empty and write the text below."))
    body = models.TextField(_("text"), blank=True,
                            help_text=_("The campaign's own SMS text, instead of a template. The customer's values "
                                        "in braces: {customer_name}, {mobile}, {date}, {link}."))
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
        constraints = [
            models.CheckConstraint(
                name="marketing_campaign_text_or_template",
                condition=(models.Q(template__isnull=False, body="")
                           | (models.Q(template__isnull=True) & ~models.Q(body=""))),
                violation_error_message=_("Write the campaign's text or choose a template, not both."),
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        from aftersales.messaging.templating import names_in

        self.body = (self.body or "").strip()
        if bool(self.body) == bool(self.template_id):
            raise ValidationError({"body": _("Write the campaign's text or choose a template, not both.")})
        if self.template_id and self.template.kind != "marketing":
            raise ValidationError({"template": _("A campaign sends marketing templates only; this one is a service "
                                                 "message.")})
        unknown = [name for name in names_in(self.body) if name not in CAMPAIGN_VARIABLES]
        if unknown:
            raise ValidationError({"body": _("A campaign cannot fill %(names)s; use %(allowed)s.") % {
                "names": "، ".join("{%s}" % name for name in unknown),
                "allowed": "، ".join("{%s}" % name for name in CAMPAIGN_VARIABLES)}})

    @property
    def ref(self) -> str:
        return f"marketing.campaign:{self.pk}"

    @property
    def channel(self) -> str:
        return self.template.channel if self.template_id else "sms"

    def message_template(self):
        """The template the messages are written from: the chosen one, or an unsaved one of the campaign's text."""
        if self.template_id:
            return self.template
        from aftersales.messaging.models import MessageTemplate

        return MessageTemplate(code="", name=self.name, channel="sms", kind="marketing", body=self.body)


class Contact(models.Model):
    """A phone call, visit or note with a customer, logged by staff (the communication log)."""

    # Seen by the colleagues of the centers of whoever logged it (and by roles that span every center).
    scope_center_field = "logged_by__centers"

    class Kind(models.TextChoices):
        CALL_IN = "call_in", _("incoming call")
        CALL_OUT = "call_out", _("outgoing call")
        VISIT = "visit", _("in person")
        NOTE = "note", _("note")

    class Outcome(models.TextChoices):
        POSITIVE = "positive", _("positive")
        NEUTRAL = "neutral", _("neutral")
        NEGATIVE = "negative", _("negative")
        NO_ANSWER = "no_answer", _("not reached")

    customer = models.ForeignKey("customers.Customer", verbose_name=_("customer"), on_delete=models.CASCADE,
                                 related_name="contacts_logged")
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.CALL_IN)
    notes = models.TextField(_("notes"))
    occurred_at = models.DateTimeField(_("when"), default=timezone.now)
    logged_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("logged by"), on_delete=models.SET_NULL,
                                  null=True, related_name="+")
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, blank=True)
    next_step = models.CharField(_("next step"), max_length=200, blank=True)
    next_step_date = models.DateField(_("next step on"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("customer contact")
        verbose_name_plural = _("customer contacts")
        ordering = ["-occurred_at"]
        # The contact-time panel reads a party's latest contacts newest first (ties by id): an index in that
        # order reads ten rows, not the party's whole history.
        indexes = [models.Index(fields=["customer", "-occurred_at", "-id"], name="marketing_contact_customer_idx"),
                   models.Index(fields=["logged_by", "occurred_at"], name="marketing_contact_logger_idx")]

    def __str__(self):
        return f"{self.customer} · {self.get_kind_display()}"
