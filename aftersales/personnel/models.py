"""Staff of the centers by specialty and skill (F07): who can service which product groups."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from aftersales.core.fields import NormalizedCharField
from aftersales.core.models import SearchableModel


class Skill(SearchableModel):
    search_fields = ("code", "name")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = NormalizedCharField(_("name"), max_length=100)
    fault_codes = models.ManyToManyField(
        "catalog.FaultCode", verbose_name=_("faults this skill repairs"), related_name="skills", blank=True,
        help_text=_("A fault covers its sub-faults. Orders with these faults are suggested to staff with this skill."),
    )
    history = HistoricalRecords(excluded_fields=["search_text"])

    class Meta:
        verbose_name = _("skill")
        verbose_name_plural = _("skills")
        ordering = ["name"]

    def __str__(self):
        return self.name


class StaffProfile(SearchableModel):
    """A staff member's working profile at their center; scoped to that center."""

    scope_center_field = "center"
    search_fields = ("full_name", "specialty", "personnel_number")
    field_labels = {"full_name": _("name")}

    user = models.OneToOneField("organization.User", verbose_name=_("user"), on_delete=models.CASCADE, related_name="staff_profile")
    center = models.ForeignKey("organization.ServiceCenter", verbose_name=_("service center"), on_delete=models.PROTECT, related_name="staff_profiles")
    personnel_number = models.CharField(_("personnel number"), max_length=20, blank=True)
    specialty = NormalizedCharField(_("specialty"), max_length=100, blank=True)
    product_groups = models.ManyToManyField(
        "catalog.ProductGroup", verbose_name=_("product groups serviced"), related_name="staff", blank=True
    )
    work_hours = NormalizedCharField(_("work hours"), max_length=100, blank=True, help_text=_("e.g. Sat–Wed 8:00–16:00"))
    hourly_rate = models.PositiveBigIntegerField(_("labour rate per hour (rials)"), default=0)
    commission_percent = models.DecimalField(_("commission (percent of labour)"), max_digits=5, decimal_places=2, default=0,
                                             help_text=_("The technician's share of the labour they do (F24)."))
    does_home_service = models.BooleanField(_("does home service"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords(excluded_fields=["search_text"])

    class Meta:
        verbose_name = _("staff profile")
        verbose_name_plural = _("staff profiles")
        ordering = ["center", "user__last_name"]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self) -> str:
        return str(self.user) if self.user_id else ""


class StaffSkill(models.Model):
    class Level(models.IntegerChoices):
        BEGINNER = 1, _("beginner")
        SKILLED = 2, _("skilled")
        EXPERT = 3, _("expert")

    profile = models.ForeignKey(StaffProfile, verbose_name=_("staff profile"), on_delete=models.CASCADE, related_name="skills")
    skill = models.ForeignKey(Skill, verbose_name=_("skill"), on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices, default=Level.SKILLED)
    certified_on = models.DateField(_("certified on"), null=True, blank=True)
    certificate_expires_on = models.DateField(_("certificate expires on"), null=True, blank=True)

    class Meta:
        verbose_name = _("staff skill")
        verbose_name_plural = _("staff skills")
        constraints = [models.UniqueConstraint(fields=["profile", "skill"], name="personnel_skill_unique")]

    def __str__(self):
        return f"{self.skill} ({self.get_level_display()})"


class Team(models.Model):
    """A group of staff at a center that work is referred to (the refrigerator team, the home-service team)."""

    scope_center_field = "center"

    center = models.ForeignKey("organization.ServiceCenter", verbose_name=_("service center"), on_delete=models.PROTECT,
                               related_name="teams")
    code = models.SlugField(_("code"), max_length=40)
    name = NormalizedCharField(_("name"), max_length=100)
    members = models.ManyToManyField("organization.User", verbose_name=_("members"), related_name="teams", blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords(m2m_fields=[members])

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["center", "name"]
        constraints = [models.UniqueConstraint(fields=["center", "code"], name="personnel_team_code_per_center")]

    def __str__(self):
        return self.name
