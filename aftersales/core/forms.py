"""Form fields every app uses: Jalali date inputs with the local picker."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import jalali

PICKER_MEDIA = forms.Media(
    css={"all": ["vendor/jalalidatepicker/jalalidatepicker.min.css"]},
    js=["vendor/jalalidatepicker/jalalidatepicker.min.js", "aftersales/js/jalali-picker.js"],
)


class StyledFormMixin:
    """Give every widget Bootstrap's classes, so templates can render fields as they are."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, (forms.Select, forms.SelectMultiple)):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


class JalaliDateInput(forms.TextInput):
    """A text input that shows a Jalali date and opens the Jalali calendar on focus."""

    media = PICKER_MEDIA

    def __init__(self, attrs=None):
        defaults = {"data-jdp": "", "placeholder": "1405/01/01", "autocomplete": "off", "dir": "ltr"}
        super().__init__({**defaults, **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, datetime.date):
            return jalali.format_date(value).translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789"))
        return value


class JalaliDateTimeInput(JalaliDateInput):
    def __init__(self, attrs=None):
        super().__init__({"data-jdp-time": "", "placeholder": "1405/01/01 08:30", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, datetime.datetime):
            return jalali.format_datetime(value).translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789"))
        return super().format_value(value)


class JalaliDateField(forms.DateField):
    """Takes «۱۴۰۵/۰۹/۰۷» (any digits, / or -) and gives a Gregorian ``date``."""

    widget = JalaliDateInput
    default_error_messages = {
        "invalid": _("Enter a valid Jalali date, such as 1405/09/07."),
    }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
        if isinstance(value, datetime.date):
            return value
        try:
            return jalali.parse_date(value)
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


class JalaliDateTimeField(forms.DateTimeField):
    """Takes «۱۴۰۵/۰۹/۰۷ ۱۴:۳۰» and gives an aware Gregorian ``datetime``."""

    widget = JalaliDateTimeInput
    default_error_messages = {
        "invalid": _("Enter a valid Jalali date and time, such as 1405/09/07 14:30."),
    }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            return timezone.make_aware(value) if timezone.is_naive(value) else value
        if isinstance(value, (list, tuple)):
            value = " ".join(str(part) for part in value if part)
        try:
            return jalali.parse_datetime(value)
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
