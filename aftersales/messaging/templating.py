"""Message texts with ``{variable}`` places: the known variables, rendering and SMS part counts."""

import datetime
import re

from django.utils.translation import gettext_lazy as _

from aftersales.core import jalali
from aftersales.core.persian import format_number

_PLACE = re.compile(r"\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}")

# name → label shown to the administrator who writes a template. Apps add theirs with register_variable.
_VARIABLES: dict[str, object] = {
    "customer_name": _("customer's name"),
    "mobile": _("customer's mobile"),
    "date": _("date (Jalali)"),
    "amount": _("amount"),
    "link": _("link"),
    "code": _("code"),
    "tracking_code": _("tracking code"),
    "serial": _("serial number"),
    "product": _("product"),
    "center_name": _("service center"),
    "card_number": _("warranty card number"),
}


# Variables whose values are secrets (a tracking code opens the order's page, a link opens a survey or an
# activation, a code activates a warranty): staff pages show a message with these values masked.
_SECRET_VARIABLES: set[str] = {"link", "code", "tracking_code"}
MASK = "••••••"


def register_variable(name: str, label, *, secret: bool = False) -> None:
    _VARIABLES[name] = label
    if secret:
        _SECRET_VARIABLES.add(name)


def redact(text: str, pattern_params: dict | None) -> str:
    """``text`` with the values of the secret variables it was rendered with masked."""
    values = sorted((str(value) for name, value in (pattern_params or {}).items()
                     if name in _SECRET_VARIABLES and value not in (None, "")), key=len, reverse=True)
    for value in values:
        text = text.replace(value, MASK)
    return text


def variables() -> dict[str, object]:
    return dict(_VARIABLES)


def names_in(text: str) -> list[str]:
    """The variables of a text in order of first appearance (the order of a gateway pattern's parameters)."""
    seen: list[str] = []
    for name in _PLACE.findall(text or ""):
        if name not in seen:
            seen.append(name)
    return seen


def unknown_variables(text: str) -> set[str]:
    return {name for name in names_in(text) if name not in _VARIABLES}


def display_value(value) -> str:
    """A value as a customer reads it: Jalali dates, grouped amounts."""
    if isinstance(value, datetime.datetime):
        return jalali.format_datetime(value)
    if isinstance(value, datetime.date):
        return jalali.format_date(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return format_number(value)
    return "" if value is None else str(value)


def render(text: str, context: dict) -> str:
    """Fill the places of ``text``; a variable missing from the context becomes empty."""
    return _PLACE.sub(lambda match: display_value(context.get(match.group(1))), text or "")


# The GSM 03.38 basic alphabet: a text wholly in it goes 160 characters a part, anything else
# (every Persian text) is UCS-2: 70 characters alone, 67 a part when concatenated.
_GSM = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM_EXTENDED = set("^{}\\[~]|€\f")


def sms_parts(text: str) -> int:
    """How many SMS parts a text takes (what the gateway charges)."""
    if not text:
        return 0
    if all(char in _GSM or char in _GSM_EXTENDED for char in text):
        length = sum(2 if char in _GSM_EXTENDED else 1 for char in text)
        single, multi = 160, 153
    else:
        length = len(text.encode("utf-16-le")) // 2
        single, multi = 70, 67
    return 1 if length <= single else -(-length // multi)
