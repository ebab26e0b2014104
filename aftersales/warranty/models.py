"""Warranty policies (versioned), their assignment to models, cards and voids (F11, F26, F29)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from aftersales.core.fields import NormalizedCharField, PastDateField
from aftersales.core.models import SearchableModel


class WarrantyPolicy(SearchableModel):
    """A named policy, e.g. "18-month refrigerator warranty"; its terms live in dated versions."""

    search_fields = ("code", "name")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = NormalizedCharField(_("name"), max_length=150)
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords(excluded_fields=["search_text"])

    class Meta:
        verbose_name = _("warranty policy")
        verbose_name_plural = _("warranty policies")
        ordering = ["name"]

    def __str__(self):
        return self.name


class PolicyVersion(models.Model):
    """The terms of a policy from a date on. Units keep the version in force when their warranty
    started, so changing a policy never rewrites what was promised to earlier buyers."""

    class StartEvent(models.TextChoices):
        SALE = "sale", _("sale date")
        INSTALLATION = "installation", _("installation date")
        PRODUCTION = "production", _("production date plus a grace period")

    policy = models.ForeignKey(WarrantyPolicy, verbose_name=_("policy"), on_delete=models.CASCADE, related_name="versions")
    effective_from = models.DateField(_("in force from"))
    duration_months = models.PositiveSmallIntegerField(_("duration (months)"))
    start_event = models.CharField(_("starts at"), max_length=12, choices=StartEvent.choices, default=StartEvent.SALE)
    grace_months = models.PositiveSmallIntegerField(_("grace after production (months)"), default=0)
    requires_activation = models.BooleanField(_("needs activation"), default=True)
    covers_parts = models.BooleanField(_("covers parts"), default=True)
    covers_labour = models.BooleanField(_("covers labour"), default=True)
    covers_transport = models.BooleanField(_("covers transport"), default=False)
    covers_home_service = models.BooleanField(_("covers home service"), default=False)
    free_periodic_services = models.PositiveSmallIntegerField(_("free periodic services"), default=0)
    periodic_interval_months = models.PositiveSmallIntegerField(_("periodic service every (months)"), default=6)
    paid_periodic_services = models.PositiveSmallIntegerField(
        _("paid periodic services"), default=0, help_text=_("Visits planned after the free ones, charged to the customer."),
    )
    paid_periodic_price = models.BigIntegerField(_("price of a paid periodic service (rials)"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("policy version")
        verbose_name_plural = _("policy versions")
        ordering = ["policy", "-effective_from"]
        constraints = [models.UniqueConstraint(fields=["policy", "effective_from"], name="warranty_version_unique_date")]

    def __str__(self):
        return f"{self.policy} · {self.effective_from}"


class ComponentTerm(models.Model):
    """A component's own warranty within a policy version, e.g. compressor 60 months."""

    version = models.ForeignKey(PolicyVersion, verbose_name=_("policy version"), on_delete=models.CASCADE, related_name="component_terms")
    component_type = models.ForeignKey("catalog.ComponentType", verbose_name=_("component type"), on_delete=models.PROTECT, related_name="+")
    duration_months = models.PositiveSmallIntegerField(_("duration (months)"))
    covers_labour = models.BooleanField(_("covers labour"), default=True)

    class Meta:
        verbose_name = _("component term")
        verbose_name_plural = _("component terms")
        constraints = [models.UniqueConstraint(fields=["version", "component_type"], name="warranty_component_term_unique")]

    def __str__(self):
        return f"{self.component_type}: {self.duration_months}"


class ModelWarranty(models.Model):
    """Which policy a product model is sold under."""

    product_model = models.OneToOneField("catalog.ProductModel", verbose_name=_("product model"), on_delete=models.CASCADE, related_name="warranty")
    policy = models.ForeignKey(WarrantyPolicy, verbose_name=_("policy"), on_delete=models.PROTECT, related_name="models")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("model warranty")
        verbose_name_plural = _("model warranties")

    def __str__(self):
        return f"{self.product_model} → {self.policy}"


