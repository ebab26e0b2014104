"""Template filters for the edges: Jalali dates, Persian digits and money.

Loaded as a builtin, so every template can write ``{{ order.received_at|jdatetime }}``.
"""

from django import template
from django.conf import settings
from django.utils.translation import gettext as _

from .. import jalali
from ..persian import format_number, localize_digits, rial_to_toman

register = template.Library()


@register.filter
def jdate(value, fmt=jalali.DATE_FORMAT):
    """«۱۴۰۵/۰۹/۰۷» from a date or datetime."""
    try:
        return jalali.format_date(value, fmt)
    except (TypeError, ValueError):  # filters fail silently, like Django's |date
        return ""


@register.filter
def jdatetime(value, fmt=jalali.DATETIME_FORMAT):
    """«۱۴۰۵/۰۹/۰۷ ۱۴:۳۰» from a datetime, in the local time zone."""
    try:
        return jalali.format_datetime(value, fmt)
    except (TypeError, ValueError):
        return ""


@register.filter
def jdate_long(value):
    """«شنبه ۰۷ آذر ۱۴۰۵» from a date."""
    try:
        return jalali.format_long(value)
    except (TypeError, ValueError):
        return ""


@register.filter
def digits(value):
    """Digits as the active language writes them."""
    if value is None:
        return ""
    return localize_digits(value)


@register.filter
def number(value):
    """Thousands separators and the active language's digits."""
    try:
        return format_number(value)
    except (TypeError, ValueError, ArithmeticError):  # not a number: shown as is, like |intcomma
        return value


@register.filter
def rial(value):
    """An amount stored in rials, shown in rials."""
    if value in (None, ""):
        return ""
    try:
        amount = format_number(value)
    except (TypeError, ValueError, ArithmeticError):
        return value
    return _("%(amount)s rials") % {"amount": amount}


@register.filter
def toman(value):
    """An amount stored in rials, shown in tomans."""
    if value in (None, ""):
        return ""
    try:
        amount = format_number(rial_to_toman(value))
    except (TypeError, ValueError, ArithmeticError):
        return value
    return _("%(amount)s tomans") % {"amount": amount}


@register.filter
def money(value):
    """An amount stored in rials, shown in the site's unit (``MONEY_UNIT``: rial or toman)."""
    return toman(value) if settings.MONEY_UNIT == "toman" else rial(value)


@register.filter
def duration(minutes):
    """A span of minutes as people say it: «۲ ساعت ۱۵ دقیقه», «۳ روز ۴ ساعت», «کمتر از یک دقیقه»."""
    try:
        minutes = int(minutes)
    except (TypeError, ValueError):
        return ""
    if minutes < 1:
        return _("under a minute")
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    parts = []
    if days:
        parts.append(_("%(count)s days") % {"count": format_number(days)})
    if hours:
        parts.append(_("%(count)s hours") % {"count": format_number(hours)})
    if mins and not days:
        parts.append(_("%(count)s minutes") % {"count": format_number(mins)})
    return " ".join(parts)
