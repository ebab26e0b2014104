from django import forms
from django.utils.translation import gettext_lazy as _

from aftersales.core.forms import JalaliDateField, StyledFormMixin


class SelfActivationForm(StyledFormMixin, forms.Form):
    serial = forms.CharField(label=_("Serial number"), max_length=40)
    mobile = forms.CharField(label=_("Mobile"), max_length=20,
                             widget=forms.TextInput(attrs={"dir": "ltr", "inputmode": "tel", "autocomplete": "tel"}))
    purchase_date = JalaliDateField(label=_("Purchase date"))
    name = forms.CharField(label=_("Your name"), max_length=120, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["serial"].widget.attrs.update({"dir": "ltr", "autocomplete": "off"})


class ActivationCodeForm(StyledFormMixin, forms.Form):
    code = forms.CharField(label=_("Code texted to you"), max_length=10,
                           widget=forms.TextInput(attrs={"dir": "ltr", "inputmode": "numeric",
                                                         "autocomplete": "one-time-code"}))


class CardIssueForm(StyledFormMixin, forms.ModelForm):
    """A new card: the unit typed by its serial (a registry of millions is no drop-down), found exactly."""

    serial = forms.CharField(label=_("serial"), max_length=40,
                             widget=forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off", "autofocus": True}))

    class Meta:
        from .models import WarrantyCard

        model = WarrantyCard
        fields = []

    def clean_serial(self):
        from aftersales.catalog.models import ProductUnit
        from aftersales.core.persian import normalize_identifier

        key = normalize_identifier(self.cleaned_data["serial"])
        unit = ProductUnit.objects.filter(serial_key=key).first() if key else None
        if unit is None:
            raise forms.ValidationError(_("No unit with this serial is registered."))
        self.instance.unit = unit
        return key


class PeriodicRecordForm(StyledFormMixin, forms.Form):
    """Today's periodic service: who gave it (a technician of the user's centers), what was done, how long."""

    performed_by = forms.ModelChoiceField(label=_("done by"), queryset=None, required=False)
    work_done = forms.CharField(label=_("work done"), max_length=300, required=False)
    minutes = forms.IntegerField(label=_("time spent (minutes)"), min_value=0, max_value=24 * 60, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["performed_by"].queryset = periodic_performers(user)
        self.fields["performed_by"].initial = user.pk


def periodic_performers(user):
    """Who may be named as having given a visit: the user and the technicians of the user's centers."""
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    from aftersales.organization.roles import Role
    from aftersales.organization.scoping import center_ids, spans_all_centers

    people = Q(groups__name=Role.TECHNICIAN)
    if not spans_all_centers(user):
        people &= Q(centers__in=center_ids(user))
    User = get_user_model()
    return User.objects.filter(pk__in=User.objects.filter(people | Q(pk=user.pk), is_active=True).values("pk")).order_by(
        "first_name", "last_name", "username")