class WarrantyCard(models.Model):
    """The card of one unit. Its number carries a check digit, so a mistyped number is refused."""

    class Status(models.TextChoices):
        ISSUED = "issued", _("issued, not activated")
        ACTIVE = "active", _("activated")
        CANCELLED = "cancelled", _("cancelled")

    class Channel(models.TextChoices):
        STAFF = "staff", _("staff")
        DEALER = "dealer", _("dealer (API)")
        CUSTOMER = "customer", _("customer (public page)")

    number = models.CharField(_("card number"), max_length=16, unique=True)
    unit = models.ForeignKey("catalog.ProductUnit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="warranty_cards")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ISSUED)
    policy_version = models.ForeignKey(
        PolicyVersion, verbose_name=_("policy version"), on_delete=models.PROTECT, null=True, blank=True, related_name="cards",
        help_text=_("Fixed at activation."),
    )
    purchase_date = PastDateField(_("purchase date"), null=True, blank=True)
    installation_date = PastDateField(_("installation date"), null=True, blank=True)
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    activated_at = models.DateTimeField(_("activated at"), null=True, blank=True)
    activated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("activated by"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    channel = models.CharField(_("activated through"), max_length=10, choices=Channel.choices, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("warranty card")
        verbose_name_plural = _("warranty cards")
        ordering = ["-issued_at"]
        constraints = [
            models.UniqueConstraint(fields=["unit"], condition=~models.Q(status="cancelled"), name="warranty_one_live_card_per_unit")
        ]

    def __str__(self):
        return self.number


class VoidReason(models.TextChoices):
    PHYSICAL_DAMAGE = "damage", _("physical damage")
    VOLTAGE = "voltage", _("voltage fluctuation")
    UNAUTHORISED_REPAIR = "unauthorised", _("repaired by an unauthorised person")
    SEAL = "seal", _("tampered seal or label")
    MISUSE = "misuse", _("use against the instructions")
    OTHER = "other", _("other")


class WarrantyVoid(models.Model):
    """The warranty of a unit (or of one of its components) voided, with the reason and who decided."""

    unit = models.ForeignKey("catalog.ProductUnit", verbose_name=_("unit"), on_delete=models.CASCADE, related_name="warranty_voids")
    component_type = models.ForeignKey(
        "catalog.ComponentType", verbose_name=_("component type"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", help_text=_("Empty: the whole product."),
    )
    reason = models.CharField(_("reason"), max_length=12, choices=VoidReason.choices)
    note = models.TextField(_("note"), blank=True)
    voided_on = models.DateField(_("voided on"))
    voided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("voided by"), on_delete=models.SET_NULL, null=True, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("warranty void")
        verbose_name_plural = _("warranty voids")
        ordering = ["-voided_on"]

    def __str__(self):
        return f"{self.unit} · {self.get_reason_display()}"


class PeriodicService(models.Model):
    """One visit of a unit's periodic-service schedule, made when its card is activated."""

    class State(models.TextChoices):
        UPCOMING = "upcoming", _("upcoming")
        DUE = "due", _("due")
        DONE = "done", _("done")
        MISSED = "missed", _("missed")

    unit = models.ForeignKey("catalog.ProductUnit", verbose_name=_("unit"), on_delete=models.CASCADE, related_name="periodic_services")
    sequence = models.PositiveSmallIntegerField(_("visit number"))
    due_on = models.DateField(_("due on"))
    is_free = models.BooleanField(_("free"), default=True)
    price = models.BigIntegerField(_("price (rials)"), default=0)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # Who gave the service (counted in their statement of work), and what they did.
    performed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("done by"), on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="periodic_services_done")
    work_done = models.CharField(_("work done"), max_length=300, blank=True)
    minutes = models.PositiveIntegerField(_("time spent (minutes)"), default=0)
    history = HistoricalRecords()

    # A visit may be made this many days before or after its due date.
    WINDOW_DAYS = 30

    class Meta:
        verbose_name = _("periodic service")
        verbose_name_plural = _("periodic services")
        ordering = ["unit", "sequence"]
        constraints = [models.UniqueConstraint(fields=["unit", "sequence"], name="warranty_periodic_unique")]
        indexes = [models.Index(fields=["due_on"], name="warranty_periodic_due_idx")]

    def __str__(self):
        return f"{self.unit} · {self.sequence}"

    def get_state_display(self, day) -> str:
        return str(self.State(self.state_on(day)).label)

    def state_on(self, day) -> str:
        import datetime

        if self.done_on:
            return self.State.DONE
        window = datetime.timedelta(days=self.WINDOW_DAYS)
        if day > self.due_on + window:
            return self.State.MISSED
        if day >= self.due_on - window:
            return self.State.DUE
        return self.State.UPCOMING


class ActivationRequest(models.Model):
    """A customer's request to activate a unit's warranty on the public page, awaiting the SMS code."""

    token = models.CharField(_("token"), max_length=64, unique=True)
    unit = models.ForeignKey("catalog.ProductUnit", verbose_name=_("unit"), on_delete=models.CASCADE, related_name="+")
    mobile = models.CharField(_("mobile"), max_length=11)
    name = models.CharField(_("name"), max_length=120, blank=True)
    purchase_date = PastDateField(_("purchase date"))
    code_hash = models.CharField(_("code (hashed)"), max_length=128)
    attempts = models.PositiveSmallIntegerField(_("wrong codes"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    # Wrong codes allowed before the request is dead (a 5-digit code: 5 guesses in 100,000).
    MAX_ATTEMPTS = 5

    class Meta:
        verbose_name = _("warranty activation request")
        verbose_name_plural = _("warranty activation requests")
        indexes = [models.Index(fields=["mobile", "created_at"], name="warranty_activation_mobile_idx")]

    def __str__(self):
        return f"{self.unit} · {self.mobile}"


class PurchaseProof(models.Model):
    """The photo of the purchase invoice a customer sent when registering a purchase on the portal (issue 22).

    Shown to staff on the unit's warranty panel through a login-protected view, never as a public media URL.
    """

    unit = models.ForeignKey("catalog.ProductUnit", verbose_name=_("unit"), on_delete=models.CASCADE,
                             related_name="purchase_proofs")
    card = models.ForeignKey(WarrantyCard, verbose_name=_("warranty card"), on_delete=models.SET_NULL, null=True,
                             blank=True, related_name="purchase_proofs")
    customer = models.ForeignKey("customers.Customer", verbose_name=_("customer"), on_delete=models.SET_NULL,
                                 null=True, blank=True, related_name="+")
    image = models.ImageField(_("photo of the purchase invoice"), upload_to="warranty/proofs/%Y/%m/")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("proof of purchase")
        verbose_name_plural = _("proofs of purchase")
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self):
        return self.image.name
