from django import forms
from django.utils.translation import gettext_lazy as _

from aftersales.core.forms import StyledFormMixin

from .models import ServiceCenter, User


class CenterForm(StyledFormMixin, forms.ModelForm):
    reason = forms.CharField(label=_("Reason for the change"), required=False, max_length=200)

    class Meta:
        model = ServiceCenter
        fields = ["name", "province", "city", "address", "postal_code", "phone", "legal_name", "economic_number",
                  "legal_national_id", "national_code", "registration_number", "auto_assign", "is_active"]
        widgets = {"address": forms.Textarea(attrs={"rows": 2}),
                   **{name: forms.TextInput(attrs={"dir": "ltr", "inputmode": "numeric"})
                      for name in ("postal_code", "economic_number", "legal_national_id", "national_code")}}


class ProfileForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "email", "mobile", "national_code"]
        widgets = {
            "mobile": forms.TextInput(attrs={"dir": "ltr", "inputmode": "tel"}),
            "national_code": forms.TextInput(attrs={"dir": "ltr", "inputmode": "numeric"}),
        }
