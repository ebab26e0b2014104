import datetime
from zoneinfo import ZoneInfo

import pytest
from django import forms
from django.contrib.staticfiles import finders
from django.utils import translation

from aftersales.core.forms import JalaliDateField, JalaliDateInput, JalaliDateTimeField, JalaliDateTimeInput

TEHRAN = ZoneInfo("Asia/Tehran")
UTC = datetime.timezone.utc


class VisitForm(forms.Form):
    visit_date = JalaliDateField()
    arrived_at = JalaliDateTimeField(required=False)


@pytest.mark.parametrize("typed", ["۱۴۰۵/۰۹/۰۷", "1405/09/07", "1405-9-7", "۱۴۰۵/۹/۷", " 1405/09/07 "])
def test_jalali_date_field_cleans_to_gregorian_date(typed):
    assert JalaliDateField().clean(typed) == datetime.date(2026, 11, 28)


def test_jalali_date_field_accepts_gregorian_date_from_a_spreadsheet():
    assert JalaliDateField().clean("2026-11-28") == datetime.date(2026, 11, 28)


def test_jalali_date_field_passes_a_date_through():
    assert JalaliDateField().clean(datetime.date(2026, 11, 28)) == datetime.date(2026, 11, 28)


@pytest.mark.parametrize("typed", ["1403/13/40", "1403/12/31", "1405/09", "tomorrow"])
def test_jalali_date_field_rejects_impossible_date_with_invalid_code(typed):
    with pytest.raises(forms.ValidationError) as excinfo:
        JalaliDateField().clean(typed)
    assert excinfo.value.code == "invalid"
    with translation.override("en"):
        assert excinfo.value.messages == ["Enter a valid Jalali date, such as 1405/09/07."]


def test_jalali_date_field_reports_invalid_date_on_the_form():
    form = VisitForm(data={"visit_date": "1403/13/40"})
    assert not form.is_valid()
    assert [error.code for error in form.errors.as_data()["visit_date"]] == ["invalid"]


def test_jalali_date_field_is_required_by_default():
    form = VisitForm(data={"visit_date": ""})
    assert not form.is_valid()
    assert [error.code for error in form.errors.as_data()["visit_date"]] == ["required"]


def test_optional_jalali_date_field_cleans_blank_to_none():
    assert JalaliDateField(required=False).clean("") is None


@pytest.mark.parametrize("typed", ["۱۴۰۵/۰۹/۰۷ ۱۴:۳۰", "1405/09/07 14:30", "1405-9-7T14:30"])
def test_jalali_datetime_field_cleans_to_aware_tehran_datetime(typed):
    cleaned = JalaliDateTimeField().clean(typed)
    assert cleaned == datetime.datetime(2026, 11, 28, 14, 30, tzinfo=TEHRAN)
    assert cleaned.utcoffset() == datetime.timedelta(hours=3, minutes=30)


def test_jalali_datetime_field_joins_split_date_and_time():
    cleaned = JalaliDateTimeField().clean(["1405/09/07", "14:30"])
    assert cleaned == datetime.datetime(2026, 11, 28, 14, 30, tzinfo=TEHRAN)


@pytest.mark.parametrize("typed", ["1403/13/40 10:00", "1405/09/07 25:00", "now"])
def test_jalali_datetime_field_rejects_impossible_input_with_invalid_code(typed):
    with pytest.raises(forms.ValidationError) as excinfo:
        JalaliDateTimeField().clean(typed)
    assert excinfo.value.code == "invalid"


@pytest.mark.parametrize("language", ["fa", "en"])
def test_date_widget_renders_jalali_value_with_ascii_digits(language):
    with translation.override(language):
        html = JalaliDateInput().render("visit_date", datetime.date(2026, 11, 28))
    assert 'value="1405/09/07"' in html
    assert "۱" not in html


def test_date_widget_renders_the_picker_attribute():
    html = JalaliDateInput().render("visit_date", None)
    assert "data-jdp" in html
    assert 'dir="ltr"' in html
    assert 'autocomplete="off"' in html
    assert "value=" not in html


def test_date_widget_keeps_the_picker_attribute_with_custom_attrs():
    html = JalaliDateInput(attrs={"class": "form-control", "placeholder": "تاریخ"}).render("d", None)
    assert "data-jdp" in html
    assert 'class="form-control"' in html
    assert 'placeholder="تاریخ"' in html


