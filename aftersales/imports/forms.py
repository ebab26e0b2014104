from django import forms
from django.utils.translation import gettext_lazy as _

from aftersales.core.forms import StyledFormMixin


class UploadForm(StyledFormMixin, forms.Form):
    file = forms.FileField(label=_("Excel (.xlsx) or CSV file"))
