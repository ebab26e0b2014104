from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from aftersales.core.forms import JalaliDateField, StyledFormMixin

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
    text = forms.CharField(label=_("Your message"), max_length=TEXT_LIMIT, widget=forms.Textarea(attrs={"rows": 6}))
    submission = forms.CharField(widget=forms.HiddenInput)


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
