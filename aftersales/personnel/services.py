"""Writes on staff profiles: a staff member's skills, kept in the profile's audit trail (F07)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import Skill, StaffProfile, StaffSkill


def _audit(profile: StaffProfile, *, acting_user, reason: str) -> None:
    """A row in the profile's history naming the change, so the staff page's audit trail shows it."""
    profile._history_user = acting_user
    profile._change_reason = reason[:100]
    profile.save()


@transaction.atomic
def staff_skill_set(*, profile: StaffProfile, skill: Skill, level: int, acting_user,
                    certified_on: datetime.date | None = None,
                    certificate_expires_on: datetime.date | None = None) -> StaffSkill:
    """Give the staff member a skill at a level (or change the level and certificate of one they have).

    Refuses a certificate that expires before it was given.
    """
    if level not in StaffSkill.Level.values:
        raise ValidationError({"level": _("Unknown choice.")})
    if certified_on and certificate_expires_on and certificate_expires_on < certified_on:
        raise ValidationError({"certificate_expires_on": _("The certificate cannot expire before it was given.")})
    link, _created = StaffSkill.objects.update_or_create(
        profile=profile, skill=skill,
        defaults={"level": level, "certified_on": certified_on, "certificate_expires_on": certificate_expires_on})
    _audit(profile, acting_user=acting_user, reason=_("Skill %(skill)s: %(level)s") % {
        "skill": skill.name, "level": link.get_level_display()})
    return link


@transaction.atomic
def staff_skill_remove(*, profile: StaffProfile, skill: Skill, acting_user) -> None:
    """Take a skill off the staff member."""
    deleted, _rows = StaffSkill.objects.filter(profile=profile, skill=skill).delete()
    if deleted:
        _audit(profile, acting_user=acting_user, reason=_("Skill %(skill)s removed") % {"skill": skill.name})
