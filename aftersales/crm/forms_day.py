"""Forms of appointments, plans, the calendar's filter and the daily report (F49, F56)."""

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aftersales.core.forms import IntegerNumberField, JalaliDateField, StyledFormMixin
from aftersales.core.persian import to_ascii_digits
from aftersales.core.validators import validate_plausible_date

from .day import marketers_for
from .models import AppointmentPlan

_TIME = re.compile(r"^\s*(\d{1,2})\s*[:٫.]\s*(\d{2})\s*$")


class TimeField(forms.Field):
    """A time of day typed as «۱۰:۳۰» or 10:30 (any digits)."""

    widget = forms.TextInput
    default_error_messages = {"invalid": _("Enter the time as hours and minutes, such as 10:30.")}

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "dir": "ltr", "inputmode": "numeric", "placeholder": "10:30",
                "autocomplete": "off"}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.time):
            return value
        match = _TIME.match(to_ascii_digits(str(value)))
        if not match:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        hour, minute = int(match[1]), int(match[2])
        if hour > 23 or minute > 59:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return datetime.time(hour, minute)

    def prepare_value(self, value):
        return value.strftime("%H:%M") if isinstance(value, datetime.time) else value


def service_errors(form, error: ValidationError, aliases: dict[str, str] | None = None) -> None:
    """Put a service's errors on the form: each on its field (or the field it is shown as), else on top."""
    aliases = aliases or {}
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for name, messages in error.message_dict.items():
        name = aliases.get(name, name)
        form.add_error(name if name in form.fields else None, messages)


class PlanForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=AppointmentPlan.Kind.choices,
                             initial=AppointmentPlan.Kind.VISIT)
    count = IntegerNumberField(label=_("appointments"), min_value=1, max_value=100,
                               help_text=_("How many appointments of this kind in the period."))
    start_date = JalaliDateField(validators=[validate_plausible_date], label=_("from"))
    end_date = JalaliDateField(validators=[validate_plausible_date], label=_("to"))
    marketer = forms.ModelChoiceField(label=_("marketer"), queryset=None, required=False,
                                      help_text=_("Empty: the party's marketer."))

    def __init__(self, *args, user, party, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["marketer"].queryset = marketers_for(user)
        self.fields["marketer"].initial = party.marketer_id

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The period ends before it starts."))
        return data


class AppointmentForm(StyledFormMixin, forms.Form):
    date = JalaliDateField(validators=[validate_plausible_date], label=_("day"))
    time = TimeField(label=_("time"))
    kind = forms.ChoiceField(label=_("kind"), choices=AppointmentPlan.Kind.choices,
                             initial=AppointmentPlan.Kind.VISIT)
    plan = forms.ModelChoiceField(label=_("plan"), queryset=AppointmentPlan.objects.none(), required=False,
                                  help_text=_("Book it as one of a plan's appointments (its kind then applies)."))
    notes = forms.CharField(label=_("notes"), max_length=300, required=False)

    def __init__(self, *args, party, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = (AppointmentPlan.objects.filter(party=party, end_date__gte=timezone.localdate())
                                        .order_by("start_date", "pk"))
        self.fields["plan"].label_from_instance = _plan_label

    def clean(self):
        data = super().clean()
        if data.get("date") and data.get("time"):
            data["at"] = timezone.make_aware(datetime.datetime.combine(data["date"], data["time"]))
        return data


def _plan_label(plan) -> str:
    from aftersales.core.jalali import format_date
    from aftersales.core.persian import localize_digits

    return _("%(count)s × %(kind)s, %(start)s to %(end)s") % {
        "count": localize_digits(str(plan.count)), "kind": plan.get_kind_display(),
        "start": format_date(plan.start_date), "end": format_date(plan.end_date)}


class _MarketerFilter(StyledFormMixin, forms.Form):
    """A filter by one of the marketers the user may see (empty: everyone)."""

    marketer = forms.ModelChoiceField(label=_("marketer"), queryset=None, required=False,
                                      empty_label=_("everyone"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["marketer"].queryset = marketers_for(user)


class CalendarFilterForm(_MarketerFilter):
    VIEWS = (("week", _("week")), ("month", _("month")))

    view = forms.ChoiceField(label=_("view"), choices=VIEWS, required=False)
    day = JalaliDateField(validators=[validate_plausible_date], label=_("day"), required=False)
    field_order = ["view", "day", "marketer"]


class MonthFilterForm(_MarketerFilter):
    day = JalaliDateField(validators=[validate_plausible_date], label=_("month of"), required=False)
    field_order = ["day", "marketer"]


class DayForm(StyledFormMixin, forms.Form):
    day = JalaliDateField(validators=[validate_plausible_date], label=_("day"), required=False)


class DailyReportForm(StyledFormMixin, forms.Form):
    day = JalaliDateField(validators=[validate_plausible_date], widget=forms.HiddenInput)
    note = forms.CharField(label=_("your note on the day"), required=False, max_length=4000,
                           widget=forms.Textarea(attrs={"rows": 3}))


class CommentForm(StyledFormMixin, forms.Form):
    comment = forms.CharField(label=_("your comment"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))


class ReportFilterForm(_MarketerFilter):
    day = JalaliDateField(validators=[validate_plausible_date], label=_("day"), required=False)
    field_order = ["day", "marketer"]
