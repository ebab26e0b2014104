"""Forms of the parties' pages: a new lead, a customer brought into the CRM, a party's edit, a stage move
and a credit assessment with its returned cheques."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from aftersales.core.forms import JalaliDateField, MoneyField, StyledFormMixin
from aftersales.customers.models import Customer, CustomerPhone
from aftersales.organization.models import ServiceCenter

from .models import CreditAssessment, LeadSource, Party, PartyType, ReturnedCheque

def _model_field(model, name, **kwargs):
    return model._meta.get_field(name).formfield(**kwargs)


class PartyFields(forms.Form):
    """What marketing knows of a party (type, team, marketer, rating…); the team defaults to the user's."""

    party_type = forms.ModelChoiceField(PartyType.objects.all(), label=_("type"))
    center = forms.ModelChoiceField(ServiceCenter.objects.filter(is_active=True), label=_("team"),
                                    help_text=_("The office or center whose marketers follow the party."))
    marketer = forms.ModelChoiceField(
        get_user_model().objects.filter(is_active=True).order_by("last_name", "first_name", "username"),
        label=_("marketer"), required=False)
    rating = _model_field(Party, "rating")
    score = _model_field(Party, "score", max_value=100)
    status = _model_field(Party, "status")
    activity = _model_field(Party, "activity")
    source = forms.ModelChoiceField(LeadSource.objects.all(), label=_("source"), required=False)
    region = _model_field(Party, "region")

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        region = self.fields["region"]
        region.queryset = region.queryset.complex_filter(region.get_limit_choices_to())  # cities and districts
        if user is not None and not self.is_bound and "center" not in self.initial:
            self.initial["center"] = user.centers.filter(is_active=True).order_by("pk").first()
            self.initial.setdefault("marketer", user)


class LeadForm(StyledFormMixin, PartyFields):
    """A new lead: a natural person or a legal entity, its numbers, and its party fields."""

    kind = _model_field(Customer, "kind")
    first_name = _model_field(Customer, "first_name")
    last_name = _model_field(Customer, "last_name")
    company_name = _model_field(Customer, "company_name")
    national_code = _model_field(Customer, "national_code")
    legal_national_id = _model_field(Customer, "legal_national_id")
    economic_number = _model_field(Customer, "economic_number")
    mobile = _model_field(Customer, "mobile")
    phone = _model_field(CustomerPhone, "number", label=_("landline"), required=False)
    email = _model_field(Customer, "email")
    notes = _model_field(Customer, "notes", widget=forms.Textarea(attrs={"rows": 2}))

    field_order = ["kind", "first_name", "last_name", "company_name", "national_code", "legal_national_id",
                   "economic_number", "mobile", "phone", "email", "party_type", "rating", "score", "status",
                   "activity", "source", "region", "center", "marketer", "notes"]

    def clean(self):
        data = super().clean()
        if data.get("kind") == Customer.Kind.LEGAL and not data.get("company_name"):
            self.add_error("company_name", _("Enter the company's name."))
        if data.get("kind") == Customer.Kind.PERSON and not (data.get("last_name") or data.get("first_name")):
            self.add_error("last_name", _("Enter the last name."))
        return data


class PartyForm(StyledFormMixin, PartyFields):
    """A party's marketing fields, to bring a customer into the CRM."""


class PartyEditForm(PartyForm):
    """A party's marketing fields and its next step, to edit them."""

    next_step = _model_field(Party, "next_step")
    next_step_date = JalaliDateField(label=_("next step on"), required=False)


def party_initial(party: Party) -> dict:
    return {name: getattr(party, name) for name in ("party_type", "center", "marketer", "rating", "score", "status",
                                                     "activity", "source", "region", "next_step", "next_step_date")}


class MoveForm(StyledFormMixin, forms.Form):
    """Take one step out of the party's stage."""

    step = forms.ChoiceField(label=_("step"))
    comment = forms.CharField(label=_("why"), required=False, max_length=500,
                              widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, steps=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["step"].choices = [(check.transition.code, check.transition.name) for check in steps]


class CreditForm(StyledFormMixin, forms.Form):
    status = _model_field(CreditAssessment, "status")
    limit = MoneyField(label=_("credit limit"), required=False, min_value=1)
    declared_turnover = MoneyField(label=_("declared yearly turnover"), required=False, min_value=0)
    years_in_business = _model_field(CreditAssessment, "years_in_business")
    references = _model_field(CreditAssessment, "references", widget=forms.Textarea(attrs={"rows": 2}))
    verdict = _model_field(CreditAssessment, "verdict", widget=forms.Textarea(attrs={"rows": 3}))
    assessed_on = JalaliDateField(label=_("assessed on"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("status") == Customer.Credit.LIMITED and not data.get("limit"):
            self.add_error("limit", _("Credit up to a limit needs the limit."))
        if data.get("status") and data.get("status") != Customer.Credit.LIMITED and data.get("limit"):
            self.add_error("limit", _("Only credit up to a limit has a limit."))
        return data


class ChequeForm(StyledFormMixin, forms.Form):
    sayad_number = _model_field(ReturnedCheque, "sayad_number", required=False)
    bank = _model_field(ReturnedCheque, "bank")
    amount = MoneyField(label=_("amount"), required=False, min_value=1)
    returned_on = JalaliDateField(label=_("returned on"), required=False)
    reason = _model_field(ReturnedCheque, "reason")

    def clean(self):
        data = super().clean()
        filled = any(data.get(name) for name in ("bank", "amount", "returned_on", "reason"))
        if filled and not data.get("sayad_number") and "sayad_number" not in self.errors:
            self.add_error("sayad_number", _("Write the cheque's Sayad number."))
        return data


ChequeFormSet = forms.formset_factory(ChequeForm, extra=5, max_num=5, absolute_max=5, validate_max=True)
