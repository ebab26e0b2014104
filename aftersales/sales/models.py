"""Sales: proformas, sales invoices and credit notes of products, receipts, contracts with instalments and
cheques, their alarms, service contracts over units, agents in a tree and their commission (F42, F51, F52).

Amounts are integer rials. A sales document is issued once and never edited (``SalesDocument.save``
refuses a second save); a mistake on an invoice is corrected by a credit note. A proforma is issued the
same way and turned into one invoice. A document keeps the agent its customer was under when it was
issued, so a period's commission is the same whenever it is recalculated.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from aftersales.core.fields import IdentifierField, NormalizedCharField


class VatRate(models.Model):
    """The VAT rate from a date on; a document takes the rate of its issue day (none: ``BILLING_VAT_PERCENT``)."""

    effective_on = models.DateField(_("effective from"), unique=True)
    percent = models.PositiveSmallIntegerField(_("VAT %"), validators=[MaxValueValidator(100)])
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("VAT rate")
        verbose_name_plural = _("VAT rates")
        ordering = ["-effective_on"]

    def __str__(self):
        return f"{self.percent}% ({self.effective_on})"


class SalesDocument(models.Model):
    """A proforma, a sales invoice or a credit note of products sold to a customer, dealer or agent."""

    class Kind(models.TextChoices):
        PROFORMA = "proforma", _("proforma")
        INVOICE = "invoice", _("sales invoice")
        CREDIT = "credit", _("sales credit note")

    class Source(models.TextChoices):
        LOCAL = "local", _("issued here")
        ERPNEXT = "erpnext", _("received from ERPNext")

    scope_center_field = "center"

    center = models.ForeignKey("organization.ServiceCenter", verbose_name=_("selling office"),
                               on_delete=models.PROTECT, related_name="sales_documents")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    number = models.CharField(_("number"), max_length=40)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.LOCAL)
    customer = models.ForeignKey("customers.Customer", verbose_name=_("customer"), on_delete=models.PROTECT,
                                 related_name="sales_documents")
    agent = models.ForeignKey("sales.Agent", verbose_name=_("agent"), on_delete=models.PROTECT, null=True,
                              blank=True, related_name="documents",
                              help_text=_("The agent the customer was when the document was issued."))
    contract = models.ForeignKey("sales.Contract", verbose_name=_("contract"), on_delete=models.PROTECT, null=True,
                                 blank=True, related_name="documents")
    proforma = models.OneToOneField("self", verbose_name=_("from proforma"), on_delete=models.PROTECT, null=True,
                                    blank=True, related_name="invoice")
    credit_of = models.ForeignKey("self", verbose_name=_("credit note of"), on_delete=models.PROTECT, null=True,
                                  blank=True, related_name="credit_notes")
    issued_on = models.DateField(_("date"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    subtotal = models.BigIntegerField(_("subtotal"), default=0)
    discount = models.BigIntegerField(_("discount"), default=0)
    vat_percent = models.PositiveSmallIntegerField(_("VAT %"), default=0)
    vat = models.BigIntegerField(_("VAT"), default=0)
    total = models.BigIntegerField(_("total"), default=0)
    note = models.CharField(_("note"), max_length=300, blank=True)
    submission_key = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("issued by"), on_delete=models.SET_NULL,
                                  null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("sales document")
        verbose_name_plural = _("sales documents")
        ordering = ["-issued_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["center", "kind", "number"], name="sales_document_number_unique"),
            models.CheckConstraint(condition=models.Q(discount__gte=0), name="sales_document_discount"),
        ]
        indexes = [
            models.Index(fields=["customer", "kind", "-issued_on"], name="sales_doc_customer_idx"),
            models.Index(fields=["kind", "issued_on", "agent"], name="sales_doc_period_idx"),
            models.Index(fields=["center", "kind", "-issued_on"], name="sales_doc_center_idx"),
        ]
        permissions = [("credit_salesdocument", _("Can issue sales credit notes")),
                       ("issue_salesdocument", _("Can issue sales invoices"))]

    def __str__(self):
        return f"{self.get_kind_display()} {self.number}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(_("An issued sales document cannot be changed; issue a credit note instead."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("An issued sales document cannot be deleted; issue a credit note instead."))


class SalesLine(models.Model):
    document = models.ForeignKey(SalesDocument, verbose_name=_("document"), on_delete=models.CASCADE,
                                 related_name="lines")
    product_model = models.ForeignKey("catalog.ProductModel", verbose_name=_("product model"),
                                      on_delete=models.PROTECT, related_name="sales_lines")
    # Kept from the model when the line is written: commission rules go by product group.
    product_group = models.ForeignKey("catalog.ProductGroup", verbose_name=_("product group"),
                                      on_delete=models.PROTECT, related_name="+")
    description = models.CharField(_("description"), max_length=300)
    quantity = models.IntegerField(_("quantity"))
    unit_price = models.BigIntegerField(_("unit price"))
    discount = models.BigIntegerField(_("discount"), default=0)
    amount = models.BigIntegerField(_("amount"), help_text=_("Quantity × unit price − discount (negative on a credit note)."))
    # On a credit note: the invoice line it takes back, so that no line is credited beyond its quantity.
    credited_line = models.ForeignKey("self", verbose_name=_("credits the line"), on_delete=models.PROTECT, null=True,
                                      blank=True, related_name="credits")

    class Meta:
        verbose_name = _("sales line")
        verbose_name_plural = _("sales lines")
        ordering = ["document", "pk"]

    def __str__(self):
        return self.description


class Contract(models.Model):
    """A sales contract (agency, annual supply, project, after-sales service…) with its payment terms (F51, F52)."""

    class Kind(models.TextChoices):
        AGENCY = "agency", _("agency")
        SUPPLY = "supply", _("annual supply")
        PROJECT = "project", _("project")
        SERVICE = "service", _("after-sales service contract")

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        ENDED = "ended", _("ended")
        CANCELLED = "cancelled", _("cancelled")

    scope_center_field = "center"

    center = models.ForeignKey("organization.ServiceCenter", verbose_name=_("selling office"),
                               on_delete=models.PROTECT, related_name="contracts")
    number = models.CharField(_("contract number"), max_length=40)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    title = NormalizedCharField(_("title"), max_length=200)
    customer = models.ForeignKey("customers.Customer", verbose_name=_("party"), on_delete=models.PROTECT,
                                 related_name="contracts")
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    value = models.BigIntegerField(_("value (rials)"), validators=[MinValueValidator(0)])
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    responsible = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("responsible"),
                                    on_delete=models.PROTECT, related_name="+",
                                    help_text=_("Who gets the contract's alarms."))
    alarm_days_before = models.PositiveSmallIntegerField(
        _("alarm days before"), default=7, validators=[MaxValueValidator(365)],
        help_text=_("How many days before an instalment or cheque falls due, and before the contract ends, to warn."))
    # Service terms of an after-sales service contract (F25).
    visits_included = models.PositiveSmallIntegerField(_("visits included"), default=0)
    parts_covered = models.BooleanField(_("parts covered"), default=False)
    response_hours = models.PositiveSmallIntegerField(_("response time (hours)"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    submission_key = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        ordering = ["-start_date", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["center", "number"], name="sales_contract_number_unique"),
            models.CheckConstraint(condition=models.Q(end_date__gte=models.F("start_date")),
                                   name="sales_contract_dates"),
        ]
        indexes = [models.Index(fields=["status", "end_date"], name="sales_contract_end_idx"),
                   models.Index(fields=["number"], name="sales_contract_number_idx")]

    def __str__(self):
        return f"{self.number} — {self.title}"

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The contract cannot end before it starts.")})


class ContractUnit(models.Model):
    """A unit (by serial) an after-sales service contract covers."""

    scope_center_field = "contract__center"

    contract = models.ForeignKey(Contract, verbose_name=_("contract"), on_delete=models.CASCADE, related_name="units")
    unit = models.ForeignKey("catalog.ProductUnit", verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="service_contracts")
    visits_used = models.PositiveSmallIntegerField(_("visits used"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("unit under contract")
        verbose_name_plural = _("units under contract")
        constraints = [models.UniqueConstraint(fields=["contract", "unit"], name="sales_contract_unit_unique")]

    def __str__(self):
        return f"{self.contract_id} · {self.unit_id}"


class Instalment(models.Model):
    """One payment term of a contract: an amount due on a date."""

    scope_center_field = "contract__center"

    contract = models.ForeignKey(Contract, verbose_name=_("contract"), on_delete=models.CASCADE,
                                 related_name="instalments")
    due_date = models.DateField(_("due date"))
    amount = models.BigIntegerField(_("amount"), validators=[MinValueValidator(1)])
    paid = models.BigIntegerField(_("paid"), default=0)

    class Meta:
        verbose_name = _("instalment")
        verbose_name_plural = _("instalments")
        ordering = ["contract", "due_date", "pk"]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="sales_instalment_positive"),
                       models.CheckConstraint(condition=models.Q(paid__gte=0) & models.Q(paid__lte=models.F("amount")),
                                              name="sales_instalment_paid")]
        indexes = [models.Index(fields=["due_date"], name="sales_instalment_due_idx",
                                condition=models.Q(paid__lt=models.F("amount")))]

    def __str__(self):
        return f"{self.contract_id} · {self.due_date}"

    @property
    def owed(self) -> int:
        return self.amount - self.paid


class Cheque(models.Model):
    """A cheque received from a party, with its Sayad number, and what became of it."""

    class State(models.TextChoices):
        RECEIVED = "received", _("received")
        DEPOSITED = "deposited", _("deposited")
        CLEARED = "cleared", _("cleared")
        RETURNED = "returned", _("returned")

    scope_center_field = "center"

    center = models.ForeignKey("organization.ServiceCenter", verbose_name=_("selling office"),
                               on_delete=models.PROTECT, related_name="cheques")
    customer = models.ForeignKey("customers.Customer", verbose_name=_("drawer (party)"), on_delete=models.PROTECT,
                                 related_name="cheques")
    contract = models.ForeignKey(Contract, verbose_name=_("contract"), on_delete=models.PROTECT, null=True,
                                 blank=True, related_name="cheques")
    sayad_number = IdentifierField(_("Sayad number"), kind="sayad_number", unique=True)
    bank = NormalizedCharField(_("bank"), max_length=60)
    amount = models.BigIntegerField(_("amount"), validators=[MinValueValidator(1)])
    due_date = models.DateField(_("due date"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.RECEIVED)
    returned_reason = models.CharField(_("returned reason"), max_length=200, blank=True)
    state_changed_on = models.DateField(_("state changed on"), null=True, blank=True)
    responsible = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("responsible"),
                                    on_delete=models.PROTECT, related_name="+")
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cheque")
        verbose_name_plural = _("cheques")
        ordering = ["due_date", "pk"]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="sales_cheque_positive")]
        indexes = [models.Index(fields=["due_date"], name="sales_cheque_open_due_idx",
                                condition=models.Q(state__in=["received", "deposited"])),
                   models.Index(fields=["customer", "state"], name="sales_cheque_customer_idx")]

    def __str__(self):
        return self.sayad_number


class Receipt(models.Model):
    """Money received against a sales invoice or a contract's instalment: cash, card, transfer or a cheque.

    A receipt by cheque counts until the cheque is returned; then it is voided and the debt is back.
    """

    class Method(models.TextChoices):
        CASH = "cash", _("cash")
        CARD = "card", _("card (POS)")
        TRANSFER = "transfer", _("bank transfer")
        CHEQUE = "cheque", _("cheque")

    scope_center_field = "center"

    center = models.ForeignKey("organization.ServiceCenter", verbose_name=_("selling office"),
                               on_delete=models.PROTECT, related_name="sales_receipts")
    customer = models.ForeignKey("customers.Customer", verbose_name=_("party"), on_delete=models.PROTECT,
                                 related_name="sales_receipts")
    document = models.ForeignKey(SalesDocument, verbose_name=_("sales invoice"), on_delete=models.PROTECT, null=True,
                                 blank=True, related_name="receipts")
    instalment = models.ForeignKey(Instalment, verbose_name=_("instalment"), on_delete=models.PROTECT, null=True,
                                   blank=True, related_name="receipts")
    method = models.CharField(_("method"), max_length=10, choices=Method.choices)
    amount = models.BigIntegerField(_("amount"))
    cheque = models.OneToOneField(Cheque, verbose_name=_("cheque"), on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="receipt")
    reference = models.CharField(_("reference (tracking number)"), max_length=60, blank=True)
    received_on = models.DateField(_("received on"))
    is_void = models.BooleanField(_("void"), default=False)
    voided_reason = models.CharField(_("void reason"), max_length=200, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("received by"), on_delete=models.SET_NULL,
                           null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    submission_key = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    # A void (a returned cheque) is a change: the trail keeps who voided it and when.
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")
        ordering = ["received_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="sales_receipt_positive"),
            models.CheckConstraint(condition=models.Q(document__isnull=False) | models.Q(instalment__isnull=False),
                                   name="sales_receipt_for_something"),
        ]
        indexes = [models.Index(fields=["customer", "received_on"], name="sales_receipt_customer_idx")]

    def __str__(self):
        return f"{self.get_method_display()} {self.amount}"


class Alarm(models.Model):
    """A notice in the responsible user's cartable (and by SMS or e-mail through the messaging rules).

    ``key`` names the occurrence (``instalment:12:due``, ``cheque:7:returned``…) and is unique, so an
    alarm fires once however often the nightly pass runs.
    """

    class Kind(models.TextChoices):
        INSTALMENT_DUE = "instalment_due", _("instalment falls due")
        CHEQUE_DUE = "cheque_due", _("cheque falls due")
        CHEQUE_RETURNED = "cheque_returned", _("cheque returned")
        CONTRACT_ENDING = "contract_ending", _("contract ends")

    scope_center_field = "center"

    key = models.CharField(max_length=60, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    center = models.ForeignKey("organization.ServiceCenter", verbose_name=_("selling office"),
                               on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("for"), on_delete=models.CASCADE,
                             related_name="sales_alarms")
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, null=True, blank=True, related_name="alarms")
    instalment = models.ForeignKey(Instalment, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    cheque = models.ForeignKey(Cheque, on_delete=models.CASCADE, null=True, blank=True, related_name="alarms")
    due_date = models.DateField(_("due date"), null=True, blank=True)
    text = models.CharField(_("text"), max_length=300)
    fired_at = models.DateTimeField(_("fired at"), default=timezone.now)
    seen_at = models.DateTimeField(_("seen at"), null=True, blank=True)

    class Meta:
        verbose_name = _("alarm")
        verbose_name_plural = _("alarms")
        ordering = ["-fired_at", "-pk"]
        indexes = [models.Index(fields=["user", "seen_at", "-fired_at"], name="sales_alarm_user_idx")]

    def __str__(self):
        return self.text


class Agent(models.Model):
    """An agent in the sales network's tree (provincial → city → sub-agent…), linked to its party (F42).

    ``path`` is the ids from the root down, zero-padded and slash-separated (``000001/000023/``), so a
    sub-tree is one prefix match.
    """

    scope_center_field = "center"

    customer = models.OneToOneField("customers.Customer", verbose_name=_("party"), on_delete=models.PROTECT,
                                    related_name="agent")
    center = models.ForeignKey("organization.ServiceCenter", verbose_name=_("managing office"),
                               on_delete=models.PROTECT, related_name="agents")
    parent = models.ForeignKey("self", verbose_name=_("parent agent"), on_delete=models.PROTECT, null=True,
                               blank=True, related_name="children")
    level = models.PositiveSmallIntegerField(_("level"), default=1, editable=False)
    path = models.CharField(max_length=255, editable=False)
    code = models.CharField(_("agent code"), max_length=30, unique=True)
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("agent")
        verbose_name_plural = _("agents")
        ordering = ["path"]
        indexes = [models.Index(fields=["path"], name="sales_agent_path_idx", opclasses=["varchar_pattern_ops"])]

    def __str__(self):
        return f"{self.code} — {self.customer}"


class CommissionRule(models.Model):
    """A commission rate for sales in a date range, by agent level, product group and target tier.

    ``kind`` ``own``: on the agent's own sales; ``override``: on the sales of the agent's sub-tree (below
    it). The tier is the least the agent's (or sub-tree's) sales in the period must reach. Rules with the
    same kind, level, group and tier never overlap in dates.
    """

    class Kind(models.TextChoices):
        OWN = "own", _("own sales")
        OVERRIDE = "override", _("override on the sub-tree's sales")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.OWN)
    level = models.PositiveSmallIntegerField(_("agent level"), validators=[MinValueValidator(1), MaxValueValidator(9)])
    product_group = models.ForeignKey("catalog.ProductGroup", verbose_name=_("product group"), on_delete=models.PROTECT,
                                      null=True, blank=True, related_name="+", help_text=_("Empty: every group."))
    tier_from = models.BigIntegerField(_("from sales of (rials)"), default=0, validators=[MinValueValidator(0)])
    rate = models.DecimalField(_("rate %"), max_digits=5, decimal_places=2,
                               validators=[MinValueValidator(0), MaxValueValidator(100)])
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True, help_text=_("Empty: until further notice."))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("commission rule")
        verbose_name_plural = _("commission rules")
        ordering = ["kind", "level", "product_group", "tier_from", "valid_from"]
        constraints = [models.CheckConstraint(condition=models.Q(valid_to__isnull=True)
                                              | models.Q(valid_to__gte=models.F("valid_from")),
                                              name="sales_rule_dates")]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.level} · {self.rate}%"


class CommissionStatement(models.Model):
    """One agent's commission for one Jalali month, with the lines that produced it; frozen once approved."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("calculated")
        APPROVED = "approved", _("approved")

    scope_center_field = "agent__center"

    agent = models.ForeignKey(Agent, verbose_name=_("agent"), on_delete=models.PROTECT, related_name="statements")
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"), validators=[MinValueValidator(1), MaxValueValidator(12)])
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    sales = models.BigIntegerField(_("own sales"), default=0)
    total = models.BigIntegerField(_("commission"), default=0)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    calculated_at = models.DateTimeField(_("calculated at"), default=timezone.now)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("approved by"),
                                    on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("commission statement")
        verbose_name_plural = _("commission statements")
        ordering = ["-year", "-month", "agent"]
        constraints = [models.UniqueConstraint(fields=["agent", "year", "month"], name="sales_statement_unique")]
        permissions = [("approve_commissionstatement", _("Can approve commission statements"))]

    def __str__(self):
        return f"{self.agent} · {self.year}/{self.month:02d}"


class CommissionLine(models.Model):
    """What one document's lines of one product group earned an agent under one rule."""

    statement = models.ForeignKey(CommissionStatement, verbose_name=_("statement"), on_delete=models.CASCADE,
                                  related_name="lines")
    document = models.ForeignKey(SalesDocument, verbose_name=_("document"), on_delete=models.PROTECT,
                                 related_name="+")
    source_agent = models.ForeignKey(Agent, verbose_name=_("sold by"), on_delete=models.PROTECT, related_name="+")
    product_group = models.ForeignKey("catalog.ProductGroup", verbose_name=_("product group"),
                                      on_delete=models.PROTECT, related_name="+")
    rule = models.ForeignKey(CommissionRule, verbose_name=_("rule"), on_delete=models.PROTECT, related_name="+")
    base = models.BigIntegerField(_("sales amount"))
    rate = models.DecimalField(_("rate %"), max_digits=5, decimal_places=2)
    amount = models.BigIntegerField(_("commission"))

    class Meta:
        verbose_name = _("commission line")
        verbose_name_plural = _("commission lines")
        ordering = ["statement", "document", "pk"]

    def __str__(self):
        return f"{self.document_id} · {self.amount}"
