"""The repair workshop: a repair order from reception to hand-back, moved along a workflow (F10–F41)."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from aftersales.catalog.models import ServiceType
from aftersales.core.fields import IdentifierField


class RepairOrder(models.Model):
    """One visit of one unit (or one home call): what was received, found, done and handed back."""

    Kind = ServiceType  # the kinds of service a center gives (catalog, F09)

    class Estimate(models.TextChoices):
        NONE = "none", _("no estimate")
        PENDING = "pending", _("awaiting the customer's answer")
        APPROVED = "approved", _("approved by the customer")
        REFUSED = "refused", _("refused by the customer")

    scope_center_field = "center"

    number = models.CharField(_("order number"), max_length=20)
    # Unique through Meta.constraints, not ``unique=True``: on PostgreSQL that would add a second
    # (varchar_pattern_ops) index for LIKE, and both codes are only ever compared whole.
    tracking_code = models.CharField(_("tracking code"), max_length=16)
    submission_key = models.CharField(_("submission"), max_length=64, null=True, blank=True, editable=False)
    # No index of its own on center, customer, unit and assignee: the composite indexes of Meta lead with
    # each of them, and every index is written twice per reception (issue 21).
    center = models.ForeignKey("organization.ServiceCenter", verbose_name=_("service center"), on_delete=models.PROTECT,
                               related_name="repair_orders", db_index=False)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.IN_CENTER)
    customer = models.ForeignKey("customers.Customer", verbose_name=_("customer"), on_delete=models.PROTECT,
                                 related_name="repair_orders", db_index=False)
    unit = models.ForeignKey("catalog.ProductUnit", verbose_name=_("unit"), on_delete=models.PROTECT, null=True,
                             blank=True, related_name="repair_orders", db_index=False)
    serial = models.CharField(_("serial as given"), max_length=40, blank=True)
    product_model = models.ForeignKey("catalog.ProductModel", verbose_name=_("product model"), on_delete=models.PROTECT,
                                      null=True, blank=True, related_name="+")
    # Who brought the unit, when it is not the customer on record (a relative, a courier, a neighbour).
    brought_by_name = models.CharField(_("brought by"), max_length=200, blank=True)
    brought_by_mobile = IdentifierField(_("mobile of who brought it"), kind="mobile", blank=True)
    accessories = models.CharField(_("accessories handed over"), max_length=300, blank=True)
    condition = models.CharField(_("physical condition"), max_length=300, blank=True)
    description = models.TextField(_("customer's description"))
    address = models.CharField(_("service address"), max_length=500, blank=True)
    appointment_at = models.DateTimeField(_("appointment"), null=True, blank=True)
    promised_on = models.DateField(_("promised for"), null=True, blank=True)
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("received by"), on_delete=models.PROTECT,
                                    related_name="+")
    # The warranty engine's answer at reception (F11), kept as it was; an override needs a reason.
    warranty_state = models.CharField(_("warranty at reception"), max_length=16)
    warranty_end = models.DateField(_("warranty ends"), null=True, blank=True)
    warranty_rule = models.CharField(_("warranty rule"), max_length=300, blank=True)
    is_warranty = models.BooleanField(_("warranty repair"), default=False)
    warranty_override_reason = models.CharField(_("reason for overriding the warranty"), max_length=300, blank=True)
    # Where the order is in its workflow.
    state = models.ForeignKey("workflow.State", verbose_name=_("state"), on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(_("version"), default=1)
    state_entered_at = models.DateTimeField(_("in this state since"), default=timezone.now)
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("assigned to"), on_delete=models.SET_NULL,
                                 null=True, blank=True, related_name="assigned_repairs", db_index=False)
    team = models.ForeignKey("personnel.Team", verbose_name=_("team"), on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="repair_orders")
    estimate_amount = models.BigIntegerField(_("cost estimate (rials)"), null=True, blank=True)
    estimate_status = models.CharField(_("estimate"), max_length=10, choices=Estimate.choices, default=Estimate.NONE)
    estimate_answered_at = models.DateTimeField(_("estimate answered at"), null=True, blank=True)
    # The promise: the total (VAT included) the customer last approved, kept when the estimate is revised;
    # invoicing above it (beyond REPAIRS_ESTIMATE_TOLERANCE_PERCENT) needs a new approval or a manager's override.
    estimate_approved_amount = models.BigIntegerField(_("approved estimate (rials)"), null=True, blank=True)
    estimate_revision = models.PositiveIntegerField(_("estimate revision"), default=0, editable=False)
    estimate_override_amount = models.BigIntegerField(_("amount allowed by the manager (rials)"), null=True, blank=True)
    estimate_override_reason = models.CharField(_("reason for invoicing above the estimate"), max_length=300, blank=True)
    estimate_override_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("allowed by"),
                                             on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    estimate_override_at = models.DateTimeField(_("allowed at"), null=True, blank=True)
    # What the customer's live service invoices for this order come to (VAT included), kept by billing.
    invoiced_amount = models.BigIntegerField(_("invoiced (rials)"), null=True, blank=True)
    handed_back_to = models.CharField(_("handed back to (name and ID checked)"), max_length=200, blank=True)
    handed_back_at = models.DateTimeField(_("handed back at"), null=True, blank=True)
    # Facts management reports count for a million orders a year, kept by the services rather than
    # looked up order by order: quality control sent the order back at least once; the same unit was
    # received again within 30 days of this hand-back.
    is_reworked = models.BooleanField(_("reworked after quality control"), default=False, editable=False)
    has_come_back = models.BooleanField(_("came back within 30 days"), default=False, editable=False)
    # The history is read only order by order (by ``id``, simple-history's own filter): an index on another
    # of the order's columns would be one more write on each of its saves and serve no query.
    history = HistoricalRecords(no_db_index=[
        "tracking_code", "submission_key", "center", "customer", "unit", "product_model", "received_by", "state",
        "assignee", "team", "estimate_override_by"])
    #: Every workflow move of the order (reports average the time spent in each state through it).
    transition_logs = GenericRelation("workflow.TransitionLog")

    class Meta:
        verbose_name = _("repair order")
        verbose_name_plural = _("repair orders")
        ordering = ["-received_at"]
        constraints = [models.UniqueConstraint(fields=["center", "number"], name="repairs_order_number_per_center"),
                       models.UniqueConstraint(fields=["tracking_code"], name="repairs_order_tracking_code_unique"),
                       models.UniqueConstraint(fields=["submission_key"], name="repairs_order_submission_key_unique")]
        permissions = [("override_warranty", _("May override the warranty at reception")),
                       ("refer_repairorder", _("May refer repair orders to another center")),
                       ("override_estimate", _("May allow invoicing above the approved estimate"))]
        indexes = [
            models.Index(fields=["assignee", "state"], name="repairs_assignee_state_idx"),
            models.Index(fields=["center", "state"], name="repairs_center_state_idx"),
            models.Index(fields=["unit", "-received_at"], name="repairs_unit_idx"),
            models.Index(fields=["customer", "-received_at"], name="repairs_customer_idx"),
            # Management reports read a period of receptions or hand-backs, per center.
            models.Index(fields=["received_at", "center"], name="repairs_received_center_idx"),
            # Covering on PostgreSQL: a year of turnarounds per center (the 90th percentile) is read from
            # the index alone.
            models.Index(fields=["handed_back_at"], include=["center", "received_at"],
                         name="repairs_handback_cover_idx", condition=models.Q(handed_back_at__isnull=False)),
            models.Index(fields=["received_at", "center"], name="repairs_undelivered_idx",
                         condition=models.Q(handed_back_at__isnull=True)),
        ]

    def __str__(self):
        return f"{self.number} · {self.center.code if self.center_id else ''}"

    @property
    def is_overdue(self) -> bool:
        return bool(self.due_at and not self.state.is_final and self.due_at < timezone.now())

    @property
    def customer_amount(self) -> int | None:
        """What the customer is told they pay: the invoice once issued, until then the estimate."""
        return self.invoiced_amount if self.invoiced_amount is not None else self.estimate_amount

    def workflow_announce(self, event: str, *, acting_user=None) -> None:
        from .services import order_announce

        order_announce(self, event, acting_user=acting_user)


class EstimateLine(models.Model):
    """One line of the cost estimate put to the customer: labour, a part or another cost, in rials."""

    class Kind(models.TextChoices):
        LABOUR = "labour", _("labour")
        PART = "part", _("part")
        OTHER = "other", _("other (transport…)")

    order = models.ForeignKey(RepairOrder, verbose_name=_("repair order"), on_delete=models.CASCADE,
                              related_name="estimate_lines")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.LABOUR)
    description = models.CharField(_("description"), max_length=300)
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    unit_price = models.BigIntegerField(_("unit price (rials)"))
    amount = models.BigIntegerField(_("amount (rials)"))
    service_item = models.ForeignKey("catalog.ServiceItem", verbose_name=_("service"), on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="+")
    spare_part = models.ForeignKey("catalog.SparePart", verbose_name=_("spare part"), on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("estimate line")
        verbose_name_plural = _("estimate lines")
        ordering = ["order", "pk"]
        constraints = [models.CheckConstraint(condition=models.Q(unit_price__gte=0) & models.Q(quantity__gte=1),
                                              name="repairs_estimate_line_positive")]

    def __str__(self):
        return f"{self.description} × {self.quantity}"


class OrderPhoto(models.Model):
    """A photo of the unit taken at reception (its condition) or during the work; shown only to staff."""

    order = models.ForeignKey(RepairOrder, verbose_name=_("repair order"), on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("photo"), upload_to="repairs/%Y/%m/")
    taken_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("taken by"), on_delete=models.SET_NULL,
                                 null=True, related_name="+")
    taken_at = models.DateTimeField(_("taken at"), default=timezone.now)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["taken_at", "pk"]

    def __str__(self):
        return self.image.name


class OrderFault(models.Model):
    """A fault reported by the customer at reception, or found by the technician."""

    class Source(models.TextChoices):
        REPORTED = "reported", _("reported by the customer")
        FOUND = "found", _("found by the technician")

    order = models.ForeignKey(RepairOrder, verbose_name=_("repair order"), on_delete=models.CASCADE, related_name="faults")
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.REPORTED)
    fault_code = models.ForeignKey("catalog.FaultCode", verbose_name=_("fault code"), on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.SET_NULL,
                                    null=True, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("fault")
        verbose_name_plural = _("faults")
        ordering = ["recorded_at", "pk"]

    def __str__(self):
        return str(self.fault_code or self.note)


class Operation(models.Model):
    """Work done on the order, from the service list, with the time it took (priced by invoicing)."""

    order = models.ForeignKey(RepairOrder, verbose_name=_("repair order"), on_delete=models.CASCADE, related_name="operations")
    service_item = models.ForeignKey("catalog.ServiceItem", verbose_name=_("service"), on_delete=models.PROTECT,
                                     related_name="+")
    minutes = models.PositiveIntegerField(_("time spent (minutes)"), default=0)
    technician = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("technician"), on_delete=models.PROTECT,
                                   related_name="+")
    note = models.CharField(_("note"), max_length=300, blank=True)
    performed_at = models.DateTimeField(_("performed at"), default=timezone.now)

    class Meta:
        verbose_name = _("operation")
        verbose_name_plural = _("operations")
        ordering = ["performed_at", "pk"]

    def __str__(self):
        return str(self.service_item)


class PartLine(models.Model):
    """A spare part the order needs: requested by the technician, issued (in part or whole) or
    back-ordered by the warehouse keeper, priced at issue, unused pieces returned (F12, F34)."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("requested")
        PARTIAL = "partial", _("partly issued")
        BACKORDERED = "backordered", _("back-ordered")
        ISSUED = "issued", _("issued")
        RETURNED = "returned", _("returned")
        CANCELLED = "cancelled", _("cancelled")

    class Fate(models.TextChoices):
        PENDING = "pending", _("kept at the center")
        TO_MANUFACTURER = "to_manufacturer", _("returned to the manufacturer")
        SCRAPPED = "scrapped", _("scrapped")
        TO_CUSTOMER = "to_customer", _("given to the customer")

    order = models.ForeignKey(RepairOrder, verbose_name=_("repair order"), on_delete=models.CASCADE, related_name="part_lines")
    spare_part = models.ForeignKey("catalog.SparePart", verbose_name=_("spare part"), on_delete=models.PROTECT,
                                   related_name="+")
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.REQUESTED)
    note = models.CharField(_("note"), max_length=300, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.SET_NULL,
                                     null=True, related_name="+")
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    warehouse = models.ForeignKey("stock.Warehouse", verbose_name=_("warehouse"), on_delete=models.PROTECT, null=True,
                                  blank=True, related_name="+")
    issued_quantity = models.PositiveIntegerField(_("issued"), default=0)
    returned_quantity = models.PositiveIntegerField(_("returned"), default=0)
    unit_cost = models.BigIntegerField(_("unit cost"), default=0)
    unit_price = models.BigIntegerField(_("unit price"), default=0)
    is_warranty = models.BooleanField(_("under warranty"), null=True, blank=True,
                                      help_text=_("Decided by the warranty engine when the part is issued."))
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("issued by"), on_delete=models.SET_NULL,
                                  null=True, blank=True, related_name="+")
    old_serial = models.CharField(_("serial of the part removed"), max_length=40, blank=True)
    new_serial = models.CharField(_("serial of the part fitted"), max_length=40, blank=True)
    old_part_fate = models.CharField(_("what became of the part removed"), max_length=16, choices=Fate.choices,
                                     blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("part line")
        verbose_name_plural = _("part lines")
        ordering = ["requested_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(issued_quantity__lte=models.F("quantity")),
                                   name="repairs_part_issued_within_request"),
            models.CheckConstraint(condition=models.Q(returned_quantity__lte=models.F("issued_quantity")),
                                   name="repairs_part_returned_within_issued"),
        ]
        indexes = [models.Index(fields=["status", "requested_at"], name="repairs_part_queue_idx")]

    def __str__(self):
        return f"{self.spare_part} × {self.quantity}"

    @property
    def outstanding(self) -> int:
        """Still to issue."""
        return 0 if self.status == self.Status.CANCELLED else self.quantity - self.issued_quantity

    @property
    def used_quantity(self) -> int:
        return self.issued_quantity - self.returned_quantity

    @property
    def billed(self) -> bool:
        """On a live invoice line (billing adds the relation)."""
        lines = getattr(self, "invoice_lines", None)
        return bool(lines is not None and lines.filter(billed_key__isnull=False).exists())


