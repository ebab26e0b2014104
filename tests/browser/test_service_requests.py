"""A customer's request for a home visit in the receptionist's cartable on a phone (issue 22): the
request's page at 390 px, confirmed with an appointment into an order whose page opens next."""

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


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_a_receptionist_confirms_a_home_visit_request_on_a_phone(live_server, browser, password, center_a, owner):
    from aftersales.messaging.models import EventRule, MessageTemplate
    from aftersales.messaging.reference import load_default_templates
    from aftersales.organization.roles import Role, sync_roles
    from aftersales.personnel.models import StaffProfile
    from aftersales.regions.models import Region, SalesTerritory
    from aftersales.repairs.models import RepairOrder, ServiceRequest
    from aftersales.repairs.reference import load_repair_workflow
    from aftersales.repairs.requests import service_request_submit
    from aftersales.workflow.models import State, Transition, Workflow
    from tests.factories import UserFactory

    load_repair_workflow(Workflow, State, Transition)
    load_default_templates(MessageTemplate, EventRule)
    sync_roles()
    UserFactory(username="desk", role=Role.RECEPTIONIST, centers=[center_a])
    tech = UserFactory(username="roadie", first_name="رضا", last_name="کریمی", role=Role.TECHNICIAN, centers=[center_a])
    StaffProfile.objects.create(user=tech, center=center_a, does_home_service=True)
    province = Region.objects.create(code="Z1", name="تهران", kind=Region.Kind.PROVINCE)
    city = Region.objects.create(code="Z101", name="تهران", kind=Region.Kind.CITY, parent=province)
    district = Region.objects.create(code="Z10104", name="منطقه ۴", kind=Region.Kind.DISTRICT, parent=city)
    territory = SalesTerritory.objects.create(code="TEH", name="تهران")
    territory.regions.add(city)
    territory.centers.add(center_a)
    ARTIFACTS.mkdir(exist_ok=True)
    with time_machine.travel(datetime.datetime.combine(MONDAY, datetime.time(7), tzinfo=TEHRAN), tick=True):
        request = service_request_submit(
            customer=owner, kind="home", serial="WM8-0042", description="ماشین لباسشویی آب را تخلیه نمی‌کند.",
            region=district, address="نارمک، خیابان گلبرگ، کوچه بهار، پلاک ۱۲", postal_code="1647836591",
            preferred_on=MONDAY + datetime.timedelta(days=1), window="morning")

        page = browser.new_context(locale="fa-IR", **PHONE).new_page()
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", "desk")
        page.fill("#id_password", password)
        page.click("main button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")
        page.goto(f"{live_server.url}/repairs/cartable/")
        page.wait_for_selector("[data-testid=service-requests]")
        assert page.inner_text("[data-testid=service-requests-count]") == "۱"
        assert fits(page)
        page.screenshot(path=str(ARTIFACTS / "service-requests-cartable-phone.png"), full_page=True)
        page.click(f"[data-request='{request.pk}']")
        page.wait_for_selector("[data-testid=request-confirm-form]")
        assert "نارمک" in page.inner_text("[data-testid=request-details]")
        assert fits(page)
        page.screenshot(path=str(ARTIFACTS / "service-request-phone.png"), full_page=True)
        page.fill("#id_appointment_at", "1405/09/17 10:00")
        page.wait_for_timeout(400)
        page.keyboard.press("Escape")  # the time is typed: the picker's calendar closes
        page.click("h1")
        page.locator("jdp-container").wait_for(state="hidden")
        page.select_option("#id_assignee", str(tech.pk))
        page.click("[data-testid=request-confirm]")
        page.wait_for_selector("[data-testid=order-state]")
        order = RepairOrder.objects.get()
        assert page.url.endswith(f"/repairs/orders/{order.pk}/")
        assert order.assignee == tech and order.kind == "home"
        assert order.appointment_at == datetime.datetime(2026, 12, 8, 10, tzinfo=TEHRAN)
        assert ServiceRequest.objects.get(pk=request.pk).order == order
        page.screenshot(path=str(ARTIFACTS / "service-request-confirmed-phone.png"), full_page=True)
