"""The Persian filters, rendered the way pages use them: builtins, no ``{% load %}``."""

import datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

UTC = datetime.timezone.utc
A_DATE = datetime.date(2026, 11, 28)
A_UTC_DATETIME = datetime.datetime(2026, 11, 28, 20, 40, tzinfo=UTC)  # 00:10 on 29 Nov in Tehran


def render(source: str, language: str, **context) -> str:
    with translation.override(language):
        return Template(source).render(Context(context))


@pytest.mark.parametrize(
    ("language", "expected"),
    [("fa", "۱۴۰۵/۰۹/۰۷"), ("en", "1405/09/07")],
)
def test_jdate_shows_a_date_in_jalali(language, expected):
    assert render("{{ value|jdate }}", language, value=A_DATE) == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [("fa", "۱۴۰۵/۰۹/۰۸"), ("en", "1405/09/08")],
)
def test_jdate_shows_the_tehran_date_of_a_utc_datetime(language, expected):
    assert render("{{ value|jdate }}", language, value=A_UTC_DATETIME) == expected


@pytest.mark.parametrize(("language", "expected"), [("fa", "۱۴۰۵/۰۹"), ("en", "1405/09")])
def test_jdate_takes_a_format_argument(language, expected):
    assert render('{{ value|jdate:"%Y/%m" }}', language, value=A_DATE) == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [("fa", "۱۴۰۵/۰۹/۰۸ ۰۰:۱۰"), ("en", "1405/09/08 00:10")],
)
def test_jdatetime_shows_a_utc_datetime_in_tehran_time(language, expected):
    assert render("{{ value|jdatetime }}", language, value=A_UTC_DATETIME) == expected


@pytest.mark.parametrize(("language", "expected"), [("fa", "۰۰:۱۰"), ("en", "00:10")])
def test_jdatetime_takes_a_format_argument(language, expected):
    assert render('{{ value|jdatetime:"%H:%M" }}', language, value=A_UTC_DATETIME) == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [("fa", "شنبه ۰۷ آذر ۱۴۰۵"), ("en", "Saturday 07 Azar 1405")],
)
def test_jdate_long_names_weekday_and_month(language, expected):
    assert render("{{ value|jdate_long }}", language, value=A_DATE) == expected


@pytest.mark.parametrize("date_filter", ["jdate", "jdatetime", "jdate_long"])
@pytest.mark.parametrize("language", ["fa", "en"])
def test_date_filters_show_nothing_for_no_value(date_filter, language):
    assert render(f"[{{{{ value|{date_filter} }}}}]", language, value=None) == "[]"
    assert render(f"[{{{{ missing|{date_filter} }}}}]", language) == "[]"


@pytest.mark.parametrize("date_filter", ["jdate", "jdatetime", "jdate_long"])
@pytest.mark.parametrize("value", ["N/A", 5])
def test_date_filters_fail_silently_on_a_value_that_is_not_a_date(date_filter, value):
    assert render(f"[{{{{ value|{date_filter} }}}}]", "fa", value=value) == "[]"


@pytest.mark.parametrize(
    ("language", "expected"),
    [("fa", "کد ۱۲۳۴۵ - ۰۹۱۲۱۲۳۴۵۶۷"), ("en", "کد 12345 - 09121234567")],
)
def test_digits_writes_digits_as_the_language_does(language, expected):
    assert render("{{ value|digits }}", language, value="کد 12345 - 09121234567") == expected


def test_digits_shows_persian_digits_for_a_number():
    assert render("{{ value|digits }}", "fa", value=1405) == "۱۴۰۵"


def test_digits_shows_nothing_for_none():
    assert render("[{{ value|digits }}]", "fa", value=None) == "[]"


@pytest.mark.parametrize(
    ("language", "value", "expected"),
    [
        ("fa", 12500000, "۱۲٬۵۰۰٬۰۰۰"),
        ("en", 12500000, "12,500,000"),
        ("fa", Decimal("1234.5"), "۱٬۲۳۴٫۵"),
        ("en", Decimal("1234.5"), "1,234.5"),
        ("fa", "12345", "۱۲٬۳۴۵"),
        ("en", 0, "0"),
    ],
)
def test_number_groups_thousands_in_the_language(language, value, expected):
    assert render("{{ value|number }}", language, value=value) == expected


def test_number_shows_nothing_for_no_value():
    assert render("[{{ value|number }}]", "fa", value=None) == "[]"
    assert render("[{{ missing|number }}]", "fa") == "[]"


@pytest.mark.parametrize("money_filter", ["number", "rial", "toman"])
def test_money_filters_show_a_value_that_is_not_a_number_as_is(money_filter):
    assert render(f"{{{{ value|{money_filter} }}}}", "fa", value="N/A") == "N/A"


def test_rial_shows_the_amount_in_rials_in_english():
    assert render("{{ value|rial }}", "en", value=12500000) == "12,500,000 rials"


def test_rial_shows_the_amount_with_persian_digits_in_persian():
    rendered = render("{{ value|rial }}", "fa", value=12500000)
    assert "۱۲٬۵۰۰٬۰۰۰" in rendered
    assert "12" not in rendered


def test_toman_shows_a_tenth_of_the_rials_in_english():
    assert render("{{ value|toman }}", "en", value=12500000) == "1,250,000 tomans"


def test_toman_keeps_a_fraction_of_a_toman():
    assert render("{{ value|toman }}", "en", value=12345) == "1,234.5 tomans"


def test_toman_shows_the_amount_with_persian_digits_in_persian():
    rendered = render("{{ value|toman }}", "fa", value=12500000)
    assert "۱٬۲۵۰٬۰۰۰" in rendered
    assert "۱۲٬۵۰۰٬۰۰۰" not in rendered
    assert "1" not in rendered


@pytest.mark.parametrize("money_filter", ["rial", "toman"])
@pytest.mark.parametrize("language", ["fa", "en"])
def test_money_filters_show_nothing_for_no_amount(money_filter, language):
    assert render(f"[{{{{ value|{money_filter} }}}}]", language, value=None) == "[]"
    assert render(f"[{{{{ value|{money_filter} }}}}]", language, value="") == "[]"


def test_filters_are_builtins_and_need_no_load_tag():
    rendered = render(
        "{{ d|jdate }} {{ t|jdatetime }} {{ d|jdate_long }} {{ n|digits }} {{ n|number }} {{ n|rial }} {{ n|toman }}",
        "en",
        d=A_DATE,
        t=A_UTC_DATETIME,
        n=1000,
    )
    assert rendered == "1405/09/07 1405/09/08 00:10 Saturday 07 Azar 1405 1000 1,000 1,000 rials 100 tomans"


def test_digits_write_a_decimal_point_the_persian_way_and_leave_links_latin():
    from decimal import Decimal

    from django.utils import translation

    from aftersales.core.templatetags.persian import digits

    with translation.override("fa"):
        assert digits(3.5) == "۳٫۵" and digits(Decimal("0.25")) == "۰٫۲۵" and digits("12.5") == "۱۲٫۵"
        assert digits("1405-000123") == "۱۴۰۵-۰۰۰۱۲۳"
        assert digits("http://127.0.0.1:8011/track/AB12") == "http://127.0.0.1:8011/track/AB12"
        assert digits("/s/Xy9") == "/s/Xy9"
    with translation.override("en"):
        assert digits(3.5) == "3.5"