class Referral(models.Model):
    """A hand-over of the order to another person or center, with the reason (F13, F18)."""

    order = models.ForeignKey(RepairOrder, verbose_name=_("repair order"), on_delete=models.CASCADE, related_name="referrals")
    from_user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("from"), on_delete=models.SET_NULL,
                                  null=True, blank=True, related_name="+")
    to_user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("to"), on_delete=models.SET_NULL,
                                null=True, blank=True, related_name="+")
    to_team = models.ForeignKey("personnel.Team", verbose_name=_("to team"), on_delete=models.SET_NULL, null=True,
                                blank=True, related_name="+")
    from_center = models.ForeignKey("organization.ServiceCenter", verbose_name=_("from center"), on_delete=models.PROTECT,
                                    related_name="+")
    to_center = models.ForeignKey("organization.ServiceCenter", verbose_name=_("to center"), on_delete=models.PROTECT,
                                  related_name="+")
    reason = models.CharField(_("reason"), max_length=300)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.SET_NULL, null=True,
                           related_name="+")
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.order} → {self.to_user or self.to_center}"


class CenterDay(models.Model):
    """One center's workshop day in numbers, kept current by the services (``repairs.tallies``) as orders
    are received, referred, reworked, handed back and come back, so a year of reports at national scale
    adds up ~365 rows per center instead of scanning a million orders. The day is Tehran's: receptions
    count on the day received, hand-backs (with their turnaround and flags) on the day handed back, both
    under the order's current center."""

    center = models.ForeignKey("organization.ServiceCenter", on_delete=models.CASCADE, related_name="+",
                               verbose_name=_("service center"))
    day = models.DateField(_("day"))
    received = models.IntegerField(_("receptions"), default=0)
    received_warranty = models.IntegerField(_("warranty receptions"), default=0)
    handed_back = models.IntegerField(_("hand-backs"), default=0)
    turnaround_seconds = models.BigIntegerField(_("turnaround of the hand-backs (seconds)"), default=0)
    reworked = models.IntegerField(_("reworked hand-backs"), default=0)
    come_back = models.IntegerField(_("hand-backs come back within 30 days"), default=0)
    first_time = models.IntegerField(_("first-time fixes"), default=0)

    class Meta:
        verbose_name = _("center's day")
        verbose_name_plural = _("centers' days")
        constraints = [models.UniqueConstraint(fields=["center", "day"], name="repairs_center_day_unique")]
        indexes = [models.Index(fields=["day", "center"], name="repairs_center_day_idx")]

    def __str__(self):
        return f"{self.center_id} · {self.day}"


