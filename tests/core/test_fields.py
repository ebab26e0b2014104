"""IdentifierField and NormalizedCharField, through the real organization models and forms."""

import pytest
from django.core.exceptions import ValidationError

from aftersales.core.fields import IdentifierField, NormalizedCharField
from aftersales.organization.forms import CenterForm, ProfileForm
from aftersales.organization.models import ServiceCenter, User

from ..factories import ServiceCenterFactory, UserFactory

pytestmark = pytest.mark.django_db

ZWNJ = "\u200c"


def _profile_data(**overrides):
    return {
        "first_name": "سارا",
        "last_name": "کریمی",
        "email": "",
        "mobile": "",
        "national_code": "",
        **overrides,
    }


def _error_codes(form, field):
    return [error.code for error in form.errors.as_data()[field]]


# Saving


@pytest.mark.parametrize(
    "typed",
    ["۰۹۱۲ ۱۲۳ ۴۵۶۷", "+989121234567", "00989121234567", "0912-123-4567", "٠٩١٢١٢٣٤٥٦٧"],
)
def test_saving_a_mobile_stores_the_national_form(typed):
    user = UserFactory(mobile=typed)
    user.refresh_from_db()
    assert user.mobile == "09121234567"


def test_saving_a_national_code_stores_ascii_digits_padded_to_ten():
    user = UserFactory(national_code="۸۴۵۷۵۹۴۸")
    user.refresh_from_db()
    assert user.national_code == "0084575948"


def test_saving_updates_the_instance_to_the_stored_form():
    user = UserFactory(mobile="۰۹۱۲ ۱۲۳ ۴۵۶۷")
    assert user.mobile == "09121234567"


def test_saving_a_blank_identifier_stores_blank():
    user = UserFactory(mobile="")
    user.refresh_from_db()
    assert user.mobile == ""


def test_saving_a_center_stores_postal_code_and_phone_canonically():
    center = ServiceCenterFactory(postal_code="۱۳۴۵۶-۷۸۹۰۱", phone="+98 21 8877 6655")
    center.refresh_from_db()
    assert center.postal_code == "1345678901"
    assert center.phone == "02188776655"


def test_saving_a_name_with_arabic_letters_stores_persian_letters():
    center = ServiceCenterFactory(name="مركز خدمات علي", city="كرج")
    center.refresh_from_db()
    assert center.name == "مرکز خدمات علی"
    assert center.city == "کرج"


def test_saving_a_name_folds_spaces_zwnj_and_digits():
    center = ServiceCenterFactory(name=f"  مرکز   شماره ۱۲{ZWNJ}{ZWNJ}ها ", address="خیابان\u064e  آزادی")
    center.refresh_from_db()
    assert center.name == f"مرکز شماره 12{ZWNJ}ها"
    assert center.address == "خیابان آزادی"


def test_a_name_typed_with_arabic_or_persian_letters_is_stored_the_same_way():
    ServiceCenterFactory(code="A1", name="مركز علي")
    ServiceCenterFactory(code="A2", name="مرکز علی")
    assert ServiceCenter.objects.filter(name="مرکز علی").count() == 2


def test_an_identifier_typed_two_ways_is_found_by_one_query():
    UserFactory(username="one", mobile="+989121234567")
    UserFactory(username="two", mobile="۰۹۱۲ ۱۲۳ ۴۵۶۷")
    assert set(User.objects.filter(mobile="09121234567").values_list("username", flat=True)) == {"one", "two"}


# Model validation


def test_full_clean_rejects_an_invalid_national_code_on_that_field():
    user = User(username="nc-user", password="x", national_code="1234567890")
    with pytest.raises(ValidationError) as excinfo:
        user.full_clean()
    errors = excinfo.value.error_dict
    assert set(errors) == {"national_code"}
    assert [error.code for error in errors["national_code"]] == ["invalid_national_code"]


def test_full_clean_rejects_an_invalid_mobile_on_that_field():
    user = User(username="m-user", password="x", mobile="08121234567")
    with pytest.raises(ValidationError) as excinfo:
        user.full_clean()
    assert [error.code for error in excinfo.value.error_dict["mobile"]] == ["invalid_mobile"]


def test_full_clean_accepts_identifiers_typed_with_persian_digits_and_normalises_them():
    user = User(username="p-user", password="x", mobile="+98 912 123 4567", national_code="۰۴۹۹-۳۷۰۸۹۹")
    user.full_clean()
    assert user.mobile == "09121234567"
    assert user.national_code == "0499370899"


