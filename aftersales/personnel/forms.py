from django import forms
from django.utils.translation import gettext_lazy as _

from aftersales.core.forms import JalaliDateField, StyledFormMixin

from .models import Skill, StaffSkill


class StaffSkillForm(StyledFormMixin, forms.Form):
    """A skill given to a staff member on their page, at a level, with its certificate's dates."""

    skill = forms.ModelChoiceField(label=_("skill"), queryset=Skill.objects.order_by("name"))
    level = forms.TypedChoiceField(label=_("level"), choices=StaffSkill.Level.choices, coerce=int,
                                   initial=StaffSkill.Level.SKILLED)
    certified_on = JalaliDateField(label=_("certified on"), required=False)
    certificate_expires_on = JalaliDateField(label=_("certificate expires on"), required=False)
