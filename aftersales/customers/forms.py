from django import forms
from django.utils.translation import gettext_lazy as _

from aftersales.core.forms import StyledFormMixin
from aftersales.core.validators import NORMALIZERS, VALIDATORS

from .models import CustomerAddress, CustomerPhone


class PhoneForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=CustomerPhone.Kind.choices)
    number = forms.CharField(label=_("number"), max_length=20, widget=forms.TextInput(attrs={"dir": "ltr", "inputmode": "tel"}))

    def clean(self):
        data = super().clean()
        if data.get("kind") and data.get("number"):
            data["number"] = NORMALIZERS[data["kind"]](data["number"])
            try:
                VALIDATORS[data["kind"]](data["number"])
            except forms.ValidationError as error:
                self.add_error("number", error)
        return data


class RegionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, region):
        return f"{region.province().name} › {region}" if region.parent_id else str(region)


class AddressForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = CustomerAddress
        fields = ["region", "address", "postal_code"]
        field_classes = {"region": RegionChoiceField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = self.fields["region"].queryset.select_related("parent__parent").order_by("code")