def test_full_clean_accepts_blank_identifiers_on_optional_fields():
    User(username="b-user", password="x", mobile="", national_code="").full_clean()


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("postal_code", "1234567890", "invalid_postal_code"),
        ("phone", "09121234567", "invalid_landline"),
    ],
)
def test_full_clean_rejects_an_invalid_center_identifier_on_that_field(field, value, code):
    center = ServiceCenter(code="X1", name="مرکز", province="تهران", city="تهران", **{field: value})
    with pytest.raises(ValidationError) as excinfo:
        center.full_clean()
    assert set(excinfo.value.error_dict) == {field}
    assert [error.code for error in excinfo.value.error_dict[field]] == [code]


# Field definition


def test_identifier_field_takes_its_max_length_from_its_kind():
    assert User._meta.get_field("mobile").max_length == 11
    assert User._meta.get_field("national_code").max_length == 10
    assert ServiceCenter._meta.get_field("postal_code").max_length == 10


def test_identifier_field_deconstructs_with_its_kind_and_without_default_max_length():
    _, path, _, kwargs = IdentifierField(kind="mobile").deconstruct()
    assert path == "aftersales.core.fields.IdentifierField"
    assert kwargs["kind"] == "mobile"
    assert "max_length" not in kwargs


def test_identifier_field_deconstructs_a_custom_max_length():
    _, _, _, kwargs = IdentifierField(kind="mobile", max_length=20).deconstruct()
    assert kwargs["max_length"] == 20


def test_normalized_char_field_gives_a_normalizing_form_field():
    form_field = NormalizedCharField(max_length=50).formfield()
    assert form_field.clean(" علي  كريمي ") == "علی کریمی"


# Model forms


@pytest.mark.parametrize("typed", ["+989121234567", "+98 912 123 4567", "۰۹۱۲ ۱۲۳ ۴۵۶۷", "989121234567"])
def test_profile_form_cleans_mobile_to_the_national_form(typed):
    user = UserFactory()
    form = ProfileForm(data=_profile_data(mobile=typed), instance=user)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["mobile"] == "09121234567"
    form.save()
    user.refresh_from_db()
    assert user.mobile == "09121234567"


def test_profile_form_accepts_a_national_code_in_persian_digits():
    form = ProfileForm(data=_profile_data(national_code="۰۴۹۹۳۷۰۸۹۹"), instance=UserFactory())
    assert form.is_valid(), form.errors
    assert form.cleaned_data["national_code"] == "0499370899"


@pytest.mark.parametrize("national_code", ["1234567890", "1111111111", "12345"])
def test_profile_form_rejects_an_invalid_national_code_on_that_field(national_code):
    user = UserFactory(national_code="")
    form = ProfileForm(data=_profile_data(national_code=national_code), instance=user)
    assert not form.is_valid()
    assert set(form.errors) == {"national_code"}
    assert _error_codes(form, "national_code") == ["invalid_national_code"]
    user.refresh_from_db()
    assert user.national_code == ""


def test_profile_form_rejects_an_invalid_mobile_on_that_field():
    form = ProfileForm(data=_profile_data(mobile="0812 123 4567"), instance=UserFactory())
    assert not form.is_valid()
    assert _error_codes(form, "mobile") == ["invalid_mobile"]


def test_profile_form_does_not_limit_typed_length_to_the_stored_length():
    # "+98 912 123 4567" is 16 characters; it is stored as 11.
    rendered = str(ProfileForm(instance=UserFactory())["mobile"])
    assert "maxlength" not in rendered


def test_center_form_stores_persian_letters_and_canonical_identifiers():
    center = ServiceCenterFactory()
    form = CenterForm(
        data={
            "name": "مركز  علي",
            "province": "تهران",
            "city": "كرج",
            "address": "",
            "postal_code": "۱۳۴۵۶-۷۸۹۰۱",
            "phone": "+98 21 8877 6655",
            "is_active": "on",
        },
        instance=center,
    )
    assert form.is_valid(), form.errors
    form.save()
    center.refresh_from_db()
    assert (center.name, center.city) == ("مرکز علی", "کرج")
    assert (center.postal_code, center.phone) == ("1345678901", "02188776655")
