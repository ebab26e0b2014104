"""The catalog (product groups, brands, models, their components and spare parts) and the serial
registry: one record per manufactured unit with its movement history (F04)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from aftersales.core.fields import NormalizedCharField, PastDateField
from aftersales.core.models import SearchableModel
from aftersales.core.persian import normalize_identifier


class CodeField(models.CharField):
    """A code people type: stored upper-case with ASCII digits and no spaces or dashes."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 40)
        super().__init__(*args, **kwargs)

    def pre_save(self, model_instance, add):
        value = normalize_identifier(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value

    def to_python(self, value):
        return normalize_identifier(super().to_python(value))


class ProductGroup(SearchableModel):
    """A node of the product tree, e.g. home appliances → refrigerators → side-by-side."""

    search_fields = ("code", "name")

    code = CodeField(_("code"), unique=True)
    name = NormalizedCharField(_("name"), max_length=150)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent group"), on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords(excluded_fields=["search_text"])

    class Meta:
        verbose_name = _("product group")
        verbose_name_plural = _("product groups")
        ordering = ["code"]

    def __str__(self):
        return f"{self.parent} › {self.name}" if self.parent_id else self.name

    def clean(self):
        from django.core.exceptions import ValidationError

        node = self.parent
        while node is not None:
            if node.pk == self.pk and self.pk is not None:
                raise ValidationError({"parent": _("A group cannot be placed under itself.")})
            node = node.parent

    def descendant_ids(self) -> list[int]:
        ids, frontier = [self.pk], [self.pk]
        while frontier:
            frontier = list(ProductGroup.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
            ids.extend(frontier)
        return ids


class Brand(SearchableModel):
    search_fields = ("code", "name")

    code = CodeField(_("code"), unique=True)
    name = NormalizedCharField(_("name"), max_length=100)
    history = HistoricalRecords(excluded_fields=["search_text"])

    class Meta:
        verbose_name = _("brand")
        verbose_name_plural = _("brands")
        ordering = ["name"]

    def __str__(self):
        return self.name


class ComponentType(SearchableModel):
    """A kind of sub-assembly (compressor, main board, motor) that may carry its own warranty."""

    search_fields = ("code", "name")

    code = CodeField(_("code"), unique=True)
    name = NormalizedCharField(_("name"), max_length=100)
    has_serial = models.BooleanField(_("has its own serial"), default=False)
    history = HistoricalRecords(excluded_fields=["search_text"])

    class Meta:
        verbose_name = _("component type")
        verbose_name_plural = _("component types")
        ordering = ["name"]

    def __str__(self):
        return self.name


class ProductModel(SearchableModel):
    """A model the company makes or sells, e.g. refrigerator RF-520 of brand X."""

    search_fields = ("code", "name", "brand_name")

    code = CodeField(_("model code"))
    name = NormalizedCharField(_("name"), max_length=200)
    brand = models.ForeignKey(Brand, verbose_name=_("brand"), on_delete=models.PROTECT, related_name="models")
    group = models.ForeignKey(ProductGroup, verbose_name=_("product group"), on_delete=models.PROTECT, related_name="models")
    specifications = models.JSONField(_("specifications"), default=dict, blank=True)
    components = models.ManyToManyField(
        ComponentType, verbose_name=_("components"), through="ModelComponent", related_name="product_models", blank=True
    )
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords(excluded_fields=["search_text"])

    class Meta:
        verbose_name = _("product model")
        verbose_name_plural = _("product models")
        ordering = ["brand__name", "code"]
        constraints = [models.UniqueConstraint(fields=["brand", "code"], name="catalog_model_code_unique_per_brand")]

    def __str__(self):
        return f"{self.name} ({self.code})"

    @property
    def brand_name(self) -> str:
        return self.brand.name if self.brand_id else ""


class ModelComponent(models.Model):
    product_model = models.ForeignKey(ProductModel, verbose_name=_("product model"), on_delete=models.CASCADE)
    component_type = models.ForeignKey(ComponentType, verbose_name=_("component type"), on_delete=models.PROTECT)
    quantity = models.PositiveSmallIntegerField(_("quantity"), default=1)

    class Meta:
        verbose_name = _("model component")
        verbose_name_plural = _("model components")
        constraints = [
            models.UniqueConstraint(fields=["product_model", "component_type"], name="catalog_model_component_unique")
        ]

    def __str__(self):
        return f"{self.product_model} / {self.component_type}"


class SparePart(SearchableModel):
    class Unit(models.TextChoices):
        PIECE = "piece", _("piece")
        SET = "set", _("set")
        METER = "meter", _("meter")
        LITER = "liter", _("liter")
        KILOGRAM = "kg", _("kilogram")

    search_fields = ("code", "name")

    code = CodeField(_("part code"), unique=True)
    name = NormalizedCharField(_("name"), max_length=200)
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices, default=Unit.PIECE)
    price = models.PositiveBigIntegerField(_("price (rials)"), default=0)
    component_type = models.ForeignKey(
        ComponentType, verbose_name=_("component type"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="spare_parts",
    )
    fits_models = models.ManyToManyField(ProductModel, verbose_name=_("fits models"), related_name="spare_parts", blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords(excluded_fields=["search_text"])

    class Meta:
        verbose_name = _("spare part")
        verbose_name_plural = _("spare parts")
        ordering = ["code"]

    def __str__(self):
        return f"{self.name} ({self.code})"


class ProductUnit(models.Model):
    """One manufactured unit, known by its serial (unique per brand).

    Kept lean for national scale (10 million rows): no search-text column; serials are looked up
    normalised and exactly, through the unique index.
    """

    class Status(models.TextChoices):
        PRODUCED = "produced", _("produced")
        SHIPPED = "shipped", _("shipped to dealer")
        SOLD = "sold", _("sold to customer")
        IN_REPAIR = "in_repair", _("received for repair")
        # Back with its owner after a repair; not a sale returned (مرجوع). The context keeps the
        # label apart from a spare part "returned" to the store, and the choices (no migration).
        RETURNED = "returned", pgettext_lazy("unit", "returned")
        SCRAPPED = "scrapped", _("scrapped")

    serial = models.CharField(_("serial"), max_length=40)
    # Identifiers are kept as given; each one matched has its key beside it (catalog/identifiers.py).
    serial_key = models.CharField(_("serial (matching key)"), max_length=40, editable=False)
    brand = models.ForeignKey(Brand, verbose_name=_("brand"), on_delete=models.PROTECT, related_name="+")
    product_model = models.ForeignKey(ProductModel, verbose_name=_("product model"), on_delete=models.PROTECT, related_name="units")
    production_date = PastDateField(_("production date"), null=True, blank=True)
    batch = models.CharField(_("batch / lot"), max_length=40, blank=True)
    factory = models.CharField(_("factory"), max_length=100, blank=True)
    sale_invoice_no = models.CharField(_("sale invoice no."), max_length=40, blank=True)
    delivery_note_no = models.CharField(_("delivery note no."), max_length=40, blank=True)
    subscription_no = models.CharField(_("subscription no."), max_length=40, blank=True)
    batch_key = models.CharField(max_length=40, blank=True, default="", editable=False)
    sale_invoice_key = models.CharField(max_length=40, blank=True, default="", editable=False)
    delivery_note_key = models.CharField(max_length=40, blank=True, default="", editable=False)
    subscription_key = models.CharField(max_length=40, blank=True, default="", editable=False)
    dealer_code = models.CharField(_("dealer code"), max_length=40, blank=True)
    dealer_name = models.CharField(_("dealer"), max_length=150, blank=True)
    sale_date = PastDateField(_("sale date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PRODUCED)
    owner = models.ForeignKey(
        "customers.Customer", verbose_name=_("owner"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="units",
    )
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("product unit")
        verbose_name_plural = _("product units (serials)")
        ordering = ["-pk"]
        constraints = [models.UniqueConstraint(fields=["brand", "serial_key"], name="catalog_unit_serial_key_unique_per_brand")]
        # Partial indexes: most units have no invoice, delivery note or subscription number.
        indexes = [
            models.Index(fields=["serial_key"], name="catalog_unit_serial_key_idx"),
            models.Index(fields=["sale_invoice_key"], name="catalog_unit_invoice_key_idx",
                         condition=~models.Q(sale_invoice_key="")),
            models.Index(fields=["delivery_note_key"], name="catalog_unit_delivery_key_idx",
                         condition=~models.Q(delivery_note_key="")),
            models.Index(fields=["subscription_key"], name="catalog_unit_subscr_key_idx",
                         condition=~models.Q(subscription_key="")),
        ]

    def __str__(self):
        return self.serial

    def identifiers_normalize(self) -> None:
        """Store the identifiers as given (digits and letters normalised) and fill their keys."""
        from .identifiers import KEYED_FIELDS, PLAIN_FIELDS, identifier_clean, unit_keys

        for name in (*KEYED_FIELDS, *PLAIN_FIELDS):
            setattr(self, name, identifier_clean(getattr(self, name)))
        for key, value in unit_keys({name: getattr(self, name) for name in KEYED_FIELDS}).items():
            setattr(self, key, value)

    def clean(self):
        """A serial already registered for the brand, however it was written, is refused by name."""
        from django.core.exceptions import ValidationError

        self.identifiers_normalize()
        if not self.serial_key:  # only separators ("--"); an empty box is the field's own error
            if self.serial:
                raise ValidationError({"serial": _("The serial is missing.")})
            return
        if self.brand_id and ProductUnit.objects.filter(brand_id=self.brand_id, serial_key=self.serial_key).exclude(
                pk=self.pk).exists():
            raise ValidationError({"serial": _("A unit with this serial is already registered for this brand.")})

    @classmethod
    def from_db(cls, db, field_names, values):
        unit = super().from_db(db, field_names, values)
        if {"product_model_id", "production_date", "sale_date"} <= set(field_names):
            unit._sold_as = (unit.product_model_id, unit.production_date) if unit.sale_date else None
        return unit

    def save(self, *args, **kwargs):
        """Saved, and the units sold per model and production day follow (``catalog.tallies``)."""
        from .tallies import sold_key, units_sold_change

        self.identifiers_normalize()
        update_fields = kwargs.get("update_fields")
        follows = update_fields is None or {"product_model", "product_model_id", "production_date", "sale_date"} & set(
            update_fields)
        before = None
        if follows and not self._state.adding:
            if hasattr(self, "_sold_as"):
                before = self._sold_as
            else:
                stored = ProductUnit.objects.filter(pk=self.pk).values("product_model", "production_date",
                                                                       "sale_date").first()
                before = (stored["product_model"], stored["production_date"]) if stored and stored["sale_date"] else None
        super().save(*args, **kwargs)
        if follows:
            self._sold_as = sold_key(self)
            units_sold_change(before, self._sold_as)


class UnitComponent(models.Model):
    """The serial of a main component fitted in a unit; replaced components are kept, not deleted."""

    unit = models.ForeignKey(ProductUnit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="components")
    component_type = models.ForeignKey(ComponentType, verbose_name=_("component type"), on_delete=models.PROTECT)
    serial = models.CharField(_("component serial"), max_length=40)
    fitted_on = models.DateField(_("fitted on"), null=True, blank=True)
    removed_on = models.DateField(_("removed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("unit component")
        verbose_name_plural = _("unit components")
        indexes = [models.Index(fields=["serial"], name="catalog_component_serial_idx")]

    def __str__(self):
        return f"{self.component_type}: {self.serial}"


class UnitEvent(models.Model):
    """One step in a unit's life, in order; pushed by the tracking system or recorded here."""

    class Kind(models.TextChoices):
        PRODUCED = "produced", _("produced")
        SHIPPED = "shipped", _("shipped to dealer")
        SOLD = "sold", _("sold to customer")
        RECEIVED_FOR_REPAIR = "received_for_repair", _("received for repair")
        COMPONENT_REPLACED = "component_replaced", _("component replaced")
        OWNER_CHANGED = "owner_changed", _("owner changed")
        TRANSFERRED = "transferred", _("moved to another service center")
        RETURNED = "returned", pgettext_lazy("unit event", "returned")
        SCRAPPED = "scrapped", _("scrapped")

    # The unit's status after each kind of event; component replacement leaves it as it was.
    STATUS_AFTER = {
        Kind.PRODUCED: ProductUnit.Status.PRODUCED,
        Kind.SHIPPED: ProductUnit.Status.SHIPPED,
        Kind.SOLD: ProductUnit.Status.SOLD,
        Kind.RECEIVED_FOR_REPAIR: ProductUnit.Status.IN_REPAIR,
        Kind.RETURNED: ProductUnit.Status.RETURNED,
        Kind.SCRAPPED: ProductUnit.Status.SCRAPPED,
    }

    unit = models.ForeignKey(ProductUnit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("event"), max_length=24, choices=Kind.choices)
    occurred_at = models.DateTimeField(_("occurred at"))
    external_id = models.CharField(_("event id in the source system"), max_length=64, null=True, blank=True)
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("unit event")
        verbose_name_plural = _("unit events")
        ordering = ["occurred_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "external_id"], name="catalog_unit_event_external_unique")
        ]

    def __str__(self):
        return f"{self.unit} · {self.get_kind_display()}"


class ServiceType(models.TextChoices):
    """Kinds of service a center gives (F09)."""

    IN_CENTER = "in_center", _("in-center repair")
    HOME = "home", _("home service")
    INSTALLATION = "installation", _("installation")
    PERIODIC = "periodic", _("periodic service")


class ServiceItem(SearchableModel):
    """One coded service of the service list (F08), priced and timed for a product group."""

    search_fields = ("code", "title", "category")

    code = CodeField(_("service code"), unique=True)
    title = NormalizedCharField(_("title"), max_length=200)
    category = NormalizedCharField(_("service category"), max_length=100, blank=True)
    service_type = models.CharField(_("kind of service"), max_length=12, choices=ServiceType.choices, default=ServiceType.IN_CENTER)
    product_group = models.ForeignKey(
        ProductGroup, verbose_name=_("product group"), on_delete=models.PROTECT, related_name="services"
    )
    standard_minutes = models.PositiveIntegerField(_("standard duration (minutes)"), default=30)
    labour_price = models.PositiveBigIntegerField(_("labour price (rials)"), default=0)
    covered_by_warranty = models.BooleanField(_("covered by warranty"), default=True)
    is_free_periodic = models.BooleanField(_("free periodic service"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords(excluded_fields=["search_text"])

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("service list")
        ordering = ["code"]

    def __str__(self):
        return f"{self.title} ({self.code})"


class FaultCode(SearchableModel):
    """A reported or found fault, as a tree (cooling → no cooling → gas leak) for categorising faults."""

    search_fields = ("code", "title")

    code = CodeField(_("fault code"), unique=True)
    title = NormalizedCharField(_("title"), max_length=200)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent fault"), on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    product_group = models.ForeignKey(
        ProductGroup, verbose_name=_("product group"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="fault_codes",
    )
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords(excluded_fields=["search_text"])

    class Meta:
        verbose_name = _("fault code")
        verbose_name_plural = _("fault codes")
        ordering = ["code"]

    def __str__(self):
        return f"{self.parent} › {self.title}" if self.parent_id else self.title


class ModelPrice(models.Model):
    """Our consumer price for a model from a date on: the price list's history."""

    product_model = models.ForeignKey(ProductModel, verbose_name=_("product model"), on_delete=models.CASCADE, related_name="prices")
    effective_on = models.DateField(_("effective from"))
    price = models.PositiveBigIntegerField(_("price (rials)"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("model price")
        verbose_name_plural = _("model prices")
        ordering = ["product_model", "-effective_on"]
        constraints = [models.UniqueConstraint(fields=["product_model", "effective_on"], name="catalog_model_price_unique")]

    def __str__(self):
        from aftersales.core.jalali import format_date

        return f"{self.product_model} · {format_date(self.effective_on)}"


class UnitsSold(models.Model):
    """How many units of a model produced on a day have a sale date on record, kept by the catalog's
    writes (``catalog.tallies``): the failure rate per thousand units sold reads a few thousand of these
    instead of ten million units."""

    product_model = models.ForeignKey(ProductModel, on_delete=models.CASCADE, related_name="+",
                                      verbose_name=_("product model"))
    production_date = models.DateField(_("production date"), null=True)
    units = models.IntegerField(_("units sold"), default=0)

    class Meta:
        verbose_name = _("units sold of a production day")
        verbose_name_plural = _("units sold of production days")
        constraints = [
            models.UniqueConstraint(fields=["product_model", "production_date"], name="catalog_units_sold_unique",
                                    condition=models.Q(production_date__isnull=False)),
            models.UniqueConstraint(fields=["product_model"], name="catalog_units_sold_undated_unique",
                                    condition=models.Q(production_date__isnull=True)),
        ]

    def __str__(self):
        return f"{self.product_model_id} · {self.production_date}: {self.units}"
