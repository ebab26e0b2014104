import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from aftersales.organization.models import ServiceCenter
from aftersales.organization.services import center_update, user_profile_update
from tests.helpers import nothing_written

pytestmark = pytest.mark.django_db


def test_center_update_refuses_a_role_without_the_permission(reception_a, center_a):
    with nothing_written(), pytest.raises(PermissionDenied):
        center_update(center=center_a, acting_user=reception_a, data={"name": "x"})


def test_center_update_refuses_another_centers_manager(manager_b, center_a):
    with pytest.raises(ServiceCenter.DoesNotExist):
        center_update(center=center_a, acting_user=manager_b, data={"name": "x"})


def test_center_update_with_bad_phone_writes_nothing(manager_a, center_a):
    before = center_a.history.count()
    with nothing_written(), pytest.raises(ValidationError) as error:
        center_update(center=center_a, acting_user=manager_a, data={"name": "نام تازه", "phone": "123"})
    assert "phone" in error.value.message_dict
    center_a.refresh_from_db()
    assert center_a.name == "مرکز خدمات تهران" and center_a.history.count() == before


def test_center_update_ignores_fields_that_are_not_editable(manager_a, center_a):
    center_update(center=center_a, acting_user=manager_a, data={"code": "HACK", "city": "ری"})
    center_a.refresh_from_db()
    assert (center_a.code, center_a.city) == ("TEH01", "ری")


def test_profile_update_keeps_one_canonical_mobile(reception_a):
    user_profile_update(user=reception_a, data={"mobile": "۰۰۹۸ ۹۱۲ ۱۲۳ ۴۵۶۷"})
    reception_a.refresh_from_db()
    assert reception_a.mobile == "09121234567"
    assert reception_a.history.latest().history_user == reception_a
