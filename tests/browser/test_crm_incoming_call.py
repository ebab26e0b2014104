"""A call rings at a call-center agent's extension: the caller's panel pops up on the page they have open, and
one click opens the whole panel (issue 16, F50)."""

import datetime
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def login(browser, live_server, username, password, **context):
    page = browser.new_context(locale="fa-IR", **context).new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    return page


def test_a_ringing_call_pops_the_callers_panel_up_and_opens_it(live_server, browser, password, center_a, owner,
                                                                 reception_a):
    from django.apps import apps
    from django.utils import timezone

    from aftersales.crm.models import PartyType, PhoneExtension
    from aftersales.crm.reference import load_marketing_reference
    from aftersales.crm.services import call_ringing, contact_record, party_create
    from aftersales.messaging.models import EventRule, MessageTemplate
    from aftersales.messaging.reference import load_default_templates
    from aftersales.organization.roles import Role, sync_roles
    from aftersales.repairs.reference import load_repair_workflow
    from aftersales.repairs.services import reception_create
    from aftersales.workflow.models import State, Transition, Workflow
    from tests.factories import UserFactory

    # A transactional test before this one emptied the tables the migrations had filled.
    sync_roles()
    load_marketing_reference(apps)
    load_repair_workflow(Workflow, State, Transition)
    load_default_templates(MessageTemplate, EventRule)
    visitor = UserFactory(username="visitor", first_name="نیما", last_name="صالحی", role=Role.VISITOR,
                          centers=[center_a])
    agent = UserFactory(username="agent", first_name="مینا", last_name="رضایی", role=Role.CALL_CENTER_AGENT)
    PhoneExtension.objects.create(user=agent, extension="201")

    party_create(customer=owner, party_type=PartyType.objects.get(code="dealer"), center=center_a,
                 acting_user=visitor, marketer=visitor)
    now = timezone.now()
    contact_record(customer=owner, kind="visit", notes="از ویترین جدید خوشش آمد؛ کاتالوگ خواست", acting_user=visitor,
                   outcome="positive", occurred_at=now - datetime.timedelta(days=4))
    contact_record(customer=owner, kind="call_out", notes="قیمت یخچال ساید بای ساید را پرسید", acting_user=visitor,
                   outcome="neutral", occurred_at=now - datetime.timedelta(days=1))
    order = reception_create(center=center_a, acting_user=reception_a, customer=owner,
                             description="یخچال سرد نمی‌کند")
    ARTIFACTS.mkdir(exist_ok=True)

    page = login(browser, live_server, "agent", password)
    assert page.locator("script[src$='crm/calls.js']").count() == 1
    call_ringing(extension="201", phone="09121234567", call_id="1718000000.101")
    popup = page.locator("[data-testid=call-popup]")
    popup.wait_for(timeout=8000)  # the page polls every 3 s
    assert "سارا احمدی" in popup.locator("[data-testid=call-name]").inner_text()
    text = popup.inner_text()
    assert "قیمت یخچال" in text  # the last phone call, what was said
    assert order.state.name in text
    page.screenshot(path=str(ARTIFACTS / "crm-incoming-call.png"))

    popup.locator("[data-testid=call-open-panel]").click()
    page.wait_for_url(f"{live_server.url}/crm/panel/{owner.pk}/")
    panel = page.locator("[data-testid=crm-panel]")
    assert "سارا احمدی" in panel.locator("[data-testid=panel-name]").inner_text()
    assert panel.locator("[data-testid=panel-repair]").count() == 1
    assert panel.locator("[data-testid=panel-contact]").count() == 2
    assert "کاتالوگ" in panel.locator("[data-testid=panel-last-visit]").inner_text()
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.screenshot(path=str(ARTIFACTS / "crm-incoming-call-panel.png"), full_page=True)
    # The call popped up once: the panel's page does not show it again.
    page.wait_for_timeout(3500)
    assert page.locator("[data-testid=call-popup]").count() == 0
    page.context.close()
