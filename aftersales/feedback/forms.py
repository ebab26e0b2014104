import datetime

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aftersales.core.forms import JalaliDateField, StyledFormMixin
from aftersales.desk.forms import ResourceForm

from .models import Complaint
from .services import TEXT_LIMIT


class ComplaintForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("This is a"), choices=Complaint.Kind.choices, initial=Complaint.Kind.COMPLAINT)
    category = forms.ChoiceField(label=_("About"), choices=Complaint.Category.choices, initial=Complaint.Category.OTHER)
    name = forms.CharField(label=_("Your name"), max_length=120, required=False)
    mobile = forms.CharField(label=_("Mobile"), max_length=20, required=False,
                             widget=forms.TextInput(attrs={"dir": "ltr", "inputmode": "tel", "autocomplete": "tel"}))
    email = forms.CharField(label=_("E-mail"), max_length=254, required=False,
                            widget=forms.TextInput(attrs={"dir": "ltr", "inputmode": "email", "autocomplete": "email"}))
    serial = forms.CharField(label=_("Product serial (if any)"), max_length=40, required=False,
                             widget=forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off"}))
    tracking_code = forms.CharField(
        label=_("Repair tracking code (if it is about a repair)"), max_length=40, required=False,
        help_text=_("From the receipt or the SMS you got at reception."),
        widget=forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off", "class": "code-latin"}))
    text = forms.CharField(label=_("Your message"), max_length=TEXT_LIMIT, widget=forms.Textarea(attrs={"rows": 6}))
    submission = forms.CharField(widget=forms.HiddenInput)


RECENT_ORDER_DAYS = 120


class ComplaintDeskForm(ResourceForm):
    """A complaint on the desk: the repair order is one of the caller's centers' (the desk scopes every
    choice), and once the complaint has a customer, one of that customer's orders."""

    class Meta:
        model = Complaint
        fields = ["kind", "category", "name", "mobile", "email", "serial", "center", "repair_order", "text"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        orders = self.fields["repair_order"]
        orders.queryset = orders.queryset.select_related("customer").order_by("-received_at")
        if self.instance.customer_id:
            orders.queryset = orders.queryset.filter(customer=self.instance.customer_id)
        else:  # a new complaint: the recent orders (an older one is linked from the complaint's page)
            since = timezone.now() - datetime.timedelta(days=RECENT_ORDER_DAYS)
            orders.queryset = orders.queryset.filter(received_at__gte=since)
        orders.label_from_instance = _order_label


def _order_label(order) -> str:
    return f"{order.number} · {order.customer}"


class LinkOrderForm(StyledFormMixin, forms.Form):
    repair_order = forms.ModelChoiceField(label=_("repair order"), queryset=None, required=False,
                                          empty_label=_("— none —"))

    def __init__(self, *args, complaint, **kwargs):
        from django.apps import apps

        super().__init__(*args, **kwargs)
        orders = apps.get_model("repairs", "RepairOrder").objects.select_related("customer").order_by("-received_at")
        if complaint.customer_id:
            orders = orders.filter(customer=complaint.customer_id)
        else:
            orders = orders.filter(received_at__gte=timezone.now() - datetime.timedelta(days=RECENT_ORDER_DAYS))
        from aftersales.core.rowscope import request_user, scoped

        user = request_user()
        field = self.fields["repair_order"]
        field.queryset = scoped(orders, user) if user is not None else orders.none()
        field.label_from_instance = _order_label
        field.initial = complaint.repair_order_id


class AnswerForm(StyledFormMixin, forms.Form):
    answer = forms.CharField(label=_("Answer"), max_length=TEXT_LIMIT, widget=forms.Textarea(attrs={"rows": 4}))


class AssignForm(StyledFormMixin, forms.Form):
    assignee = forms.ModelChoiceField(label=_("Assignee"), queryset=get_user_model().objects.filter(is_active=True))


class SurveyForm(forms.Form):
    score = forms.TypedChoiceField(label=_("How satisfied are you with our service?"), coerce=int,
                                   choices=[(n, str(n)) for n in range(1, 6)], widget=forms.RadioSelect)
    recommend = forms.TypedChoiceField(
        label=_("How likely are you to recommend us to a friend?"), coerce=int, required=False, empty_value=None,
        choices=[(n, str(n)) for n in range(0, 11)], widget=forms.RadioSelect,
    )
    comment = forms.CharField(label=_("Anything you would like to tell us?"), max_length=TEXT_LIMIT, required=False,
                              widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"}))


class ResultsFilterForm(StyledFormMixin, forms.Form):
    by = forms.ChoiceField(label=_("By"), choices=[("center", _("service center")), ("technician", _("technician")),
                                                   ("product", _("product model"))], required=False)
    start = JalaliDateField(label=_("From"), required=False)
    end = JalaliDateField(label=_("To"), required=False)
