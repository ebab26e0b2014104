"""How a field's value is shown on a page or written to Excel."""

import datetime
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext as _

from aftersales.core import jalali
from aftersales.core.persian import format_number, localize_digits


def field_label(model, name: str) -> str:
    """A field's verbose name; a property is named in the model's ``field_labels``."""
    labels = getattr(model, "field_labels", {})
    if name in labels:
        return str(labels[name])
    return str(_resolve_field(model, name).verbose_name)


def _resolve_field(model, path: str):
    field = None
    for part in path.split("__"):
        field = model._meta.get_field(part)
        model = field.related_model
    return field


def raw_value(obj, path: str):
    value = obj
    parts = path.split("__")
    for index, part in enumerate(parts):
        if value is None:
            return None
        if part in getattr(type(value), "field_labels", {}):
            value = getattr(value, part)
            continue
        field = value._meta.get_field(part)
        if field.choices and not field.is_relation:
            return getattr(value, f"get_{part}_display")()
        value = getattr(value, part)
        if isinstance(value, models.Manager):
            # Many rows: each one's rest of the path (``fits_models__code`` gives their codes).
            rest = "__".join(parts[index + 1:])
            return "، ".join(str(raw_value(item, rest) if rest else item) for item in value.all())
    return value


def display_value(obj, path: str) -> str:
    """The value as a person reads it: Jalali dates, Persian digits, yes/no, "—" when empty."""
    value = raw_value(obj, path)
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime.datetime):
        return jalali.format_datetime(value)
    if isinstance(value, datetime.date):
        return jalali.format_date(value)
    if isinstance(value, (int, Decimal, float)):
        return format_number(value)
    return localize_digits(value) if isinstance(value, str) and value.isdigit() else str(value)


def export_value(obj, path):
    """The value for an Excel cell: numbers stay numbers; exports.xlsx_response formats dates.

    ``path`` is a field path, or a function of the record for a value no path reaches (an import
    template's column such as a customer's landline, kept among their phones)."""
    value = path(obj) if callable(path) else raw_value(obj, path)
    if isinstance(value, models.Model):
        return str(value)
    return value
