from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from aftersales.core.fields import NormalizedCharField
from aftersales.core.models import SearchableModel


class Region(SearchableModel):
    """A province, a city or a district/zone of a city: Iran's divisions as one tree (F01)."""

    class Kind(models.TextChoices):
        PROVINCE = "province", _("Province")
        CITY = "city", _("City")
        DISTRICT = "district", _("District")

    _PARENT_KIND = {Kind.CITY: Kind.PROVINCE, Kind.DISTRICT: Kind.CITY}
    search_fields = ("code", "name", "parent_name")

    code = models.CharField(_("code"), max_length=12, unique=True)
    name = NormalizedCharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("part of"), on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    area_code = models.CharField(_("telephone area code"), max_length=4, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords(excluded_fields=["search_text"])

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="regions_region_unique_name_in_parent"),
        ]

    def __str__(self):
        return f"{self.name} ({self.parent.name})" if self.kind == self.Kind.DISTRICT and self.parent else self.name

    @property
    def parent_name(self) -> str:
        return self.parent.name if self.parent_id else ""

    def clean(self):
        expected = self._PARENT_KIND.get(self.kind)
        if expected is None and self.parent_id:
            raise ValidationError({"parent": _("A province is not part of another region.")})
        if expected is not None and (self.parent is None or self.parent.kind != expected):
            raise ValidationError(
                {"parent": _("A %(kind)s must be part of a %(parent)s.")
                 % {"kind": self.Kind(self.kind).label, "parent": self.Kind(expected).label}}
            )

    def province(self) -> "Region":
        region = self
        while region.parent_id:
            region = region.parent
        return region


class SalesTerritory(SearchableModel):
    """A territory drawn by the company: cities or districts, served by centers and visited by visitors."""

    search_fields = ("code", "name")

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = NormalizedCharField(_("name"), max_length=150)
    regions = models.ManyToManyField(Region, verbose_name=_("regions"), related_name="territories")
    centers = models.ManyToManyField(
        "organization.ServiceCenter", verbose_name=_("service centers"), related_name="territories", blank=True
    )
    # Only staff with the visitor role are offered (desk, admin, API): a territory is visited by visitors.
    visitors = models.ManyToManyField(
        "organization.User", verbose_name=_("visitors"), related_name="territories", blank=True,
        limit_choices_to={"groups__name": "visitor"},
    )
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords(excluded_fields=["search_text"])

    class Meta:
        verbose_name = _("sales territory")
        verbose_name_plural = _("sales territories")
        ordering = ["code"]

    def __str__(self):
        return self.name
