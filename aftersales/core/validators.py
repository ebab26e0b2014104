"""Validators for Iranian identifiers, with messages a user understands.

Algorithms and test vectors: ``shared/research/anchors-features.md`` (d).
Every validator accepts Persian/Arabic digits; the matching ``normalize_*`` function
returns the canonical form to store.
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

from . import jalali
from .persian import digits_only

_MOBILE = re.compile(r"^(?:\+98|0098|98|0)?(9\d{9})$")
_LANDLINE = re.compile(r"^0[1-8]\d{9}$")


def normalize_national_code(value: str) -> str:
    code = digits_only(value)
    if code.isdigit() and 8 <= len(code) < 10:
        code = code.zfill(10)
    return code


def is_valid_national_code(value: str) -> bool:
    code = normalize_national_code(value)
    if len(code) != 10 or not code.isdigit():
        return False
    if len(set(code)) == 1 or code[3:9] == "000000":
        return False
    remainder = sum(int(code[i]) * (10 - i) for i in range(9)) % 11
    check = int(code[9])
    return check == remainder if remainder < 2 else check == 11 - remainder


def validate_national_code(value: str) -> None:
    """Refuse a 10-digit national code (کد ملی) whose check digit is wrong."""
    if not is_valid_national_code(value):
        raise ValidationError(
            _("Enter a valid 10-digit national code; this one fails the check digit."),
            code="invalid_national_code",
        )


def is_valid_legal_national_id(value: str) -> bool:
    code = digits_only(value)
    if len(code) != 11 or not code.isdigit() or len(set(code)) == 1 or int(code[3:9]) == 0:
        return False
    digits = [int(ch) for ch in code]
    shift = digits[9] + 2
    weights = (29, 27, 23, 19, 17)
    remainder = sum((digits[i] + shift) * weights[i % 5] for i in range(10)) % 11
    if remainder == 10:
        remainder = 0
    return remainder == digits[10]


def validate_legal_national_id(value: str) -> None:
    """Refuse an 11-digit legal-entity national ID (شناسه ملی) whose check digit is wrong."""
    if not is_valid_legal_national_id(value):
        raise ValidationError(
            _("Enter a valid 11-digit national ID of a legal entity; this one fails the check digit."),
            code="invalid_legal_national_id",
        )


def validate_economic_number(value: str) -> None:
    """Refuse an economic number that is not in the new format.

    14 digits for a natural person (national code + 4 digits), 11 for a legal entity (its national ID).
    """
    code = digits_only(value)
    if len(code) == 14 and code.isdigit() and is_valid_national_code(code[:10]) and code[10:] != "0000":
        return
    if len(code) == 11 and is_valid_legal_national_id(code):
        return
    raise ValidationError(
        _(
            "Enter a valid economic number: 14 digits for a person (national code + 4 digits) "
            "or the 11-digit national ID of a legal entity."
        ),
        code="invalid_economic_number",
    )


def normalize_mobile(value: str) -> str:
    """Return an Iranian mobile number as 09XXXXXXXXX, or the digits as typed if it is not one."""
    text = digits_only(value)
    match = _MOBILE.match(text)
    return "0" + match.group(1) if match else text


def validate_mobile(value: str) -> None:
    """Refuse anything that is not an Iranian mobile number (09…, +989…, 00989…)."""
    if not _MOBILE.match(digits_only(value)):
        raise ValidationError(
            _("Enter a valid mobile number, such as 09121234567."), code="invalid_mobile"
        )


def normalize_postal_code(value: str) -> str:
    return digits_only(value)


def validate_postal_code(value: str) -> None:
    """Refuse a postal code that is not 10 digits.

    No official checksum exists; the zone digits never use 0 or 2, which is checked too.
    """
    code = normalize_postal_code(value)
    if not (len(code) == 10 and code.isdigit()) or re.search(r"[02]", code[:5]) or len(set(code)) == 1:
        raise ValidationError(
            _("Enter a valid 10-digit postal code."), code="invalid_postal_code"
        )


def normalize_landline(value: str) -> str:
    text = digits_only(value)
    if text.startswith("+98"):
        text = "0" + text[3:]
    elif text.startswith("0098"):
        text = "0" + text[4:]
    return text


def validate_landline(value: str) -> None:
    """Refuse a landline that is not 11 digits with its area code (021…, 031…)."""
    if not _LANDLINE.match(normalize_landline(value)):
        raise ValidationError(
            _("Enter a valid landline number with its area code, such as 02188776655."),
            code="invalid_landline",
        )


def normalize_sayad_number(value: str) -> str:
    return digits_only(value or "")


def validate_sayad_number(value: str) -> None:
    """A Sayad cheque number: the 16 digits the Central Bank's cheque system prints on every cheque."""
    if not re.fullmatch(r"\d{16}", normalize_sayad_number(value)):
        raise ValidationError(_("A Sayad cheque number has exactly 16 digits."), code="invalid")