class CenterStateMonth(models.Model):
    """The time orders of a center spent in a workflow state before leaving it, per Jalali month of the
    move (``month`` is the month's first day), kept by the services (``repairs.tallies``) as orders
    move: a year of moves at national scale adds up ~12 rows per center and state."""

    center = models.ForeignKey("organization.ServiceCenter", on_delete=models.CASCADE, related_name="+",
                               verbose_name=_("service center"))
    state = models.ForeignKey("workflow.State", on_delete=models.CASCADE, related_name="+", verbose_name=_("state"))
    month = models.DateField(_("first day of the Jalali month"))
    seconds = models.BigIntegerField(_("seconds in the state"), default=0)
    moves = models.IntegerField(_("moves out of the state"), default=0)

    class Meta:
        verbose_name = _("center's month in a state")
        verbose_name_plural = _("centers' months in states")
        constraints = [models.UniqueConstraint(fields=["center", "state", "month"],
                                               name="repairs_center_state_month_unique")]
        indexes = [models.Index(fields=["month", "center"], name="repairs_center_state_month_idx")]

    def __str__(self):
        return f"{self.center_id} · {self.state_id} · {self.month}"


class FaultMonth(models.Model):
    """Orders received in a Jalali month (``month`` is its first day), of a product model, counted under a
    fault code (the codes the technician found, else those reported at reception), kept by the services
    (``repairs.tallies``) for the network's failure Pareto: a year is a few thousand rows, not a million
    orders and their fault lines."""

    month = models.DateField(_("first day of the Jalali month"))
    product_model = models.ForeignKey("catalog.ProductModel", on_delete=models.CASCADE, null=True, related_name="+",
                                      verbose_name=_("product model"))
    fault_code = models.ForeignKey("catalog.FaultCode", on_delete=models.CASCADE, related_name="+",
                                   verbose_name=_("fault code"))
    orders = models.IntegerField(_("orders"), default=0)

    class Meta:
        verbose_name = _("month of a fault code")
        verbose_name_plural = _("months of fault codes")
        constraints = [
            models.UniqueConstraint(fields=["month", "product_model", "fault_code"], name="repairs_fault_month_unique",
                                    condition=models.Q(product_model__isnull=False)),
            models.UniqueConstraint(fields=["month", "fault_code"], name="repairs_fault_month_no_model_unique",
                                    condition=models.Q(product_model__isnull=True)),
        ]

    def __str__(self):
        return f"{self.month} · {self.product_model_id} · {self.fault_code_id}"


