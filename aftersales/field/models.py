"""Field marketing: targets and their achievement, places and routes, visit tours with optimised days,
check-ins from the marketer's phone and visit expenses (F02, F46, F47, F48, F58).

Achievement is never stored: it is computed from issued sales invoices, logged contacts and new parties
whenever it is read, so a percentage moves as soon as a document arrives.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from aftersales.core.fields import NormalizedCharField

LATITUDE = {"max_digits": 9, "decimal_places": 6, "validators": [MinValueValidator(-90), MaxValueValidator(90)]}
LONGITUDE = {"max_digits": 9, "decimal_places": 6, "validators": [MinValueValidator(-180), MaxValueValidator(180)]}


class TargetPlan(models.Model):
    """A marketing plan over a (Jalali) date range: the targets a team or the network works towards (F46)."""

    scope_center_field = "center"

    name = NormalizedCharField(_("name"), max_length=150)
    center = models.ForeignKey("organization.ServiceCenter", verbose_name=_("team"), on_delete=models.PROTECT,
                               related_name="+", help_text=_("The office or center whose marketers the plan is for."))
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("to"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+", editable=False)
    # A double submit of the plan's form (or an API retry with the same Idempotency-Key) makes one plan.
    submission_key = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("marketing plan")
        verbose_name_plural = _("marketing plans")
        ordering = ["-start_date", "-pk"]
        constraints = [models.CheckConstraint(condition=models.Q(end_date__gte=models.F("start_date")),
                                              name="field_plan_dates")]

    def __str__(self):
        return self.name


class Target(models.Model):
    """One figure of a plan: a sales amount, a count of visits or of new customers, for a marketer, a region,
    a sales territory or a customer type (any of them, or none: the whole team)."""

    scope_center_field = "plan__center"

    class Metric(models.TextChoices):
        SALES_AMOUNT = "sales_amount", _("sales amount (rials)")
        VISITS = "visits", _("visits")
        NEW_CUSTOMERS = "new_customers", _("new customers")

    plan = models.ForeignKey(TargetPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="targets")
    metric = models.CharField(_("measure"), max_length=16, choices=Metric.choices)
    marketer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("marketer"), on_delete=models.PROTECT,
                                 null=True, blank=True, related_name="+")
    region = models.ForeignKey("regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, null=True,
                               blank=True, related_name="+")
    territory = models.ForeignKey("regions.SalesTerritory", verbose_name=_("sales territory"),
                                  on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    party_type = models.ForeignKey("crm.PartyType", verbose_name=_("customer type"), on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    value = models.BigIntegerField(_("target"), validators=[MinValueValidator(1)])

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["plan", "metric", "pk"]
        constraints = [models.CheckConstraint(condition=models.Q(value__gt=0), name="field_target_positive")]

    def __str__(self):
        return f"{self.plan} · {self.get_metric_display()}"


class Route(models.Model):
    """A named route of places in a sales territory that a marketer visits together (F48)."""

    scope_center_field = "center"

    name = NormalizedCharField(_("name"), max_length=120)
    center = models.ForeignKey("organization.ServiceCenter", verbose_name=_("team"), on_delete=models.PROTECT,
                               related_name="+")
    territory = models.ForeignKey("regions.SalesTerritory", verbose_name=_("sales territory"),
                                  on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("route")
        verbose_name_plural = _("routes")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Place(models.Model):
    """Where a party is visited: one of its addresses with coordinates and opening hours (F48)."""

    scope_center_field = "center"

    class Source(models.TextChoices):
        TYPED = "typed", _("typed")
        MAP = "map", _("picked on the map")
        PHONE = "phone", _("taken from the phone at a check-in")

    customer = models.ForeignKey("customers.Customer", verbose_name=_("customer"), on_delete=models.CASCADE,
                                 related_name="places")
    center = models.ForeignKey("organization.ServiceCenter", verbose_name=_("team"), on_delete=models.PROTECT,
                               related_name="+")
    address = models.ForeignKey("customers.CustomerAddress", verbose_name=_("address"), on_delete=models.SET_NULL,
                                null=True, blank=True, related_name="+")
    name = NormalizedCharField(_("name"), max_length=150, blank=True,
                               help_text=_("A branch or shop name when the party has several places."))
    latitude = models.DecimalField(_("latitude"), null=True, blank=True, **LATITUDE)
    longitude = models.DecimalField(_("longitude"), null=True, blank=True, **LONGITUDE)
    position_source = models.CharField(_("position from"), max_length=8, choices=Source.choices, blank=True)
    opens_at = models.TimeField(_("opens at"), null=True, blank=True)
    closes_at = models.TimeField(_("closes at"), null=True, blank=True)
    visit_minutes = models.PositiveSmallIntegerField(_("minutes a visit takes"), default=20,
                                                     validators=[MinValueValidator(1), MaxValueValidator(480)])
    route = models.ForeignKey(Route, verbose_name=_("route"), on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="places")
    route_order = models.PositiveIntegerField(_("order on the route"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("place")
        verbose_name_plural = _("places")
        ordering = ["route", "route_order", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(latitude__isnull=True, longitude__isnull=True)
                                   | models.Q(latitude__isnull=False, longitude__isnull=False),
                                   name="field_place_both_coordinates"),
        ]
        indexes = [models.Index(fields=["customer"], name="field_place_customer_idx")]

    def __str__(self):
        return self.name or str(self.customer)

    @property
    def has_position(self) -> bool:
        return self.latitude is not None and self.longitude is not None


class Tour(models.Model):
    """A marketer's visit tour over a date range, planned by a manager day by day (F47, F02)."""

    scope_center_field = "center"

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("sent to the marketer")
        CLOSED = "closed", _("closed")

    name = NormalizedCharField(_("name"), max_length=150)
    center = models.ForeignKey("organization.ServiceCenter", verbose_name=_("team"), on_delete=models.PROTECT,
                               related_name="+")
    marketer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("marketer"), on_delete=models.PROTECT,
                                 related_name="+")
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("to"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    # Where each day starts (the office or the marketer's home) and the working hours the days must fit in.
    start_latitude = models.DecimalField(_("start point's latitude"), null=True, blank=True, **LATITUDE)
    start_longitude = models.DecimalField(_("start point's longitude"), null=True, blank=True, **LONGITUDE)
    day_starts_at = models.TimeField(_("working day starts"), default="08:00")
    day_ends_at = models.TimeField(_("working day ends"), default="17:00")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+", editable=False)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    submission_key = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tour")
        verbose_name_plural = _("tours")
        ordering = ["-start_date", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(end_date__gte=models.F("start_date")), name="field_tour_dates"),
            models.CheckConstraint(condition=models.Q(day_ends_at__gt=models.F("day_starts_at")),
                                   name="field_tour_hours"),
        ]
        indexes = [models.Index(fields=["marketer", "start_date"], name="field_tour_marketer_idx")]

    def __str__(self):
        return self.name


