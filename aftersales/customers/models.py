"""Customers: natural persons and legal entities, with their phones, addresses and contacts (F06)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext, gettext_lazy as _
from simple_history.models import HistoricalRecords

from aftersales.core.fields import IdentifierField, NormalizedCharField, PastDateField
from aftersales.core.models import SearchableModel


class CustomerGroup(SearchableModel):
    """A tag or segment (VIP, dealer, organisation…), used by campaigns and reports."""

    search_fields = ("code", "name")

    code = models.SlugField(_("code"), max_length=40, unique=True, allow_unicode=True)
    name = NormalizedCharField(_("name"), max_length=100)
    history = HistoricalRecords(excluded_fields=["search_text"])

    class Meta:
        verbose_name = _("customer group")
        verbose_name_plural = _("customer groups")
        ordering = ["name"]

    def __str__(self):
        return self.name


def unnamed_marks() -> set[str]:
    """The last name stored for a customer registered without one, in the languages it may be stored in."""
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        return {"(unnamed)", gettext("(unnamed)")}


class Customer(SearchableModel):
    class Kind(models.TextChoices):
        PERSON = "person", _("natural person")
        LEGAL = "legal", _("legal entity")

    class Credit(models.TextChoices):
        """What the CRM's credit assessment allows (F45); kept here so every page showing the customer shows it."""

        CASH_ONLY = "cash_only", _("cash only")
        LIMITED = "limited", _("credit up to a limit")
        OPEN = "open", _("open credit")

    search_fields = ("display_name", "national_code", "legal_national_id", "mobile", "phone_numbers")
    field_labels = {"display_name": _("name")}

    kind = models.CharField(_("kind"), max_length=6, choices=Kind.choices, default=Kind.PERSON)
    first_name = NormalizedCharField(_("first name"), max_length=100, blank=True)
    last_name = NormalizedCharField(_("last name"), max_length=100, blank=True)
    company_name = NormalizedCharField(_("company name"), max_length=200, blank=True)
    national_code = IdentifierField(_("national code"), kind="national_code", blank=True)
    legal_national_id = IdentifierField(_("national ID"), kind="legal_national_id", blank=True)
    economic_number = IdentifierField(_("economic number"), kind="economic_number", blank=True)
    registration_number = models.CharField(_("registration number"), max_length=20, blank=True)
    birth_date = PastDateField(_("birth date"), null=True, blank=True)
    mobile = IdentifierField(_("mobile"), kind="mobile", blank=True, db_index=True)
    email = models.EmailField(_("e-mail"), blank=True)
    groups = models.ManyToManyField(CustomerGroup, verbose_name=_("groups"), related_name="customers", blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    # A lead (F31) is a party who has not bought yet: a customer row, so that its contacts, notes and
    # stage stay with it when it converts, and one identifier check and one merge serve both.
    is_lead = models.BooleanField(_("lead"), default=False, db_index=True,
                                  help_text=_("A possible buyer who has not bought yet."))
    credit_status = models.CharField(_("credit"), max_length=10, choices=Credit.choices, blank=True, editable=False)
    credit_limit = models.PositiveBigIntegerField(_("credit limit (rials)"), null=True, blank=True, editable=False)
    credit_assessed_on = models.DateField(_("credit assessed on"), null=True, blank=True, editable=False)
    merged_into = models.ForeignKey(
        "self", verbose_name=_("merged into"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        editable=False,
    )
    history = HistoricalRecords(excluded_fields=["search_text"])

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        ordering = ["-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["national_code"], condition=~Q(national_code="") & Q(merged_into__isnull=True),
                name="customers_national_code_unique",
            ),
            models.UniqueConstraint(
                fields=["legal_national_id"], condition=~Q(legal_national_id="") & Q(merged_into__isnull=True),
                name="customers_legal_id_unique",
            ),
        ]
        indexes = [models.Index(fields=["national_code"], name="customers_national_code_idx")]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.kind == self.Kind.LEGAL:
            return self.company_name
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def known_name(self) -> str:
        """The name to address the customer by; empty when none was given.

        A reception that does not ask the name stores «(unnamed)» as the last name, for the lists;
        a message must not greet anyone by it (its template falls back to another word).
        """
        if self.kind == self.Kind.LEGAL:
            return self.company_name.strip()
        last = "" if self.last_name.strip() in unnamed_marks() else self.last_name
        return f"{self.first_name} {last}".strip()

    @property
    def phone_numbers(self) -> str:
        if not self.pk:
            return ""
        return " ".join(self.phones.values_list("number", flat=True))

    def clean(self):
        errors = {}
        if self.kind == self.Kind.PERSON:
            if not self.last_name:
                errors["last_name"] = _("Enter the last name.")
            if self.company_name:
                errors["company_name"] = _("A natural person has no company name.")
        else:
            if not self.company_name:
                errors["company_name"] = _("Enter the company's name.")
            if self.national_code or self.birth_date:
                errors["national_code"] = _("A legal entity has a national ID, not a national code or a birth date.")
        if errors:
            raise ValidationError(errors)


class CustomerPhone(models.Model):
    class Kind(models.TextChoices):
        MOBILE = "mobile", _("mobile")
        LANDLINE = "landline", _("landline")

    customer = models.ForeignKey(Customer, verbose_name=_("customer"), on_delete=models.CASCADE, related_name="phones")
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.MOBILE)
    number = models.CharField(_("number"), max_length=11, db_index=True)
    label = models.CharField(_("label"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("phone")
        verbose_name_plural = _("phones")
        constraints = [models.UniqueConstraint(fields=["customer", "number"], name="customers_phone_unique")]

    def __str__(self):
        return self.number

    def clean(self):
        from aftersales.core.validators import VALIDATORS, NORMALIZERS

        self.number = NORMALIZERS[self.kind](self.number)
        try:
            VALIDATORS[self.kind](self.number)
        except ValidationError as error:
            raise ValidationError({"number": error.messages}) from None


class CustomerAddress(models.Model):
    customer = models.ForeignKey(Customer, verbose_name=_("customer"), on_delete=models.CASCADE, related_name="addresses")
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("city or district"), on_delete=models.PROTECT, related_name="+",
        limit_choices_to={"kind__in": ["city", "district"]},
    )
    address = NormalizedCharField(_("address"), max_length=500)
    postal_code = IdentifierField(_("postal code"), kind="postal_code", blank=True)
    is_default = models.BooleanField(_("default address"), default=True)

    class Meta:
        verbose_name = _("address")
        verbose_name_plural = _("addresses")

    def __str__(self):
        return f"{self.region}، {self.address}"


class ContactPerson(models.Model):
    customer = models.ForeignKey(Customer, verbose_name=_("customer"), on_delete=models.CASCADE, related_name="contacts")
    name = NormalizedCharField(_("name"), max_length=150)
    position = NormalizedCharField(_("position"), max_length=100, blank=True)
    mobile = IdentifierField(_("mobile"), kind="mobile", blank=True)

    class Meta:
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")

    def __str__(self):
        return self.name