@deconstructible
class IdentifierValidator:
    """Pairs a normaliser with a validator so model and serializer fields can share them."""

    def __init__(self, kind: str):
        self.kind = kind

    def __call__(self, value):
        VALIDATORS[self.kind](value)

    def __eq__(self, other):
        return isinstance(other, IdentifierValidator) and other.kind == self.kind


VALIDATORS = {
    "national_code": validate_national_code,
    "legal_national_id": validate_legal_national_id,
    "economic_number": validate_economic_number,
    "mobile": validate_mobile,
    "postal_code": validate_postal_code,
    "landline": validate_landline,
    "sayad_number": validate_sayad_number,
}
NORMALIZERS = {
    "national_code": normalize_national_code,
    "legal_national_id": digits_only,
    "economic_number": digits_only,
    "mobile": normalize_mobile,
    "postal_code": normalize_postal_code,
    "landline": normalize_landline,
    "sayad_number": normalize_sayad_number,
}


EARLIEST_DATE = datetime.date(1900, 1, 1)
LATEST_DATE = datetime.date(2099, 12, 31)


@deconstructible
class DateRangeValidator:
    """Refuse a date outside 1900–2099, and outside ``past_days`` before and ``future_days`` after today.

    Typed dates go wrong by years (9999-12-31, a Jalali year taken for a Gregorian one); the range
    says which dates make sense for a field: a birth date is not in the future (``future_days=0``), a
    promised date is from yesterday to two years ahead. Relative bounds belong to input (forms,
    serializers): a promise made last month must stay valid on the saved order.
    """

    def __init__(self, *, past_days: int | None = None, future_days: int | None = None):
        self.past_days = past_days
        self.future_days = future_days

    def __call__(self, value):
        if value is None:
            return
        if isinstance(value, datetime.datetime):
            value = jalali.local_date(value)
        today = timezone.localdate()
        start = max(EARLIEST_DATE, today - datetime.timedelta(days=self.past_days)) if self.past_days is not None else EARLIEST_DATE
        end = min(LATEST_DATE, today + datetime.timedelta(days=self.future_days)) if self.future_days is not None else LATEST_DATE
        if start <= value <= end:
            return
        if self.future_days == 0 and value > today and value <= LATEST_DATE:
            raise ValidationError(_("This date is in the future."), code="date_in_future")
        raise ValidationError(
            _("Enter a date from %(start)s to %(end)s."),
            code="date_out_of_range",
            params={"start": jalali.format_date(start), "end": jalali.format_date(end)},
        )

    def __eq__(self, other):
        return isinstance(other, DateRangeValidator) and (self.past_days, self.future_days) == (
            other.past_days, other.future_days)


#: Any date a person types: 1900–2099.
validate_plausible_date = DateRangeValidator()
#: A date that has happened: a birth, a purchase, a production or a sale.
validate_past_date = DateRangeValidator(future_days=0)
#: A date promised to a customer: from yesterday to two years ahead.
validate_promised_date = DateRangeValidator(past_days=1, future_days=730)