class TourDay(models.Model):
    """One day of a tour: its stops' order and what the optimiser found (length and duration, typed vs planned)."""

    scope_center_field = "tour__center"

    tour = models.ForeignKey(Tour, verbose_name=_("tour"), on_delete=models.CASCADE, related_name="days")
    date = models.DateField(_("day"))
    typed_distance_m = models.PositiveIntegerField(_("typed order's length (m)"), null=True, blank=True)
    typed_duration_s = models.PositiveIntegerField(_("typed order's duration (s)"), null=True, blank=True)
    planned_distance_m = models.PositiveIntegerField(_("planned length (m)"), null=True, blank=True)
    planned_duration_s = models.PositiveIntegerField(_("planned duration (s)"), null=True, blank=True)
    optimised_at = models.DateTimeField(_("optimised at"), null=True, blank=True)
    # True when the solver could not fit every stop in the time windows and working hours: its best partial plan.
    is_partial = models.BooleanField(_("not every stop fits"), default=False)

    class Meta:
        verbose_name = _("tour day")
        verbose_name_plural = _("tour days")
        ordering = ["tour", "date"]
        constraints = [models.UniqueConstraint(fields=["tour", "date"], name="field_tour_day_unique")]

    def __str__(self):
        return f"{self.tour} · {self.date}"


