"""At the reception desk, typing a known mobile (in Persian digits) shows the customer on record and
fills the name and national code for the receptionist to confirm; an unknown one asks for them (issue 13)."""

from pathlib import Path

import pytest

from .test_repairs import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def test_a_known_mobile_fills_the_customer_and_an_unknown_one_asks_for_them(live_server, browser, password,
                                                                            center_a, owner):
    from aftersales.organization.roles import Role, sync_roles
    from tests.factories import UserFactory

    sync_roles()
    UserFactory(username="desk", role=Role.RECEPTIONIST, centers=[center_a])
    owner.national_code = "0499370899"
    owner.save()
    ARTIFACTS.mkdir(exist_ok=True)

    desk = login(browser, live_server, "desk", password)
    desk.goto(f"{live_server.url}/repairs/reception/")
    desk.fill("#id_mobile", "۰۹۱۲۱۲۳۴۵۶۷")
    desk.wait_for_selector("[data-testid=customer-preview][data-found=true]")
    assert desk.input_value("#id_customer_name") == "سارا احمدی"
    assert desk.input_value("#id_national_code") == "0499370899"
    assert "۰۴۹۹۳۷۰۸۹۹" in desk.inner_text("[data-testid=customer-preview]")
    desk.screenshot(path=str(ARTIFACTS / "reception-known-customer.png"), full_page=True)

    desk.fill("#id_mobile", "09359876543")
    desk.wait_for_selector("[data-testid=customer-preview][data-found=false]")
    assert "مشتری جدید" in desk.inner_text("[data-testid=customer-preview]")