class PartMonth(models.Model):
    """Part lines issued on orders received in a Jalali month (``month`` is its first day), of a product
    model, per spare part: how many lines and how many pieces used (issued minus returned), kept by the
    parts services (``repairs.tallies``) for the network's "parts most replaced"."""

    month = models.DateField(_("first day of the Jalali month"))
    product_model = models.ForeignKey("catalog.ProductModel", on_delete=models.CASCADE, null=True, related_name="+",
                                      verbose_name=_("product model"))
    spare_part = models.ForeignKey("catalog.SparePart", on_delete=models.CASCADE, related_name="+",
                                   verbose_name=_("spare part"))
    lines = models.IntegerField(_("part lines issued"), default=0)
    quantity = models.IntegerField(_("quantity used"), default=0)

    class Meta:
        verbose_name = _("month of a spare part")
        verbose_name_plural = _("months of spare parts")
        constraints = [
            models.UniqueConstraint(fields=["month", "product_model", "spare_part"], name="repairs_part_month_unique",
                                    condition=models.Q(product_model__isnull=False)),
            models.UniqueConstraint(fields=["month", "spare_part"], name="repairs_part_month_no_model_unique",
                                    condition=models.Q(product_model__isnull=True)),
        ]

    def __str__(self):
        return f"{self.month} · {self.product_model_id} · {self.spare_part_id}"


