from decimal import Decimal

import pytest
from django.utils import translation

from aftersales.core.persian import (
    ZWNJ,
    digits_only,
    format_number,
    localize_digits,
    normalize_identifier,
    normalize_text,
    rial_to_toman,
    search_key,
    to_ascii_digits,
    to_persian_digits,
)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("علي", "علی"),  # Arabic yeh
        ("موسى", "موسی"),  # alef maksura
        ("كامران", "کامران"),  # Arabic kaf
        ("مدرسة", "مدرسه"),  # teh marbuta
        ("أحمد", "احمد"),
        ("إيران", "ایران"),
        ("مؤمن", "مومن"),
    ],
)
def test_normalize_text_turns_arabic_letters_into_persian(typed, expected):
    assert normalize_text(typed) == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("پلاک ۱۲۳۴۵۶۷۸۹۰", "پلاک 1234567890"),
        ("پلاک ٠١٢٣٤٥٦٧٨٩", "پلاک 0123456789"),
        ("A۱٢3", "A123"),
    ],
)
def test_normalize_text_turns_persian_and_arabic_digits_into_ascii(typed, expected):
    assert normalize_text(typed) == expected


@pytest.mark.parametrize(
    "mark",
    [
        "\u064e",  # fatha
        "\u0650",  # kasra
        "\u0651",  # shadda
        "\u0652",  # sukun
        "\u064b",  # fathatan
        "\u0670",  # superscript alef
        "\u0640",  # tatweel
        "\u200e",  # left-to-right mark
        "\u200f",  # right-to-left mark
        "\u202b",  # right-to-left embedding
        "\u202c",  # pop directional formatting
        "\u2067",  # right-to-left isolate
        "\u2069",  # pop directional isolate
        "\u061c",  # Arabic letter mark
        "\ufeff",  # byte order mark
    ],
)
def test_normalize_text_removes_diacritics_and_direction_marks(mark):
    assert normalize_text(f"کت{mark}اب") == "کتاب"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("  رضا   کریمی  ", "رضا کریمی"),
        ("رضا\t\nکریمی", "رضا کریمی"),
        ("رضا\u00a0کریمی", "رضا کریمی"),  # no-break space
        ("رضا\u2009کریمی", "رضا کریمی"),  # thin space
        ("رضا\u202fکریمی", "رضا کریمی"),  # narrow no-break space
    ],
)
def test_normalize_text_folds_runs_of_spaces_into_one(typed, expected):
    assert normalize_text(typed) == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        (f"می{ZWNJ}{ZWNJ}{ZWNJ}خواهم", f"می{ZWNJ}خواهم"),
        (f"می {ZWNJ}خواهم", "می خواهم"),
        (f"می{ZWNJ} خواهم", "می خواهم"),
        (f"می {ZWNJ}{ZWNJ} خواهم", "می خواهم"),
        (f"{ZWNJ}کتاب{ZWNJ}", "کتاب"),
    ],
)
def test_normalize_text_folds_zwnj_runs_and_drops_zwnj_next_to_a_space(typed, expected):
    assert normalize_text(typed) == expected


def test_normalize_text_keeps_a_single_zwnj_inside_a_word():
    assert normalize_text(f"کتاب{ZWNJ}ها") == f"کتاب{ZWNJ}ها"


@pytest.mark.parametrize("empty", [None, ""])
def test_normalize_text_returns_empty_string_for_empty_input(empty):
    assert normalize_text(empty) == ""


def test_normalize_text_is_idempotent():
    once = normalize_text(f" علي  {ZWNJ}كريمي ۱۲ ")
    assert normalize_text(once) == once


@pytest.mark.parametrize(
    "typed",
    ["می خواهم", f"می{ZWNJ}خواهم", f"مي{ZWNJ}{ZWNJ}خواهم", "  مي   خواهم "],
)
def test_search_key_matches_however_the_term_was_typed(typed):
    assert search_key(typed) == "می خواهم"


def test_search_key_folds_case():
    assert search_key("Samsung GALAXY") == search_key("samsung galaxy") == "samsung galaxy"


def test_search_key_turns_digits_into_ascii():
    assert search_key("مدل ۱۲۳") == "مدل 123"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("sn 12-34", "SN1234"),
        ("SN-12/34", "SN1234"),
        ("sn_12.34", "SN1234"),
        ("SN ۱۲-۳۴", "SN1234"),
        ("s n\u00a0۱۲\\٣٤", "SN1234"),
        ("اس‌ان ۱۲-۳۴", "اسان1234"),
        ("اس ان 12 34", "اسان1234"),
        ("ك۱", "ک1"),
    ],
)
def test_normalize_identifier_drops_separators_and_upper_cases(typed, expected):
    assert normalize_identifier(typed) == expected


