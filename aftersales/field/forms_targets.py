"""Forms of marketing plans with their target rows (F46)."""

import secrets

from django import forms
from django.utils.translation import gettext_lazy as _

from aftersales.core.filters import ModelChoiceField
from aftersales.core.forms import IntegerNumberField, JalaliDateField, StyledFormMixin
from aftersales.crm.models import PartyType
from aftersales.organization.models import ServiceCenter, User
from aftersales.organization.scoping import scope_queryset
from aftersales.regions.models import Region, SalesTerritory

from .models import Target, TargetPlan
from .services_targets import MAX_TARGETS, MAX_VALUE


class TargetPlanForm(StyledFormMixin, forms.Form):
    name = TargetPlan._meta.get_field("name").formfield()
    center = ModelChoiceField(label=_("team"), queryset=ServiceCenter.objects.none(),
                              help_text=_("The office or center whose marketers the plan is for."))
    start_date = JalaliDateField(label=_("start date"))
    end_date = JalaliDateField(label=_("end date"))
    note = forms.CharField(label=_("note"), max_length=300, required=False)
    submission_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args, user=None, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            self.fields["center"].queryset = scope_queryset(ServiceCenter.objects.filter(is_active=True), user)
            if not self.is_bound:
                self.initial.setdefault("center", user.centers.filter(is_active=True).order_by("pk").first())
        if editing:
            del self.fields["submission_key"]
        elif not self.is_bound:
            self.initial.setdefault("submission_key", secrets.token_urlsafe(16))

    def clean(self):
        data = super().clean()
        if data.get("start_date") and data.get("end_date") and data["end_date"] < data["start_date"]:
            self.add_error("end_date", _("The plan cannot end before it starts."))
        return data


class TargetForm(StyledFormMixin, forms.Form):
    metric = forms.ChoiceField(label=_("measure"), choices=Target.Metric.choices)
    marketer = ModelChoiceField(label=_("marketer"), queryset=User.objects.none(), required=False,
                                empty_label=_("the whole team"))
    party_type = ModelChoiceField(label=_("customer type"), queryset=PartyType.objects.order_by("name"),
                                  required=False, empty_label=_("every type"))
    region = ModelChoiceField(label=_("region"), queryset=Region.objects.filter(is_active=True).order_by("code"),
                              required=False, empty_label=_("every region"))
    territory = ModelChoiceField(label=_("sales territory"),
                                 queryset=SalesTerritory.objects.filter(is_active=True).order_by("code"),
                                 required=False, empty_label=_("every territory"))
    value = IntegerNumberField(label=_("target"), min_value=1, max_value=MAX_VALUE)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            self.fields["marketer"].queryset = scope_queryset(User.objects.filter(is_active=True), user).order_by(
                "last_name", "first_name", "username")
        self.fields["marketer"].label_from_instance = lambda person: person.get_full_name() or person.username


class _TargetFormSet(forms.BaseFormSet):
    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "user": self.user}

    @property
    def empty_form(self):
        form = self.form(auto_id=self.auto_id, prefix=self.add_prefix("__prefix__"), empty_permitted=True,
                         use_required_attribute=False, user=self.user, renderer=self.renderer)
        self.add_fields(form, None)
        return form


TargetFormSet = forms.formset_factory(TargetForm, formset=_TargetFormSet, extra=3, min_num=1, validate_min=True,
                                      max_num=MAX_TARGETS, validate_max=True, absolute_max=MAX_TARGETS,
                                      can_delete=True)


def target_rows(formset) -> list[dict]:
    """The formset's filled rows as the service takes them."""
    return [{name: form.cleaned_data.get(name) for name in ("metric", "marketer", "party_type", "region",
                                                            "territory", "value")}
            for form in formset.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")]
