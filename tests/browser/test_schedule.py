"""The home visits schedule on a phone (issue 13): the receptionist's week view and the technician's
list of today's visits at 390 px, with a free slot opening the reception desk prefilled."""

import datetime
import zoneinfo
from pathlib import Path

import pytest
import time_machine

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
TEHRAN = zoneinfo.ZoneInfo("Asia/Tehran")
MONDAY = datetime.date(2026, 12, 7)  # 1405/09/16
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}


def at(day, hour):
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=TEHRAN)


def login(browser, live_server, username, password):
    page = browser.new_context(locale="fa-IR", **PHONE).new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    return page


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_week_view_and_the_technicians_day_on_a_phone(live_server, browser, password, center_a, owner):
    from aftersales.messaging.models import EventRule, MessageTemplate
    from aftersales.messaging.reference import load_default_templates
    from aftersales.organization.roles import Role, sync_roles
    from aftersales.personnel.models import StaffProfile
    from aftersales.repairs.reference import load_repair_workflow
    from aftersales.repairs.services import reception_create
    from aftersales.workflow.models import State, Transition, Workflow
    from tests.factories import UserFactory

    load_repair_workflow(Workflow, State, Transition)
    load_default_templates(MessageTemplate, EventRule)
    sync_roles()
    desk = UserFactory(username="desk", role=Role.RECEPTIONIST, centers=[center_a])
    tech = UserFactory(username="roadie", first_name="رضا", last_name="کریمی", role=Role.TECHNICIAN, centers=[center_a])
    StaffProfile.objects.create(user=tech, center=center_a, does_home_service=True)
    ARTIFACTS.mkdir(exist_ok=True)
    with time_machine.travel(at(MONDAY, 7), tick=True):
        for hour, address, complaint in [(9, "نارمک، خیابان گلبرگ، پلاک ۱۲", "کولر گازی سرد نمی‌کند"),
                                         (11, "پیروزی، خیابان نبرد، کوچه ۱۴، پلاک ۳", "لباسشویی آب را تخلیه نمی‌کند"),
                                         (14, "تهرانپارس، خیابان جشنواره، پلاک ۷۰", "یخچال برفک می‌زند")]:
            reception_create(center=center_a, acting_user=desk, customer=owner, kind="home", description=complaint,
                             address=address, appointment_at=at(MONDAY, hour), assignee=tech)

        page = login(browser, live_server, "desk", password)
        page.goto(f"{live_server.url}/repairs/schedule/?view=week&date=1405/09/16")
        page.wait_for_selector("[data-testid=schedule-week]")
        assert page.locator("[data-testid=visit]").count() == 3
        assert "برنامهٔ سرویس در منزل" in page.inner_text("h1")
        page.screenshot(path=str(ARTIFACTS / "schedule-week-phone.png"), full_page=True)
        page.goto(f"{live_server.url}/repairs/schedule/?date=1405/09/16")
        page.wait_for_selector("[data-testid=schedule-day]")
        page.screenshot(path=str(ARTIFACTS / "schedule-day-phone.png"), full_page=True)
        page.locator("[data-testid=free-slot]").first.click()
        page.wait_for_selector("[data-testid=reception-form]")
        assert page.input_value("#id_appointment_at") == "1405/09/16 08:00"
        assert page.input_value("#id_kind") == "home" and page.input_value("#id_assignee") == str(tech.pk)

        phone = login(browser, live_server, "roadie", password)
        phone.goto(f"{live_server.url}/repairs/schedule/today/")
        phone.wait_for_selector("[data-testid=today-visits]")
        times = phone.locator("[data-testid=visit-time]").all_inner_texts()
        assert times == ["۰۹:۰۰", "۱۱:۰۰", "۱۴:۰۰"]
        assert phone.locator("[data-testid=visit-call]").first.get_attribute("href") == "tel:09121234567"
        assert fits(phone)
        phone.screenshot(path=str(ARTIFACTS / "schedule-today-phone.png"), full_page=True)
