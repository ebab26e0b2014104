"""Forms of contracts (with the instalment plan's rows), cheques and their moves (F51, F52)."""

import secrets

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from aftersales.core.filters import ModelChoiceField
from aftersales.core.forms import IntegerNumberField, JalaliDateField, MoneyField, StyledFormMixin
from aftersales.customers.models import Customer
from aftersales.organization.models import ServiceCenter
from aftersales.organization.scoping import scope_queryset

from .models import Contract, Instalment, SalesDocument


def _model_field(model, name, **kwargs):
    return model._meta.get_field(name).formfield(**kwargs)


def _party_field(**kwargs):
    return ModelChoiceField(label=_("party number"), queryset=Customer.objects.filter(merged_into__isnull=True),
                            widget=forms.TextInput(attrs={"dir": "ltr", "inputmode": "numeric"}), **kwargs)


class _Scoped:
    """The office and responsible user offered are the user's."""

    def _scope(self, user):
        if user is None:
            return
        self.fields["center"].queryset = scope_queryset(ServiceCenter.objects.filter(is_active=True), user)
        self.fields["responsible"].queryset = scope_queryset(
            get_user_model().objects.filter(is_active=True), user).order_by("last_name", "first_name", "username")
        self.fields["responsible"].label_from_instance = lambda person: person.get_full_name() or person.username
        if not self.is_bound:
            self.initial.setdefault("center", user.centers.filter(is_active=True).order_by("pk").first())
            self.initial.setdefault("responsible", user)


class ContractForm(_Scoped, StyledFormMixin, forms.Form):
    center = ModelChoiceField(label=_("selling office"), queryset=ServiceCenter.objects.none())
    number = forms.CharField(label=_("contract number"), max_length=40, required=False,
                             help_text=_("Empty: the next number of the office's series."))
    kind = _model_field(Contract, "kind")
    title = _model_field(Contract, "title")
    customer = _party_field(help_text=_("The number of the customer (party) the contract is with."))
    start_date = JalaliDateField(label=_("start date"))
    end_date = JalaliDateField(label=_("end date"))
    value = MoneyField(label=_("value (rials)"), min_value=1)
    responsible = ModelChoiceField(label=_("responsible"), queryset=get_user_model().objects.none(),
                                   help_text=_("Who gets the contract's alarms."))
    alarm_days_before = IntegerNumberField(label=_("alarm days before"), min_value=0, max_value=365, initial=7)
    visits_included = IntegerNumberField(label=_("visits included"), min_value=0, max_value=999, required=False,
                                         help_text=_("Service contracts only."))
    parts_covered = forms.BooleanField(label=_("parts covered"), required=False)
    response_hours = IntegerNumberField(label=_("response time (hours)"), min_value=1, max_value=9999,
                                        required=False)
    note = _model_field(Contract, "note", widget=forms.Textarea(attrs={"rows": 2}))
    submission_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args, user=None, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self._scope(user)
        if editing:
            del self.fields["center"], self.fields["number"], self.fields["submission_key"]
        elif not self.is_bound:
            self.initial.setdefault("submission_key", secrets.token_urlsafe(16))

    def clean(self):
        data = super().clean()
        if data.get("start_date") and data.get("end_date") and data["end_date"] < data["start_date"]:
            self.add_error("end_date", _("The contract cannot end before it starts."))
        return data


class InstalmentForm(StyledFormMixin, forms.Form):
    due_date = JalaliDateField(label=_("due date"))
    amount = MoneyField(label=_("amount"), min_value=1)


InstalmentFormSet = forms.formset_factory(InstalmentForm, extra=2, min_num=1, validate_min=True, max_num=120,
                                          validate_max=True, absolute_max=120, can_delete=True)


class SplitForm(StyledFormMixin, forms.Form):
    """Split the value evenly into N monthly instalments from the first due date."""

    count = IntegerNumberField(label=_("number of monthly instalments"), min_value=1, max_value=120)
    first_due = JalaliDateField(label=_("first instalment on"))


class ChequeForm(_Scoped, StyledFormMixin, forms.Form):
    center = ModelChoiceField(label=_("selling office"), queryset=ServiceCenter.objects.none())
    customer = _party_field(help_text=_("The number of the customer (party) who gave the cheque."))
    sayad_number = forms.CharField(label=_("Sayad number"), max_length=40,
                                   widget=forms.TextInput(attrs={"dir": "ltr", "inputmode": "numeric"}),
                                   help_text=_("The 16 digits printed on the cheque."))
    bank = forms.CharField(label=_("bank"), max_length=60)
    amount = MoneyField(label=_("amount"), min_value=1)
    due_date = JalaliDateField(label=_("due date"))
    responsible = ModelChoiceField(label=_("responsible"), queryset=get_user_model().objects.none())
    contract = ModelChoiceField(label=_("contract"), queryset=Contract.objects.none(), required=False)
    instalment = ModelChoiceField(label=_("instalment"), queryset=Instalment.objects.none(), required=False)
    document = ModelChoiceField(label=_("sales invoice"), queryset=SalesDocument.objects.none(), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._scope(user)
        if user is not None:
            self.fields["contract"].queryset = scope_queryset(
                Contract.objects.filter(status=Contract.Status.ACTIVE), user)
            self.fields["instalment"].queryset = scope_queryset(
                Instalment.objects.select_related("contract"), user)
            self.fields["document"].queryset = scope_queryset(
                SalesDocument.objects.filter(kind=SalesDocument.Kind.INVOICE), user)
            self.fields["instalment"].widget = forms.HiddenInput()
            self.fields["contract"].widget = forms.TextInput(attrs={"dir": "ltr", "inputmode": "numeric"})
            self.fields["document"].widget = forms.TextInput(attrs={"dir": "ltr", "inputmode": "numeric"})


class ChequeReturnForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("why it was returned"), max_length=200)
    returned_on = JalaliDateField(label=_("returned on"), required=False)
