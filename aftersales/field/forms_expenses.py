"""Forms of visit expenses: the marketer's phone-friendly form and the manager's refusal (F58)."""

import secrets

from django import forms
from django.utils.translation import gettext_lazy as _

from aftersales.core.forms import JalaliDateField, MoneyField, StyledFormMixin

from .models import Tour, TourStop, VisitExpense
from .services_expenses import receipt_errors


class ReceiptInput(forms.ClearableFileInput):
    """Opens the phone's camera (the back one) and still offers the gallery."""

    def __init__(self, attrs=None):
        super().__init__({"accept": "image/*", "capture": "environment", **(attrs or {})})


class ExpenseForm(StyledFormMixin, forms.Form):
    spent_on = JalaliDateField(label=_("date"))
    kind = forms.ChoiceField(label=_("kind"), choices=VisitExpense.Kind.choices)
    amount = MoneyField(label=_("amount"), min_value=1, max_value=10**15)
    receipt = forms.ImageField(label=_("photo of the receipt"), required=False, widget=ReceiptInput)
    tour = forms.ModelChoiceField(label=_("tour"), queryset=Tour.objects.none(), required=False)
    stop = forms.ModelChoiceField(label=_("visit"), queryset=TourStop.objects.none(), required=False,
                                  widget=forms.HiddenInput)
    description = forms.CharField(label=_("description"), max_length=300, required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))
    submission_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        from django.conf import settings

        from aftersales.core.persian import format_number

        if user is not None:
            self.fields["tour"].queryset = Tour.objects.filter(marketer=user).order_by("-start_date", "-pk")
            self.fields["stop"].queryset = TourStop.objects.filter(day__tour__marketer=user)
        self.fields["receipt"].help_text = _("Required over %(limit)s rials; a photo from the camera or gallery.") % {
            "limit": format_number(settings.FIELD_RECEIPT_REQUIRED_OVER)}
        if not self.is_bound:
            from django.utils import timezone

            self.initial.setdefault("submission_key", secrets.token_urlsafe(16))
            self.initial.setdefault("spent_on", timezone.localdate())  # most expenses are filed on the day

    def clean_receipt(self):
        receipt = self.cleaned_data.get("receipt")
        if receipt:
            messages = receipt_errors(receipt)
            if messages:
                raise forms.ValidationError(messages)
        return receipt


class RefuseForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("reason for refusal"), max_length=300,
                             widget=forms.TextInput(attrs={"autocomplete": "off"}))
