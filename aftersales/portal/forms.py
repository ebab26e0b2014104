from django import forms
from django.utils.translation import gettext_lazy as _

from aftersales.core.forms import StyledFormMixin


class MobileForm(StyledFormMixin, forms.Form):
    mobile = forms.CharField(label=_("Your mobile"), max_length=20,
                             widget=forms.TextInput(attrs={"dir": "ltr", "inputmode": "tel", "autocomplete": "tel",
                                                           "placeholder": "09xxxxxxxxx", "autofocus": True}))


class CodeForm(StyledFormMixin, forms.Form):
    code = forms.CharField(label=_("Code texted to you"), max_length=10,
                           widget=forms.TextInput(attrs={"dir": "ltr", "inputmode": "numeric",
                                                         "autocomplete": "one-time-code", "autofocus": True}))


class RegisterForm(StyledFormMixin, forms.Form):
    first_name = forms.CharField(label=_("first name"), max_length=100, required=False)
    last_name = forms.CharField(label=_("last name"), max_length=100)
    national_code = forms.CharField(label=_("national code"), max_length=20, required=False,
                                    widget=forms.TextInput(attrs={"dir": "ltr", "inputmode": "numeric"}))
