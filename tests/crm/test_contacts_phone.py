"""A visitor logs a visit on a phone (360 px): finds the lead, answers a script's questions, moves the stage."""

from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(autouse=True)
def _reference(transactional_db):
    """A transactional test before this one emptied the tables the migrations had filled."""
    from django.apps import apps

    from aftersales.crm.reference import load_marketing_reference
    from aftersales.organization.roles import sync_roles

    sync_roles()
    load_marketing_reference(apps)


def test_a_visitor_logs_a_visit_with_answers_on_a_phone(live_server, browser, password, visitor_a, lead):
    from aftersales.crm.models import Answer, Party, Script, ScriptQuestion
    from aftersales.marketing.models import Contact

    script = Script.objects.create(title="نیازسنجی نماینده", topic="اولین تماس", stage=lead.state)
    ScriptQuestion.objects.create(script=script, text="به پیش‌فاکتور نیاز دارید؟", kind="yes_no",
                                  moves={"بله": "analyse"}, order=0)
    ScriptQuestion.objects.create(script=script, text="چند شعبه دارید؟", kind="number", order=1)
    ARTIFACTS.mkdir(exist_ok=True)
    phone = browser.new_context(viewport={"width": 360, "height": 740}, locale="fa-IR", is_mobile=True, has_touch=True)
    page = phone.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", visitor_a.username)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")

    page.goto(f"{live_server.url}/crm/log/")
    page.fill("[data-testid=party-search]", "۰۹۱۲۱۲۳")  # Persian digits, part of the mobile
    page.locator(f"[data-testid=party-choice][data-party='{lead.pk}']").click()
    page.locator("[data-testid=contact-form]").wait_for()
    page.click("label[for=id_kind_2]")  # in person
    page.click("label[for=id_outcome_0]")  # positive
    page.fill("#id_notes", "بازدید از فروشگاه؛ علاقه‌مند به یخچال‌های بزرگ")
    page.select_option("[data-testid=script-select]", str(script.pk))
    yes = page.locator("[data-testid=script-questions] label", has_text="بله")
    yes.wait_for()
    yes.click()
    page.locator("[data-testid=script-questions] input[type=text]").fill("۳")
    page.click("#adhoc-add")
    page.locator("[data-testid=adhoc-row]").nth(1).wait_for()
    page.fill("[name=adhoc_q_1]", "زمان تحویل؟")
    page.fill("[name=adhoc_a_1]", "دو هفته")
    page.fill("#id_next_step", "ارسال کاتالوگ")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # nothing to scroll sideways
    submit = page.locator("[data-testid=contact-submit]")
    assert submit.bounding_box()["height"] >= 44  # a touch target
    page.screenshot(path=str(ARTIFACTS / "crm-contact-log-phone.png"), full_page=True)
    submit.click()
    page.locator("[data-testid=contact-done]").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=str(ARTIFACTS / "crm-contact-logged-phone.png"), full_page=True)
    contact = Contact.objects.get()
    assert [(a.question_text, a.answer) for a in Answer.objects.filter(contact=contact).order_by("pk")] == [
        ("به پیش‌فاکتور نیاز دارید؟", "بله"), ("چند شعبه دارید؟", "3"), ("زمان تحویل؟", "دو هفته")]
    assert Party.objects.get(pk=lead.pk).state.code == "needs_analysis"
    assert page.locator("[data-testid=done-stage]").text_content().strip().endswith("بررسی نیاز")
    phone.close()
