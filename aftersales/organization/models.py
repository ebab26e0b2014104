from django.contrib.auth.models import AbstractUser, Group
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from aftersales.core.fields import IdentifierField, NormalizedCharField
from aftersales.core.models import SearchableModel


class ServiceCenter(SearchableModel):
    """An after-sales service center (or the head office) of the manufacturer's network."""

    scope_center_field = "pk"
    search_fields = ("code", "name", "province", "city", "phone")

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = NormalizedCharField(_("name"), max_length=200)
    province = NormalizedCharField(_("province"), max_length=100)
    city = NormalizedCharField(_("city"), max_length=100)
    address = NormalizedCharField(_("address"), max_length=500, blank=True)
    postal_code = IdentifierField(_("postal code"), kind="postal_code", blank=True)
    phone = IdentifierField(_("phone"), kind="landline", blank=True)
    # The seller on the center's invoices (صورتحساب) and, later, the taxpayer in the tax authority's
    # e-invoice system: an authorised center is its own business, so these are the center's own.
    legal_name = NormalizedCharField(
        _("legal name"), max_length=200, blank=True,
        help_text=_("The name the center invoices under (the company or the owner), if not its name above."),
    )
    economic_number = IdentifierField(_("economic number"), kind="economic_number", blank=True)
    legal_national_id = IdentifierField(
        _("national ID"), kind="legal_national_id", blank=True, help_text=_("Of a company (11 digits)."),
    )
    national_code = IdentifierField(
        _("national code"), kind="national_code", blank=True,
        help_text=_("Of the owner, when the center is a sole proprietorship rather than a company."),
    )
    registration_number = models.CharField(_("registration number"), max_length=20, blank=True)
    manager = models.ForeignKey(
        "organization.User",
        verbose_name=_("manager"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="managed_centers",
    )
    auto_assign = models.BooleanField(
        _("assign repairs automatically"), default=False,
        help_text=_("At reception, give each order to the least loaded technician for its product group."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["search_text"])

    class Meta:
        verbose_name = _("service center")
        verbose_name_plural = _("service centers")
        ordering = ["code"]

    def __str__(self):
        return f"{self.name} ({self.code})"

    def save(self, *args, **kwargs):
        from aftersales.core.persian import normalize_identifier

        self.code = normalize_identifier(self.code)
        super().save(*args, **kwargs)


class User(AbstractUser):
    """A member of staff; the centers they work in decide which records they see."""

    scope_center_field = "centers"

    mobile = IdentifierField(_("mobile"), kind="mobile", blank=True)
    national_code = IdentifierField(_("national code"), kind="national_code", blank=True)
    centers = models.ManyToManyField(
        ServiceCenter,
        verbose_name=_("service centers"),
        through="CenterMembership",
        related_name="staff",
        blank=True,
    )
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.get_full_name() or self.username


class CenterMembership(models.Model):
    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE)
    center = models.ForeignKey(ServiceCenter, verbose_name=_("service center"), on_delete=models.CASCADE)
    joined_at = models.DateTimeField(_("joined at"), auto_now_add=True)

    class Meta:
        verbose_name = _("center membership")
        verbose_name_plural = _("center memberships")
        constraints = [models.UniqueConstraint(fields=["user", "center"], name="organization_membership_unique")]

    def __str__(self):
        return f"{self.user} @ {self.center}"


class RoleProfile(models.Model):
    """What a role (a Django group) means beyond its permissions."""

    group = models.OneToOneField(Group, verbose_name=_("group"), on_delete=models.CASCADE, related_name="role_profile")
    code = models.SlugField(_("code"), max_length=40, unique=True)
    spans_all_centers = models.BooleanField(
        _("can see every center"),
        default=False,
        help_text=_("Users with this role see the records of all centers, not only their own."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")

    def __str__(self):
        from .roles import role_label

        return str(role_label(self.group.name))