class TourStop(models.Model):
    """A customer or lead to visit on a tour's day, in the order typed and in the planned order."""

    scope_center_field = "day__tour__center"

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        VISITED = "visited", _("visited")
        SKIPPED = "skipped", _("skipped")

    class Flag(models.TextChoices):
        NONE = "", _("none")
        NO_POSITION = "no_position", _("no coordinates: placed last")
        NOT_FITTED = "not_fitted", _("does not fit the time windows or working hours")

    day = models.ForeignKey(TourDay, verbose_name=_("day"), on_delete=models.CASCADE, related_name="stops")
    customer = models.ForeignKey("customers.Customer", verbose_name=_("customer"), on_delete=models.PROTECT,
                                 related_name="+")
    place = models.ForeignKey(Place, verbose_name=_("place"), on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+")
    typed_order = models.PositiveIntegerField(_("typed order"), default=0)
    order = models.PositiveIntegerField(_("planned order"), default=0)
    is_pinned = models.BooleanField(_("pinned"), default=False,
                                    help_text=_("The optimiser keeps a pinned stop at its place in the order."))
    planned_arrival = models.TimeField(_("planned arrival"), null=True, blank=True)
    flag = models.CharField(_("flag"), max_length=12, choices=Flag.choices, blank=True, default="")
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.PLANNED)

    class Meta:
        verbose_name = _("tour stop")
        verbose_name_plural = _("tour stops")
        ordering = ["day", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["day", "customer"], name="field_stop_once_a_day")]

    def __str__(self):
        return f"{self.day} · {self.customer}"


class CheckIn(models.Model):
    """A marketer's arrival at a stop, sent from the phone (at once or later from its offline queue)."""

    scope_center_field = "stop__day__tour__center"

    stop = models.ForeignKey(TourStop, verbose_name=_("stop"), on_delete=models.CASCADE, related_name="check_ins")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("marketer"), on_delete=models.PROTECT,
                             related_name="+")
    at = models.DateTimeField(_("checked in at"), help_text=_("The phone's time of the check-in, even if sent later."))
    received_at = models.DateTimeField(_("received at"), default=timezone.now, editable=False)
    latitude = models.DecimalField(_("latitude"), null=True, blank=True, **LATITUDE)
    longitude = models.DecimalField(_("longitude"), null=True, blank=True, **LONGITUDE)
    accuracy_m = models.PositiveIntegerField(_("accuracy (m)"), null=True, blank=True)
    distance_m = models.PositiveIntegerField(_("distance from the place (m)"), null=True, blank=True)
    is_far = models.BooleanField(_("far from the place"), default=False)
    # The outcome of the visit, logged into the CRM's contact log (with the script's answers).
    contact = models.OneToOneField("marketing.Contact", verbose_name=_("contact"), on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    submission_key = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        ordering = ["-at"]

    def __str__(self):
        return f"{self.stop} · {self.at}"


class VisitExpense(models.Model):
    """Money a marketer spent on a visit or tour, with a photo of the receipt, approved or refused (F58)."""

    scope_center_field = "center"

    class Kind(models.TextChoices):
        TRANSPORT = "transport", _("transport")
        GIVEAWAY = "giveaway", _("give-aways")
        MEAL = "meal", _("meals")
        ACCOMMODATION = "lodging", _("accommodation")
        OTHER = "other", _("other")

    class Status(models.TextChoices):
        PENDING = "pending", _("awaiting approval")
        APPROVED = "approved", _("approved")
        REFUSED = "refused", _("refused")

    center = models.ForeignKey("organization.ServiceCenter", verbose_name=_("team"), on_delete=models.PROTECT,
                               related_name="+")
    marketer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("marketer"), on_delete=models.PROTECT,
                                 related_name="+")
    tour = models.ForeignKey(Tour, verbose_name=_("tour"), on_delete=models.PROTECT, null=True, blank=True,
                             related_name="expenses")
    stop = models.ForeignKey(TourStop, verbose_name=_("visit"), on_delete=models.PROTECT, null=True, blank=True,
                             related_name="expenses")
    spent_on = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    amount = models.BigIntegerField(_("amount (rials)"), validators=[MinValueValidator(1)])
    description = models.CharField(_("description"), max_length=300, blank=True)
    receipt = models.ImageField(_("photo of the receipt"), upload_to="field/receipts/%Y/%m/", blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("decided by"), on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+", editable=False)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True, editable=False)
    refusal_reason = models.CharField(_("reason for refusal"), max_length=300, blank=True)
    submission_key = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("visit expense")
        verbose_name_plural = _("visit expenses")
        ordering = ["-spent_on", "-pk"]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="field_expense_positive")]
        indexes = [models.Index(fields=["marketer", "spent_on"], name="field_expense_marketer_idx"),
                   models.Index(fields=["center", "status", "spent_on"], name="field_expense_center_idx")]
        permissions = [("approve_visitexpense", _("Can approve or refuse visit expenses"))]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.amount}"
