"""Message texts with ``{variable}`` places: the known variables, rendering and SMS part counts."""

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from aftersales.core import jalali
from aftersales.core.persian import format_number

_PLACE = re.compile(r"\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}")

# What a missing variable turns into when neither the template nor the variable says otherwise: the
# message waits for a person (``Message.State.HELD``) rather than go out with a hole in it.
HOLD = None

# The value a repair app passes for work the customer does not pay for; ``cost`` reads it as free.
FREE_UNDER_WARRANTY = _("free (under warranty)")


@dataclass(frozen=True)
class Variable:
    """A ``{name}`` place templates may use.

    ``fallback`` is the text a missing value becomes: a text, ``""`` to leave the value out (the
    spaces and an emptied line around it go too), or ``HOLD`` to keep the message for a person.
    ``display`` formats a present value (default: ``display_value``).
    """

    name: str
    label: object
    fallback: object = HOLD
    secret: bool = False
    display: Callable | None = None


def display_cost(value) -> str:
    """An amount of rials with its unit («۱٬۲۵۰٬۰۰۰ ریال»), or what a warranty repair costs (nothing)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return _("%(amount)s rials") % {"amount": format_number(value)}
    return display_value(value)


# name → variable. Apps add theirs with register_variable; a template may override a fallback (its
# ``fallbacks``).
_VARIABLES: dict[str, Variable] = {}

# Variables whose values are secrets (a tracking code opens the order's page, a link opens a survey or an
# activation, a code activates a warranty): staff pages show a message with these values masked.
_SECRET_VARIABLES: set[str] = set()
MASK = "••••••"


def register_variable(name: str, label, *, secret: bool = False, fallback=HOLD, display: Callable | None = None) -> None:
    _VARIABLES[name] = Variable(name, label, fallback=fallback, secret=secret, display=display)
    if secret:
        _SECRET_VARIABLES.add(name)


register_variable("customer_name", _("customer's name"), fallback=_("customer"))
register_variable("mobile", _("customer's mobile"))
register_variable("date", _("date (Jalali)"))
register_variable("amount", _("amount"))
register_variable("cost", _("cost with its unit (free for warranty work)"), fallback=_("to be announced at hand-back"),
                  display=display_cost)
register_variable("link", _("link"), secret=True)
register_variable("code", _("code"), secret=True)
register_variable("tracking_code", _("tracking code"), secret=True)
register_variable("serial", _("serial number"))
register_variable("product", _("product"), fallback=_("device"))
register_variable("center_name", _("service center"), fallback=_("the service center"))
register_variable("card_number", _("warranty card number"))


def redact(text: str, pattern_params: dict | None) -> str:
    """``text`` with the values of the secret variables it was rendered with masked."""
    for value in _secret_values(pattern_params):
        text = text.replace(value, MASK)
    return text


def _secret_values(pattern_params: dict | None) -> list[str]:
    return sorted((str(value) for name, value in (pattern_params or {}).items()
                   if name in _SECRET_VARIABLES and value not in (None, "")), key=len, reverse=True)


def unredact(edited: str, original: str, pattern_params: dict | None) -> str:
    """An edit of ``redact(original)`` with its masks turned back into the secrets, in their order.

    Raises ValueError when the edit does not keep every mask (a person must not drop or add a secret
    they cannot see).
    """
    values = _secret_values(pattern_params)
    found, position = [], 0
    while position < len(original):
        value = next((value for value in values if original.startswith(value, position)), None)
        if value is None:
            position += 1
            continue
        found.append(value)
        position += len(value)
    pieces = edited.split(MASK)
    if len(pieces) != len(found) + 1:
        raise ValueError("masks changed")
    return "".join(piece + (found[index] if index < len(found) else "") for index, piece in enumerate(pieces))


def variables() -> dict[str, object]:
    return {name: variable.label for name, variable in _VARIABLES.items()}


def variable_fallbacks() -> dict[str, object]:
    """Each variable's own fallback (``HOLD`` where a missing value holds the message)."""
    return {name: variable.fallback for name, variable in _VARIABLES.items()}


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
    return "" if value is None else str(value).strip()


def variable_display(name: str, value) -> str:
    variable = _VARIABLES.get(name)
    return (variable.display if variable and variable.display else display_value)(value)


@dataclass
class Filled:
    """A text with its places filled: ``missing`` names the places that hold the message (kept as ``{name}``)."""

    text: str
    values: dict[str, str] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)


_DROPPED = "\x00"


def fill(text: str, context: dict, fallbacks: dict | None = None, *, keep_held: bool = True) -> Filled:
    """Fill the places of ``text``: present values, else the template's or the variable's fallback.

    A variable without a fallback (``HOLD``) is listed in ``missing`` and stays as ``{name}`` (or, without
    ``keep_held``, is left out like an empty fallback). A
    fallback of ``""`` leaves the value out, with one of the spaces around it (and its line, if that
    was all the line held).
    """
    own = variable_fallbacks()
    own.update(fallbacks or {})
    values: dict[str, str] = {}
    missing: list[str] = []

    def place(match):
        name = match.group(1)
        if name not in values:
            shown = variable_display(name, context.get(name))
            if not shown:
                fallback = own.get(name, HOLD)
                shown = None if fallback is HOLD else str(fallback).strip()
            values[name] = shown
        if values[name] is None:
            if name not in missing:
                missing.append(name)
            return match.group(0) if keep_held else _DROPPED
        return values[name] or _DROPPED

    filled = _PLACE.sub(place, text or "")
    if _DROPPED in filled:
        lines = []
        for line in filled.split("\n"):
            if _DROPPED in line:
                line = re.sub(r"[ \t]*\x00[ \t]*", " ", line).strip()
                if not line:
                    continue
            lines.append(line)
        filled = "\n".join(lines)
    return Filled(filled, {name: value or "" for name, value in values.items()}, missing)


def render(text: str, context: dict, fallbacks: dict | None = None) -> str:
    """Fill the places of ``text`` (see ``fill``); a place that would hold the message is left out."""
    return fill(text, context, fallbacks, keep_held=False).text


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
