"""A receptionist's first minute, in Debian's headless Chromium."""

from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.utils import timezone, translation

from aftersales.core import jalali

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture
def receptionist(center_a):
    from aftersales.organization.roles import Role, sync_roles
    from tests.factories import UserFactory

    sync_roles()  # transactional tests flush the roles created by migrate
    return UserFactory(username="reception", first_name="مریم", last_name="احمدی", role=Role.RECEPTIONIST, centers=[center_a])


def test_receptionist_logs_in_to_persian_dashboard_and_switches_language(live_server, page, receptionist, password):
    ARTIFACTS.mkdir(exist_ok=True)
    requested_hosts = set()
    page.on("request", lambda request: requested_hosts.add(urlparse(request.url).hostname))

    page.goto(f"{live_server.url}/")
    page.fill("#id_username", "reception")
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")

    assert page.get_attribute("html", "dir") == "rtl" and page.get_attribute("html", "lang") == "fa"
    with translation.override("fa"):
        today = jalali.format_long(timezone.localdate())
    assert page.inner_text("[data-testid=dashboard-date]").endswith(today)
    assert "پذیرش" in page.inner_text("[data-testid=roles]")  # "Receptionist" in Persian
    assert page.evaluate("document.fonts.check('16px \"Vazirmatn FD\"')")
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    page.screenshot(path=str(ARTIFACTS / "dashboard-fa.png"), full_page=True)

    page.click("[data-testid=switch-language]")
    page.wait_for_selector("html[lang=en]")
    assert page.get_attribute("html", "dir") == "ltr"
    assert "Receptionist" in page.inner_text("[data-testid=roles]")
    page.screenshot(path=str(ARTIFACTS / "dashboard-en.png"), full_page=True)

    page.click("[data-testid=switch-language]")
    page.wait_for_selector("html[lang=fa]")
    assert page.get_attribute("html", "dir") == "rtl"

    assert requested_hosts == {urlparse(live_server.url).hostname}


def test_invalid_postal_code_shows_persian_message_beside_the_field(live_server, page, password, center_a):
    from aftersales.organization.roles import Role, sync_roles
    from tests.factories import UserFactory

    sync_roles()
    UserFactory(username="boss", role=Role.CENTER_MANAGER, centers=[center_a])
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "boss")
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    page.goto(f"{live_server.url}/centers/{center_a.pk}/edit/")
    page.fill("#id_postal_code", "۱۲۳۴۵")
    page.click("main button[type=submit]")
    error = page.inner_text("[data-testid=error-postal_code]")
    assert "کد پستی" in error
    page.screenshot(path=str(ARTIFACTS / "center-form-error.png"), full_page=True)


def test_desk_date_is_picked_on_the_jalali_calendar(live_server, page, center_a):
    from django.contrib.auth import get_user_model

    from aftersales.organization.roles import sync_roles

    sync_roles()
    get_user_model().objects.create_superuser("root", password="x-Pass-123")
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "root")
    page.fill("#id_password", "x-Pass-123")
    page.click("input[type=submit]")
    staff = get_user_model().objects.create_user("picked", first_name="رضا")
    page.goto(f"{live_server.url}/admin/organization/user/{staff.pk}/change/")
    page.click("#id_date_joined")
    page.wait_for_selector("jdp-container .jdp-day", state="visible")
    page.screenshot(path=str(ARTIFACTS / "desk-jalali-picker.png"))
    page.click('.jdp-day:not(.not-in-month):text-is("۱۵")')
    value = page.input_value("#id_date_joined")
    assert value.split(" ")[0].endswith("/15"), value
    page.fill("#id_date_joined", value.split(" ")[0] + " 09:00")
    page.click("input[name=_save]")
    page.wait_for_url(f"{live_server.url}/admin/organization/user/")
    staff.refresh_from_db()
    with translation.override("en"):
        assert jalali.format_datetime(staff.date_joined).endswith("/15 09:00")