def test_date_widget_leaves_typed_text_as_typed():
    # A bound form shows back what the user typed, even when it did not validate.
    html = JalaliDateInput().render("visit_date", "1403/13/40")
    assert 'value="1403/13/40"' in html


@pytest.mark.parametrize("language", ["fa", "en"])
def test_datetime_widget_renders_tehran_time_with_ascii_digits(language):
    utc = datetime.datetime(2026, 11, 28, 20, 40, tzinfo=UTC)
    with translation.override(language):
        html = JalaliDateTimeInput().render("arrived_at", utc)
    assert 'value="1405/09/08 00:10"' in html
    assert "data-jdp" in html
    assert "data-jdp-time" in html


def test_bound_form_renders_initial_values_in_jalali():
    form = VisitForm(
        initial={
            "visit_date": datetime.date(2026, 11, 28),
            "arrived_at": datetime.datetime(2026, 11, 28, 20, 40, tzinfo=UTC),
        }
    )
    assert 'value="1405/09/07"' in str(form["visit_date"])
    assert 'value="1405/09/08 00:10"' in str(form["arrived_at"])


@pytest.mark.parametrize("widget", [JalaliDateInput, JalaliDateTimeInput])
def test_widget_media_uses_the_local_jalali_picker(widget):
    media = widget().media
    assert "vendor/jalalidatepicker/jalalidatepicker.min.js" in media._js
    assert "vendor/jalalidatepicker/jalalidatepicker.min.css" in media._css["all"]
    rendered = str(media)
    assert "http:" not in rendered
    assert "https:" not in rendered
    assert 'src="//' not in rendered and 'href="//' not in rendered


@pytest.mark.parametrize(
    "path", ["vendor/jalalidatepicker/jalalidatepicker.min.js", "vendor/jalalidatepicker/jalalidatepicker.min.css"]
)
def test_widget_media_vendor_files_are_served_by_the_product(path):
    assert path in [*JalaliDateInput().media._js, *JalaliDateInput().media._css["all"]]
    assert finders.find(path), f"static file {path} not found"


def test_widget_media_picker_script_is_served_by_the_product():
    assert "aftersales/js/jalali-picker.js" in JalaliDateInput().media._js
    assert finders.find("aftersales/js/jalali-picker.js")


def test_form_media_includes_the_picker():
    assert "vendor/jalalidatepicker/jalalidatepicker.min.js" in str(VisitForm().media)


class TestMoneyField:
    @pytest.mark.parametrize("typed", ["1250000", "1,250,000", "۱٬۲۵۰٬۰۰۰", "١٢٥٠٠٠٠", " 1 250 000 "])
    def test_takes_rials_typed_with_any_digits_and_separators(self, typed, settings):
        from aftersales.core.forms import MoneyField

        settings.MONEY_UNIT = "rial"
        assert MoneyField().clean(typed) == 1250000

    def test_amount_typed_in_tomans_is_stored_in_rials(self, settings):
        from aftersales.core.forms import MoneyField, MoneyInput

        settings.MONEY_UNIT = "toman"
        assert MoneyField().clean("۱۲٬۵۰۰٬۰۰۰") == 125_000_000
        assert MoneyInput().format_value(125_000_000) == "12,500,000"

    def test_a_limit_in_a_refusal_reads_in_persian_digits(self, settings):
        from django.core.exceptions import ValidationError
        from django.utils import translation

        from aftersales.core.forms import MoneyField

        settings.MONEY_UNIT = "rial"
        with translation.override("fa"), pytest.raises(ValidationError) as error:
            MoneyField(min_value=1).clean("0")
        assert "۱" in error.value.messages[0] and "1" not in error.value.messages[0]

    def test_rejects_words_with_a_clear_message(self):
        from django.core.exceptions import ValidationError

        from aftersales.core.forms import MoneyField

        with pytest.raises(ValidationError) as error:
            MoneyField().clean("دوازده هزار")
        assert error.value.code == "invalid"


def test_money_filter_follows_the_site_unit(settings):
    from django.template import Context, Template
    from django.utils import translation

    with translation.override("fa"):
        settings.MONEY_UNIT = "toman"
        assert Template("{{ 125000000|money }}").render(Context()) == "۱۲٬۵۰۰٬۰۰۰ تومان"
        settings.MONEY_UNIT = "rial"
        assert Template("{{ 125000000|money }}").render(Context()) == "۱۲۵٬۰۰۰٬۰۰۰ ریال"
