"""Forms of the service contracts' units: one serial, or a paste of serials (F25)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from aftersales.core.forms import StyledFormMixin


class UnitAddForm(StyledFormMixin, forms.Form):
    serial = forms.CharField(label=_("serial"), max_length=100,
                             widget=forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off"}))


class UnitsBulkForm(StyledFormMixin, forms.Form):
    serials = forms.CharField(label=_("serials, one a line"), max_length=20000,
                              widget=forms.Textarea(attrs={"rows": 6, "dir": "ltr"}),
                              help_text=_("Paste the serials from Excel or a list; nothing is added while a line is wrong."))
