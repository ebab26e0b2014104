"""A customer answers the satisfaction survey from the texted link on a phone."""

from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def test_customer_fills_the_survey_on_a_phone(live_server, browser, center_a):
    from aftersales.feedback.models import Survey
    from aftersales.feedback.services import survey_invite
    from aftersales.messaging.backends.sms import MemorySmsBackend
    from aftersales.messaging.models import EventRule, MessageTemplate
    from aftersales.messaging.reference import load_default_templates

    load_default_templates(MessageTemplate, EventRule)  # a transactional test before this one emptied the tables
    survey = survey_invite(mobile="09121234567", center=center_a, customer_name="سارا احمدی")
    sms = next(message for message in MemorySmsBackend.outbox if message.to == "09121234567")
    link = sms.body.split()[-1]
    assert link.endswith(f"/s/{survey.token}")
    ARTIFACTS.mkdir(exist_ok=True)

    phone = browser.new_context(viewport={"width": 360, "height": 740}, locale="fa-IR", is_mobile=True, has_touch=True)
    page = phone.new_page()
    page.goto(f"{live_server.url}/s/{survey.token}")
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.click("label[for=score-4]")
    page.click("label[for=recommend-9]")
    page.fill("#id_comment", "تکنسین به‌موقع آمد و با حوصله توضیح داد.")
    # Every answer button fits the phone's width: nothing to scroll sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    # The 0–10 scale stays one row (wrapped, it read as two questions).
    rows = page.eval_on_selector_all(".survey-scale-11 label", "labels => labels.map(l => Math.round(l.getBoundingClientRect().top))")
    assert len(rows) == 11 and len(set(rows)) == 1
    page.screenshot(path=str(ARTIFACTS / "survey-phone.png"), full_page=True)
    page.click("[data-testid=survey-form] button[type=submit]")
    page.locator("[data-testid=survey-done]").wait_for()
    page.screenshot(path=str(ARTIFACTS / "survey-phone-done.png"), full_page=True)
    survey = Survey.objects.get(pk=survey.pk)
    assert (survey.score, survey.recommend) == (4, 9) and "به‌موقع" in survey.comment
    page.goto(f"{live_server.url}/s/{survey.token}")
    assert page.locator("[data-testid=survey-done]").is_visible()  # one answer per link
    phone.close()