def test_normalize_identifier_gives_one_form_for_persian_and_ascii_typing():
    assert normalize_identifier("اس‌ان ۱۲-۳۴") == normalize_identifier("اس ان 1234")
    assert normalize_identifier("SN ۱۲-۳۴") == normalize_identifier("sn 1234")


@pytest.mark.parametrize("empty", [None, ""])
def test_normalize_identifier_returns_empty_string_for_empty_input(empty):
    assert normalize_identifier(empty) == ""


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("0912 123 4567", "09121234567"),
        ("۰۹۱۲-۱۲۳-۴۵۶۷", "09121234567"),
        ("(021) 8877-6655", "02188776655"),
        ("+98 912 123 4567", "+989121234567"),
        (None, ""),
    ],
)
def test_digits_only_strips_spaces_dashes_and_brackets(typed, expected):
    assert digits_only(typed) == expected


def test_to_persian_digits_converts_ascii_and_arabic_digits():
    assert to_persian_digits("0123456789") == "۰۱۲۳۴۵۶۷۸۹"
    assert to_persian_digits("٠١٢٣٤٥٦٧٨٩") == "۰۱۲۳۴۵۶۷۸۹"


def test_to_persian_digits_accepts_numbers_and_leaves_other_text():
    assert to_persian_digits(1405) == "۱۴۰۵"
    assert to_persian_digits("سال 1405/09") == "سال ۱۴۰۵/۰۹"


def test_to_ascii_digits_converts_persian_and_arabic_digits():
    assert to_ascii_digits("۰۱۲۳۴۵۶۷۸۹") == "0123456789"
    assert to_ascii_digits("٠١٢٣٤٥٦٧٨٩") == "0123456789"
    assert to_ascii_digits("کد ۱۲a") == "کد 12a"


def test_digit_conversions_round_trip():
    assert to_ascii_digits(to_persian_digits("2024-11-05")) == "2024-11-05"


def test_localize_digits_uses_persian_digits_in_persian():
    with translation.override("fa"):
        assert localize_digits(1405) == "۱۴۰۵"


def test_localize_digits_keeps_ascii_digits_in_english():
    with translation.override("en"):
        assert localize_digits("۱۴۰۵") == "۱۴۰۵"
        assert localize_digits(1405) == "1405"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (12500000, "۱۲٬۵۰۰٬۰۰۰"),
        ("12500000", "۱۲٬۵۰۰٬۰۰۰"),
        (Decimal("12500000"), "۱۲٬۵۰۰٬۰۰۰"),
        (999, "۹۹۹"),
        (0, "۰"),
        (-1500, "-۱٬۵۰۰"),
        (Decimal("1234.5"), "۱٬۲۳۴٫۵"),
    ],
)
def test_format_number_groups_thousands_with_persian_separator_and_digits(value, expected):
    with translation.override("fa"):
        assert format_number(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (12500000, "12,500,000"),
        ("۱۲۵۰۰۰۰۰", "12,500,000"),
        (Decimal("12500000.00"), "12,500,000"),
        (999, "999"),
        (-1500, "-1,500"),
        (Decimal("1234.5"), "1,234.5"),
    ],
)
def test_format_number_groups_thousands_with_comma_in_english(value, expected):
    with translation.override("en"):
        assert format_number(value) == expected


def test_format_number_uses_a_custom_separator_in_persian():
    with translation.override("fa"):
        assert format_number(12500000, separator=",") == "۱۲,۵۰۰,۰۰۰"


@pytest.mark.parametrize("empty", [None, ""])
def test_format_number_returns_empty_string_for_no_value(empty):
    assert format_number(empty) == ""


@pytest.mark.parametrize(
    ("rials", "tomans"),
    [
        (125000, Decimal("12500")),
        (10, Decimal("1")),
        (0, Decimal("0")),
        (12345, Decimal("1234.5")),
        ("۱۲۵۰۰۰", Decimal("12500")),
    ],
)
def test_rial_to_toman_divides_by_ten(rials, tomans):
    result = rial_to_toman(rials)
    assert isinstance(result, Decimal)
    assert result == tomans
