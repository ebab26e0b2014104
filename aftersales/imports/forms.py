from django import forms
from django.utils.translation import gettext_lazy as _

from aftersales.core.forms import StyledFormMixin


class UploadForm(StyledFormMixin, forms.Form):
    file = forms.FileField(label=_("Excel (.xlsx) or CSV file"))


class CommitForm(forms.Form):
    """What the commit does with the rows whose record is already stored."""

    mode = forms.ChoiceField(label=_("Rows already registered"),
                             widget=forms.RadioSelect(attrs={"class": "form-check-input"}))

    def __init__(self, *args, can_update: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        from .models import ImportJob

        self.fields["mode"].choices = [
            choice for choice in ImportJob.Mode.choices if can_update or choice[0] != ImportJob.Mode.UPDATE
        ]
