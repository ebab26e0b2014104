"""The outbox of SMS, e-mail and fax messages, their templates, the rules that send them and opt-outs."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Channel(models.TextChoices):
    SMS = "sms", _("SMS")
    EMAIL = "email", _("e-mail")
    FAX = "fax", _("fax")


class Kind(models.TextChoices):
    # Service messages (tracking codes, codes, results) go at any hour and to customers who opted out
    # of marketing; marketing messages respect quiet hours and opt-outs.
    SERVICE = "service", _("service")
    MARKETING = "marketing", _("marketing")


class Message(models.Model):
    """One message to one recipient, written in the transaction of the event that causes it.

    The worker claims it (``sending`` with a lease), hands it to the channel's backend and records the
    outcome. ``local_id`` (the primary key) goes to gateways that de-duplicate or can be asked about a
    message, so that a worker killed mid-send never sends it twice.

    Staff see a message through ``safe_body`` (secrets masked), and only the messages of their centers.
    """

    scope_center_field = "center"

    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        DELIVERED = "delivered", _("delivered")
        FAILED = "failed", _("failed")
        UNCERTAIN = "uncertain", _("uncertain (check the gateway's panel)")
        CANCELLED = "cancelled", _("cancelled")
        # A value the text needs was missing and the template says a person fills it in: edited in
        # the admin, then sent from there.
        HELD = "held", _("held for a person")

    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.SERVICE)
    to = models.CharField(_("recipient"), max_length=254)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(_("text"))
    html_body = models.TextField(_("HTML text"), blank=True)
    gateway_pattern = models.CharField(_("gateway pattern"), max_length=100, blank=True)
    pattern_params = models.JSONField(_("pattern parameters"), default=dict, blank=True)
    attachments = models.JSONField(_("attachments"), default=list, blank=True,
                                   help_text=_("Files under the media folder, sent with e-mail and fax."))
    event = models.CharField(_("event"), max_length=60, blank=True)
    template = models.ForeignKey(
        "messaging.MessageTemplate", verbose_name=_("template"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="messages",
    )
    idempotency_key = models.CharField(_("idempotency key"), max_length=120, null=True, blank=True, unique=True)
    customer_id = models.BigIntegerField(_("customer"), null=True, blank=True, db_index=True)
    ref = models.CharField(_("about"), max_length=80, blank=True, db_index=True,
                           help_text=_("The record this message is about, as app.model:id."))
    center = models.ForeignKey(
        "organization.ServiceCenter", verbose_name=_("service center"), on_delete=models.SET_NULL, null=True,
        blank=True, related_name="+",
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    lease_until = models.DateTimeField(_("lease until"), null=True, blank=True)
    backend = models.CharField(_("backend"), max_length=40, blank=True)
    provider_id = models.CharField(_("gateway's message id"), max_length=100, blank=True, db_index=True)
    cost = models.BigIntegerField(_("cost"), null=True, blank=True)
    error = models.TextField(_("last error"), blank=True)
    held_reason = models.CharField(_("why it is held"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="messaging_due_idx"),
            models.Index(fields=["to", "-created_at"], name="messaging_to_idx"),
        ]

    @property
    def safe_body(self) -> str:
        """The text with tracking codes, links and codes masked: what a staff page may show."""
        from .templating import redact

        return redact(self.body, self.pattern_params)

    def __str__(self):
        return f"{self.get_channel_display()} → {self.to}"

    @property
    def local_id(self) -> str:
        return str(self.pk)


class MessageTemplate(models.Model):
    """A message text with ``{variable}`` places, edited by administrators."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=120)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices, default=Channel.SMS)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.SERVICE)
    subject = models.CharField(_("subject"), max_length=200, blank=True, help_text=_("E-mail and fax only."))
    body = models.TextField(_("text"), help_text=_("Variables in braces, e.g. {customer_name}."))
    gateway_pattern = models.CharField(
        _("gateway pattern"), max_length=100, blank=True,
        help_text=_("The template name or id registered at the SMS gateway; service lines need it. "
                    "Its parameters are the variables of the text, in order."),
    )
    fallbacks = models.JSONField(
        _("when a value is missing"), default=dict, blank=True,
        help_text=_('Per variable, the text used when its value is missing, e.g. {"customer_name": "customer"}; '
                    '"" leaves it out, null holds the message until a person edits and sends it. '
                    "Variables not named here use their own fallback (shown in the preview)."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("message template")
        verbose_name_plural = _("message templates")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        from .templating import unknown_variables, variables

        unknown = unknown_variables(self.subject + " " + self.body)
        if unknown:
            raise ValidationError({"body": _("Unknown variables: %(names)s.") % {"names": "، ".join(sorted(unknown))}})
        fallbacks = self.fallbacks if isinstance(self.fallbacks, dict) else None
        if fallbacks is None or any(value is not None and not isinstance(value, str) for value in fallbacks.values()):
            raise ValidationError({"fallbacks": _('Write an object of variable names to texts (or null), e.g. '
                                                  '{"product": "device"}.')})
        unknown = set(fallbacks) - set(variables())
        if unknown:
            raise ValidationError({"fallbacks": _("Unknown variables: %(names)s.") % {"names": "، ".join(sorted(unknown))}})


class EventRule(models.Model):
    """When an event is announced, send this template to this recipient of the event."""

    event = models.CharField(_("event"), max_length=60, db_index=True)
    template = models.ForeignKey(MessageTemplate, verbose_name=_("template"), on_delete=models.PROTECT, related_name="rules")
    recipient = models.CharField(_("recipient"), max_length=30, default="customer",
                                 help_text=_("Who of the event receives it, e.g. customer or technician."))
    delay_minutes = models.PositiveIntegerField(_("delay (minutes)"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("event rule")
        verbose_name_plural = _("event rules")
        ordering = ["event", "id"]

    def __str__(self):
        return f"{self.event} → {self.template}"

    def clean(self):
        from .events import events

        if self.event and self.event not in events():
            raise ValidationError({"event": _("No such event.")})


class OptOut(models.Model):
    """An address that receives no marketing messages (service messages still go)."""

    class Source(models.TextChoices):
        SMS_REPLY = "sms_reply", _("SMS reply")
        STAFF = "staff", _("by staff")
        LINK = "link", _("unsubscribe link")
        PORTAL = "portal", _("customer portal")

    address = models.CharField(_("address"), max_length=254, unique=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.STAFF)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    # An opt-out can be taken back (on the portal): who added and removed it, and when, stays here.
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("opt-out")
        verbose_name_plural = _("opt-outs")

    def __str__(self):
        return self.address


class InboundMessage(models.Model):
    """A message received from a customer (or anyone): kept even from unknown numbers."""

    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices, default=Channel.SMS)
    sender = models.CharField(_("sender"), max_length=254)
    line = models.CharField(_("line"), max_length=40, blank=True)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(_("text"))
    provider_id = models.CharField(_("gateway's message id"), max_length=200, blank=True)
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    customer_id = models.BigIntegerField(_("customer"), null=True, blank=True, db_index=True)
    is_opt_out = models.BooleanField(_("opt-out"), default=False)

    class Meta:
        verbose_name = _("inbound message")
        verbose_name_plural = _("inbound messages")
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(fields=["channel", "provider_id"], condition=~models.Q(provider_id=""),
                                    name="messaging_inbound_unique"),
        ]

    def __str__(self):
        return f"{self.sender}: {self.body[:30]}"
