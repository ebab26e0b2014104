"""Form fields every app uses: Jalali date inputs with the local picker."""

import datetime
import re

from django import forms
from django.db import models
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import jalali
from .constraints import constraint_errors
from .fields import PastDateField
from .filters import IdRangeMixin
from .persian import localize_digits, to_ascii_digits

PICKER_MEDIA = forms.Media(
    css={"all": ["vendor/jalalidatepicker/jalalidatepicker.min.css"]},
    js=["vendor/jalalidatepicker/jalalidatepicker.min.js", "aftersales/js/jalali-picker.js"],
)


_NUMBER_SEPARATORS = re.compile(r"[\s,٬،'_\u200c\u200e\u200f]")


def number_text(value):
    """A typed number as Python reads it: any digits (Persian, Arabic, Latin), thousands separators
    («٬», «,», «،», spaces) dropped, the Persian decimal point «٫» as «.». «۸۵۰٬۰۰۰٬۰۰۰» is "850000000"."""
    if isinstance(value, str):
        value = _NUMBER_SEPARATORS.sub("", to_ascii_digits(value).replace("٫", "."))
    return value


def _reading_separators(to_python):
    def read(value):
        return to_python(number_text(value))

    read.reads_separators = True
    return read


class StyledFormMixin:
    """Give every widget Bootstrap's classes, so templates can render fields as they are; and, in a
    request, offer in every choice of records only those of the user's centers (``unscoped_fields``
    name choices meant to cross centers)."""

    unscoped_fields: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .rowscope import request_user, scope_choices

        user = request_user()
        if user is not None:
            scope_choices(self.fields, user, except_fields=self.unscoped_fields)
        for field in self.fields.values():
            if isinstance(field, (forms.IntegerField, forms.DecimalField, forms.FloatField)) and not getattr(
                    field.to_python, "reads_separators", False):
                field.to_python = _reading_separators(field.to_python)  # every quantity and amount box
            widget = field.widget
            if isinstance(widget, forms.NumberInput) and not isinstance(widget, forms.HiddenInput):
                # Browsers refuse Persian digits in type=number; a text box with the numeric keypad
                # takes them, and the field reads them as numbers.
                widget.input_type = "text"
                widget.attrs.setdefault("inputmode", "numeric")
            if isinstance(widget, (forms.CheckboxInput, forms.RadioSelect, forms.CheckboxSelectMultiple)):
                css = "form-check-input"  # a box or a dot, not a text box's frame
            elif isinstance(widget, (forms.Select, forms.SelectMultiple)):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


class UniqueErrorsMixin:
    """For model forms: every unique rule the record would break is an error on its field, including a
    conditional UniqueConstraint whose condition names a field the form does not show (Django skips
    those, and the database then refuses the row)."""

    def validate_unique(self):
        shown = {field.name for field in self.instance._meta.concrete_fields} & set(self.fields)
        errors = constraint_errors(self.instance, fields=shown, skip=set(self._errors), checks=False)
        known = {str(message) for messages in self._errors.values() for message in messages}
        fresh = {}
        for name, error_list in errors.items():
            for message in ValidationError(error_list).messages:
                if message not in known:  # Django already reported the unconditional ones
                    fresh.setdefault(name, []).append(message)
        if fresh:
            self._update_errors(ValidationError(fresh))


class JalaliDateInput(forms.TextInput):
    """A text input that shows a Jalali date and opens the Jalali calendar on focus."""

    media = PICKER_MEDIA

    def __init__(self, attrs=None):
        defaults = {"data-jdp": "", "placeholder": "1405/01/01", "autocomplete": "off", "dir": "ltr"}
        super().__init__({**defaults, **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, datetime.date):
            return jalali.format_date(value, latin_digits=True)
        return value


class JalaliDateTimeInput(JalaliDateInput):
    def __init__(self, attrs=None):
        super().__init__({"data-jdp-time": "", "placeholder": "1405/01/01 08:30", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, datetime.datetime):
            return jalali.format_datetime(value, latin_digits=True)
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
            return jalali.local_date(value)
        if isinstance(value, datetime.date):
            return value
        try:
            return jalali.parse_date(value)
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


class MoneyInput(forms.TextInput):
    def __init__(self, attrs=None):
        super().__init__({"dir": "ltr", "inputmode": "numeric", "autocomplete": "off", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, int):
            shown = value // 10 if settings.MONEY_UNIT == "toman" else value
            return f"{shown:,}"
        return value


class MoneyField(forms.IntegerField):
    """An amount typed in the site's unit (rial or toman) with any digits and separators; gives rials.

    «۱۲٬۵۰۰٬۰۰۰» with ``MONEY_UNIT = "toman"`` is 125,000,000 rials.
    """

    widget = MoneyInput
    default_error_messages = {"invalid": _("Enter an amount in digits, such as 1,250,000.")}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, str):
            value = number_text(value)
        amount = super().to_python(value)
        return amount * 10 if settings.MONEY_UNIT == "toman" else amount

    def run_validators(self, value):
        """Django's own messages name their limits in Latin digits («بزرگتر و یا مساوی 1»): as the page writes them."""
        try:
            super().run_validators(value)
        except forms.ValidationError as error:
            raise forms.ValidationError([localize_digits(message) for message in error.messages]) from None


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


class ModelMultipleChoiceField(IdRangeMixin, forms.ModelMultipleChoiceField):
    """A many-to-many choice that refuses a value which cannot be a key as an invalid choice (Django checks
    ``__in`` lookups against the database, where an id above 2**63-1 fails)."""

    def _check_values(self, value):
        if isinstance(value, (list, tuple)):
            self._refuse_unmatchable(value)
        return super()._check_values(value)


class NumberInput(forms.TextInput):
    """A number box that takes Persian digits and separators (``type=number`` refuses them)."""

    def __init__(self, attrs=None):
        super().__init__({"dir": "ltr", "inputmode": "decimal", "autocomplete": "off", **(attrs or {})})


class IntegerNumberField(forms.IntegerField):
    """An integer typed with any digits and thousands separators («۸۵۰٬۰۰۰٬۰۰۰»)."""

    widget = NumberInput

    def to_python(self, value):
        return super().to_python(number_text(value))


class DecimalNumberField(forms.DecimalField):
    """A decimal typed with any digits, thousands separators and «٫» («۱۲٫۵»)."""

    widget = NumberInput

    def to_python(self, value):
        return super().to_python(number_text(value))


_NUMBER_OVERRIDES = {
    # No widget here: a field with choices keeps its drop-down (Django passes a given widget on to it).
    **{field: {"form_class": IntegerNumberField} for field in (
        models.IntegerField, models.BigIntegerField, models.SmallIntegerField, models.PositiveIntegerField,
        models.PositiveBigIntegerField, models.PositiveSmallIntegerField)},
    models.DecimalField: {"form_class": DecimalNumberField},
}

#: For ``formfield_overrides`` and form factories: every date field typed and shown in Jalali, numbers
#: typed with Persian digits and separators, and many-to-many choices range-checked.
JALALI_FORMFIELD_OVERRIDES = {
    **_NUMBER_OVERRIDES,
    models.DateField: {"form_class": JalaliDateField, "widget": JalaliDateInput},
    PastDateField: {"form_class": JalaliDateField, "widget": JalaliDateInput},
    models.DateTimeField: {"form_class": JalaliDateTimeField, "widget": JalaliDateTimeInput},
    models.ManyToManyField: {"form_class": ModelMultipleChoiceField},
}
