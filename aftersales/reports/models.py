from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class SavedFilter(models.Model):
    """A report's filters kept under a name; shared ones are offered to every user who may open the report.

    Kept as the query string's parameters, so a preset («this month») stays relative to the day the
    filter is used, and a center the user may no longer see is refused when it is run, as when typed.
    """

    # A filter belongs to its owner's centers (its filters may name them).
    scope_center_field = "owner__centers"

    report = models.SlugField(_("report"), max_length=60)
    name = models.CharField(_("name"), max_length=120)
    params = models.JSONField(_("filters"), default=dict, blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.CASCADE,
                              related_name="saved_report_filters")
    is_shared = models.BooleanField(_("shared with everyone who may open the report"), default=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("saved report filter")
        verbose_name_plural = _("saved report filters")
        ordering = ["report", "name"]
        permissions = [("view_reports", _("May open management reports"))]
        constraints = [models.UniqueConstraint(fields=["owner", "report", "name"], name="reports_filter_name_per_owner")]

    def __str__(self):
        return self.name


class Subscription(models.Model):
    """A report mailed to a user on a schedule (F23), with its PDF and Excel attached."""

    class Frequency(models.TextChoices):
        DAILY = "daily", _("daily")
        WEEKLY = "weekly", _("weekly (Saturdays)")
        MONTHLY = "monthly", _("monthly (first of the Jalali month)")

    scope_center_field = "user__centers"

    report = models.SlugField(_("report"), max_length=60)
    saved_filter = models.ForeignKey(SavedFilter, verbose_name=_("saved filter"), on_delete=models.CASCADE, null=True,
                                     blank=True, related_name="subscriptions")
    params = models.JSONField(_("filters"), default=dict, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
                             related_name="report_subscriptions")
    email = models.EmailField(_("e-mail"))
    frequency = models.CharField(_("how often"), max_length=10, choices=Frequency.choices, default=Frequency.WEEKLY)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    last_sent_on = models.DateField(_("last sent on"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("report subscription")
        verbose_name_plural = _("report subscriptions")
        ordering = ["report", "pk"]

    def __str__(self):
        return f"{self.report} → {self.email}"


class FailureAlert(models.Model):
    """A model or production batch failing this month well above its own history (the nightly early warning)."""

    class Scope(models.TextChoices):
        MODEL = "model", _("product model")
        BATCH = "batch", _("production batch")

    month = models.CharField(_("Jalali month"), max_length=7, help_text=_("As 1405-01."))
    scope = models.CharField(_("what"), max_length=6, choices=Scope.choices)
    product_model = models.ForeignKey("catalog.ProductModel", verbose_name=_("product model"), on_delete=models.CASCADE,
                                      related_name="+")
    batch = models.CharField(_("batch / lot"), max_length=40, blank=True)
    failures = models.PositiveIntegerField(_("failures this month"))
    expected = models.FloatField(_("expected from its history"))
    threshold = models.PositiveIntegerField(_("alarm from"))
    months_of_history = models.PositiveSmallIntegerField(_("months of history"))
    computed_at = models.DateTimeField(_("computed at"), default=timezone.now)

    class Meta:
        verbose_name = _("failure early warning")
        verbose_name_plural = _("failure early warnings")
        ordering = ["-month", "-failures"]
        constraints = [models.UniqueConstraint(fields=["month", "scope", "product_model", "batch"],
                                               name="reports_alert_once_per_month")]

    def __str__(self):
        return f"{self.month} {self.product_model} {self.batch}".strip()
