from django import forms
from django.utils.translation import gettext_lazy as _

from aftersales.core.forms import JalaliDateField, MoneyField, StyledFormMixin
from aftersales.organization.models import ServiceCenter

from .models import ClaimDecision, Payment
from .statements import technicians_for


class InvoiceForm(StyledFormMixin, forms.Form):
    submission = forms.CharField(widget=forms.HiddenInput)
    transport = MoneyField(label=_("transport"), required=False, min_value=0)
    discount = MoneyField(label=_("discount"), required=False, min_value=0)
    note = forms.CharField(label=_("note"), max_length=300, required=False)


class PaymentForm(StyledFormMixin, forms.Form):
    submission = forms.CharField(widget=forms.HiddenInput)
    amount = MoneyField(label=_("amount"), min_value=1)
    method = forms.ChoiceField(label=_("method"), choices=Payment.Method.choices)
    reference = forms.CharField(label=_("reference (card or transfer tracking number)"), max_length=60, required=False)


class CreditForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("reason for the credit note"), max_length=300)


class ClaimForm(StyledFormMixin, forms.Form):
    submission = forms.CharField(widget=forms.HiddenInput)
    center = forms.ModelChoiceField(label=_("service center"), queryset=ServiceCenter.objects.none())
    start = JalaliDateField(label=_("From"))
    end = JalaliDateField(label=_("To"))
    bill_to = forms.CharField(label=_("billed to"), max_length=200, required=False)

    def __init__(self, *args, centers=None, **kwargs):
        super().__init__(*args, **kwargs)
        if centers is not None:
            self.fields["center"].queryset = centers


class DecisionForm(StyledFormMixin, forms.Form):
    decision = forms.ChoiceField(label=_("decision"), choices=ClaimDecision.Decision.choices)
    amount = MoneyField(label=_("approved amount"), required=False, min_value=0)
    reason = forms.CharField(label=_("reason"), max_length=300, required=False)
    part_return = forms.BooleanField(label=_("send the faulty part back"), required=False)


class StatementForm(StyledFormMixin, forms.Form):
    technician = forms.ModelChoiceField(label=_("technician"), queryset=None)
    start = JalaliDateField(label=_("From"))
    end = JalaliDateField(label=_("To"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["technician"].queryset = technicians_for(user)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", _("The end of the period is before its start."))
        return data