class ServiceRequest(models.Model):
    """A customer's request for a repair or a home visit, sent from the portal (issue 22): routed to the
    center that serves the region, it waits in that center's cartable as a draft reception until a
    receptionist confirms it into a repair order (``order``) or declines it with a reason."""

    KINDS = [(RepairOrder.Kind.IN_CENTER, RepairOrder.Kind.IN_CENTER.label),
             (RepairOrder.Kind.HOME, RepairOrder.Kind.HOME.label)]

    class Window(models.TextChoices):
        MORNING = "morning", _("morning (8 to 12)")
        AFTERNOON = "afternoon", _("afternoon (12 to 16)")
        EVENING = "evening", _("evening (16 to 20)")
        ANY = "any", _("any time of day")

    class Status(models.TextChoices):
        PENDING = "pending", _("awaiting confirmation")
        CONFIRMED = "confirmed", _("confirmed")
        DECLINED = "declined", _("declined")
        CANCELLED = "cancelled", _("withdrawn by the customer")

    scope_center_field = "center"

    customer = models.ForeignKey("customers.Customer", verbose_name=_("customer"), on_delete=models.PROTECT,
                                 related_name="service_requests", db_index=False)
    unit = models.ForeignKey("catalog.ProductUnit", verbose_name=_("unit"), on_delete=models.PROTECT, null=True,
                             blank=True, related_name="service_requests")
    # A product not registered yet: its model, or the serial as the customer typed it.
    product_model = models.ForeignKey("catalog.ProductModel", verbose_name=_("product model"), on_delete=models.PROTECT,
                                      null=True, blank=True, related_name="+")
    serial = models.CharField(_("serial as given"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=KINDS, default=RepairOrder.Kind.IN_CENTER)
    description = models.TextField(_("customer's description"))
    region = models.ForeignKey("regions.Region", verbose_name=_("city or district"), on_delete=models.PROTECT,
                               related_name="+")
    address = models.CharField(_("service address"), max_length=500, blank=True)
    postal_code = IdentifierField(_("postal code"), kind="postal_code", blank=True)
    preferred_on = models.DateField(_("preferred date"), null=True, blank=True)
    window = models.CharField(_("preferred time"), max_length=10, choices=Window.choices, default=Window.ANY)
    center = models.ForeignKey("organization.ServiceCenter", verbose_name=_("service center"),
                               on_delete=models.PROTECT, related_name="service_requests", db_index=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    order = models.ForeignKey(RepairOrder, verbose_name=_("repair order"), on_delete=models.PROTECT, null=True,
                              blank=True, related_name="service_requests")
    decline_reason = models.CharField(_("reason for declining"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("decided by"), on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    submission_key = models.CharField(_("submission"), max_length=64, null=True, blank=True, editable=False)
    history = HistoricalRecords(no_db_index=["customer", "unit", "product_model", "region", "center", "order",
                                             "decided_by", "submission_key"])

    class Meta:
        verbose_name = _("service request")
        verbose_name_plural = _("service requests")
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["submission_key"], name="repairs_request_submission_key_unique")]
        indexes = [
            # The cartable reads a center's pending requests, oldest first; routing counts them.
            models.Index(fields=["center", "status", "created_at"], name="repairs_request_center_idx"),
            models.Index(fields=["customer", "-created_at"], name="repairs_request_customer_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.customer_id} · {self.created_at:%Y-%m-%d}"

    @property
    def product(self):
        """The product the request is about: the unit's model, else the model the customer chose."""
        return self.unit.product_model if self.unit_id else self.product_model

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    @property
    def waiting_minutes(self) -> int:
        """How long the request has waited (or waited) for a decision, in minutes."""
        return int(((self.decided_at or timezone.now()) - self.created_at).total_seconds() // 60)


class ServiceRequestPhoto(models.Model):
    """A photo the customer sent with a service request; copied onto the order when it is confirmed."""

    request = models.ForeignKey(ServiceRequest, verbose_name=_("service request"), on_delete=models.CASCADE,
                                related_name="photos")
    image = models.ImageField(_("photo"), upload_to="requests/%Y/%m/")
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("photo of a service request")
        verbose_name_plural = _("photos of service requests")
        ordering = ["sent_at", "pk"]

    def __str__(self):
        return self.image.name
