"""Reading one cell: the rules every importer shares."""

import datetime
import re

from django.utils.translation import gettext as _

from aftersales.core import jalali
from aftersales.core.persian import isolate, normalize_identifier, normalize_text, to_ascii_digits


def text(value) -> str:
    """A cell as text; Excel's 12.0 for a number typed as 12 comes back as "12"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return normalize_text(str(value))


def code(value) -> str:
    """A cell as a code or serial: upper case, ASCII digits, no spaces or dashes."""
    return normalize_identifier(text(value))


def date(value, errors: list, column: str):
    """A cell as a date: an Excel date, «۱۴۰۵/۰۹/۰۷» (Jalali) or 2026-11-28 (Gregorian)."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return jalali.local_date(value)
    if isinstance(value, datetime.date):
        return value
    try:
        return jalali.parse_date(str(value))
    except ValueError:
        errors.append((column, _("«%(value)s» is not a valid date; write it like 1405/09/07.") % {"value": isolate(value)}))
        return None


def whole_number(value) -> int | None:
    """A cell as a whole number: 950000000, «۹۵۰٬۰۰۰٬۰۰۰» or "950,000,000"; None if it is not one
    (a true/false cell is not a number)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    digits = re.sub(r"[\s,٬،'_]", "", to_ascii_digits(str(value or "")))
    return int(digits) if digits.isdigit() else None
