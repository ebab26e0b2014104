from django import forms
from django.utils.translation import gettext_lazy as _

from aftersales.core.forms import JalaliDateField, StyledFormMixin
from aftersales.repairs.forms import PhotosField


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


class ServiceRequestForm(StyledFormMixin, forms.Form):
    """Ask for a repair or a home visit: one of the customer's units or a product not registered yet, where,
    when they would like it, and photos."""

    NOT_REGISTERED = "other"

    unit = forms.ChoiceField(label=_("Which product?"))
    product_model = forms.ModelChoiceField(label=_("Product model"), queryset=None, required=False,
                                           help_text=_("For a product not registered to you yet."))
    serial = forms.CharField(label=_("Serial number"), max_length=40, required=False,
                             widget=forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off"}))
    kind = forms.ChoiceField(label=_("What do you need?"), widget=forms.RadioSelect)
    description = forms.CharField(label=_("What is wrong?"), widget=forms.Textarea(attrs={"rows": 3}))
    region = forms.ModelChoiceField(label=_("City or district"), queryset=None)
    address = forms.CharField(label=_("Address"), max_length=500, required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))
    postal_code = forms.CharField(label=_("postal code"), max_length=20, required=False,
                                  widget=forms.TextInput(attrs={"dir": "ltr", "inputmode": "numeric"}))
    preferred_on = JalaliDateField(label=_("Preferred day"), required=False)
    window = forms.ChoiceField(label=_("Preferred time"))
    photos = PhotosField(label=_("Photos (optional)"), required=False)
    submission = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, units=(), **kwargs):
        from aftersales.catalog.models import ProductModel
        from aftersales.regions.models import Region
        from aftersales.repairs.models import ServiceRequest

        super().__init__(*args, **kwargs)
        self.units = {str(row.unit.pk): row.unit for row in units}
        self.fields["unit"].choices = [(pk, f"{unit.product_model.name} · {unit.serial}") for pk, unit in self.units.items()]
        self.fields["unit"].choices += [(self.NOT_REGISTERED, _("A product not registered to me"))]
        self.fields["product_model"].queryset = ProductModel.objects.filter(is_active=True).order_by("name")
        self.fields["region"].queryset = (Region.objects.filter(kind__in=[Region.Kind.CITY, Region.Kind.DISTRICT],
                                                                is_active=True)
                                          .select_related("parent").order_by("parent__name", "name"))
        self.fields["kind"].choices = ServiceRequest.KINDS
        self.fields["window"].choices = ServiceRequest.Window.choices

    def service_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        unit = self.units.get(data.pop("unit"))
        data.pop("submission")
        return {**data, "unit": unit, "product_model": None if unit else data["product_model"],
                "serial": "" if unit else data["serial"]}
