"""The admin honours the row scoping everywhere: change lists, forms, filters, history and past versions
(which are shown, never saved), and other packages' admin pages are for superusers only."""

import pytest
from django.contrib import admin

from aftersales.core.admin import ReadOnlyHistoryMixin, ScopedAdminMixin
from aftersales.feedback.models import Complaint
from aftersales.feedback.services import complaint_receive
from aftersales.organization.models import User
from aftersales.stock.models import Warehouse

pytestmark = pytest.mark.django_db


@pytest.fixture
def complaint_a(center_a):
    return complaint_receive(channel="phone", text="یخچال هنوز سرد نمی‌کند", name="مینا رضایی", mobile="09121112233",
                             center=center_a)


def _version_url(obj, app_model):
    return f"/admin/{app_model}/{obj.pk}/history/{obj.history.latest().history_id}/"


def test_a_past_version_of_another_centers_complaint_is_not_found(client, manager_b, complaint_a):
    client.force_login(manager_b)
    url = _version_url(complaint_a, "feedback/complaint")
    page = client.get(url)
    assert page.status_code == 404
    assert "مینا رضایی" not in page.content.decode()
    assert client.get(f"/admin/feedback/complaint/{complaint_a.pk}/history/").status_code == 404


def test_nobody_rewrites_a_record_through_a_past_version(client, manager_a, manager_b, complaint_a, center_a):
    warehouse = Warehouse.objects.create(center=center_a, code="main", name="انبار تهران")
    for user in (manager_b, manager_a):
        client.force_login(user)
        answer = client.post(_version_url(complaint_a, "feedback/complaint"),
                             {"text": "بازنویسی شد", "status": "closed", "kind": "complaint", "category": "other",
                              "channel": "phone"})
        assert answer.status_code in (403, 404)
        answer = client.post(_version_url(warehouse, "stock/warehouse"), {"name": "تغییر نام", "code": "main",
                                                                          "center": center_a.pk})
        assert answer.status_code in (403, 404)
    complaint_a.refresh_from_db()
    warehouse.refresh_from_db()
    assert complaint_a.text == "یخچال هنوز سرد نمی‌کند" and warehouse.name == "انبار تهران"


def test_a_center_manager_cannot_make_anyone_a_superuser(client, manager_a, django_user_model):
    root = django_user_model.objects.create_superuser("root", password="x-Pass-12345")
    root.save()  # a history row
    client.force_login(manager_a)
    for target in (root, manager_a):
        url = _version_url(target, "organization/user")
        client.post(url, {"username": target.username, "is_superuser": "on", "is_staff": "on", "is_active": "on"})
    root.refresh_from_db()
    manager_a.refresh_from_db()
    assert not manager_a.is_superuser
    # The superuser works at no center: a center manager does not even see them.
    assert client.get(f"/admin/organization/user/{root.pk}/change/").status_code in (302, 403, 404)


def test_a_past_version_of_ones_own_record_is_shown_read_only(client, manager_a, complaint_a):
    client.force_login(manager_a)
    page = client.get(_version_url(complaint_a, "feedback/complaint"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "یخچال هنوز سرد نمی‌کند" in body
    form = body.split('id="historicalcomplaint_form"')[1].split("</form>")[0]
    assert 'name="text"' not in form and 'type="submit"' not in form


def test_a_user_with_the_right_to_edit_users_cannot_grant_superuser_or_wider_roles(client, manager_a, reception_a):
    from django.contrib.auth.models import Permission

    manager_a.user_permissions.add(Permission.objects.get(codename="change_user"))
    client.force_login(manager_a)
    page = client.get(f"/admin/organization/user/{reception_a.pk}/change/").content.decode()
    assert 'name="is_superuser"' not in page
    assert "head_office_manager" not in page.split('name="groups"')[1].split("</select>")[0]


def test_change_list_filters_offer_only_the_users_centers(client, manager_a, center_a, center_b):
    Warehouse.objects.create(center=center_a, code="main", name="انبار تهران")
    Warehouse.objects.create(center=center_b, code="main", name="انبار اصفهان")
    client.force_login(manager_a)
    page = client.get("/admin/stock/warehouse/").content.decode()
    assert "انبار تهران" in page
    assert "انبار اصفهان" not in page and center_b.name not in page


def test_other_packages_admin_pages_are_for_superusers_only(client, manager_a):
    client.force_login(manager_a)
    assert client.get("/admin/auth/group/").status_code == 403
    assert client.get("/admin/authtoken/tokenproxy/").status_code == 403


def test_every_admin_page_of_the_product_is_scoped_and_its_history_read_only():
    for model, model_admin in admin.site._registry.items():
        if getattr(model_admin, "superuser_only", False):
            continue
        assert isinstance(model_admin, ScopedAdminMixin), f"{type(model_admin).__name__} is not scoped"
        if hasattr(model_admin, "history_form_view"):
            assert isinstance(model_admin, ReadOnlyHistoryMixin), f"{type(model_admin).__name__} history can save"
        for inline in model_admin.inlines:
            assert issubclass(inline, ScopedAdminMixin), f"{inline.__name__} is not scoped"


def test_message_admin_hides_other_centers_and_masks_secrets(client, manager_a, center_a, center_b):
    from aftersales.messaging.models import Message
    from aftersales.messaging.services import message_queue

    mine = message_queue(channel="sms", to="09121234567", body="کد پیگیری: K7Q2M9X4P3T8W", center=center_a,
                         pattern_params={"tracking_code": "K7Q2M9X4P3T8W"})
    theirs = message_queue(channel="sms", to="09121234568", body="سلام از اصفهان", center=center_b)
    client.force_login(manager_a)
    listing = client.get("/admin/messaging/message/").content.decode()
    assert "09121234567" in listing and "09121234568" not in listing
    page = client.get(f"/admin/messaging/message/{mine.pk}/change/").content.decode()
    assert "K7Q2M9X4P3T8W" not in page and "••••••" in page
    assert client.get(f"/admin/messaging/message/{theirs.pk}/change/").status_code in (302, 404)
    assert Message.objects.count() == 2
