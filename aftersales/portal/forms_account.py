"""Forms of the customer's account pages (issue 22): register a purchase, file a complaint, details, addresses."""

from django import forms
from django.utils.translation import gettext_lazy as _

from aftersales.core.forms import JalaliDateField, StyledFormMixin
from aftersales.core.persian import localize_digits
from aftersales.customers.forms import RegionChoiceField
from aftersales.feedback.services import TEXT_LIMIT
from aftersales.regions.models import Region

LTR = {"dir": "ltr", "autocomplete": "off"}


class PurchaseForm(StyledFormMixin, forms.Form):
    serial = forms.CharField(label=_("Serial number"), max_length=40,
                             help_text=_("On the label on the back or side of the product."),
                             widget=forms.TextInput(attrs=LTR))
    card_number = forms.CharField(label=_("Warranty card number (if you have one)"), max_length=20, required=False,
                                  widget=forms.TextInput(attrs={**LTR, "inputmode": "numeric"}))
    purchase_date = JalaliDateField(label=_("Purchase date"))
    # An image of limited size: checked by the service (warranty.services.invoice_photo_errors).
    invoice_photo = forms.FileField(label=_("Photo of the purchase invoice"),
                                    widget=forms.ClearableFileInput(attrs={"accept": "image/*"}))


class ComplaintForm(StyledFormMixin, forms.Form):
    """A complaint about one of the account's units or repairs, or about something else."""

    OTHER = "other"

    about = forms.ChoiceField(label=_("About"))
    subject = forms.CharField(label=_("Subject"), max_length=200, required=False)
    text = forms.CharField(label=_("Your message"), max_length=TEXT_LIMIT, widget=forms.Textarea(attrs={"rows": 5}))
    submission = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, units, orders, **kwargs):
        super().__init__(*args, **kwargs)
        self.units = {f"unit:{unit.pk}": unit for unit in units}
        self.orders = {f"order:{order.pk}": order for order in orders}
        choices = []
        if self.units:
            choices.append((_("My products"), [(key, f"{unit.product_model.name} · {unit.serial}")
                                               for key, unit in self.units.items()]))
        if self.orders:
            choices.append((_("My repairs"), [(key, _("repair of %(product)s, order %(number)s")
                                               % {"product": order.product_model or order.serial,
                                                  "number": localize_digits(order.number)})
                                              for key, order in self.orders.items()]))
        choices.append((self.OTHER, _("Something else")))
        self.fields["about"].choices = choices

    def subject_of(self):
        """The unit and repair order the complaint is about (either may be None)."""
        about = self.cleaned_data["about"]
        return self.units.get(about), self.orders.get(about)


class DetailsForm(StyledFormMixin, forms.Form):
    first_name = forms.CharField(label=_("first name"), max_length=100, required=False)
    last_name = forms.CharField(label=_("last name"), max_length=100)
    email = forms.CharField(label=_("e-mail"), max_length=254, required=False,
                            widget=forms.TextInput(attrs={"dir": "ltr", "inputmode": "email", "autocomplete": "email"}))
    national_code = forms.CharField(
        label=_("national code"), max_length=20, required=False,
        help_text=_("Once recorded, it is changed only by our staff on seeing your ID card."),
        widget=forms.TextInput(attrs={"dir": "ltr", "inputmode": "numeric", "autocomplete": "off"}))

    def __init__(self, *args, customer, **kwargs):
        kwargs.setdefault("initial", {"first_name": customer.first_name, "last_name": customer.last_name,
                                      "email": customer.email})
        super().__init__(*args, **kwargs)
        if customer.national_code:  # shown, not editable: the customer does not change a recorded code
            del self.fields["national_code"]
        if customer.kind != customer.Kind.PERSON:  # a company's name is changed by staff
            del self.fields["first_name"], self.fields["last_name"]


class AddressForm(StyledFormMixin, forms.Form):
    region = RegionChoiceField(label=_("city or district"), queryset=Region.objects.none())
    address = forms.CharField(label=_("address"), max_length=500,
                              widget=forms.Textarea(attrs={"rows": 2}))
    postal_code = forms.CharField(label=_("postal code"), max_length=20,
                                  widget=forms.TextInput(attrs={"dir": "ltr", "inputmode": "numeric",
                                                                "autocomplete": "postal-code"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = (
            Region.objects.filter(kind__in=(Region.Kind.CITY, Region.Kind.DISTRICT), is_active=True)
            .select_related("parent__parent").order_by("code"))
