"""A marketer's day on a phone (issue 16): find a lead, log a visit with a script's answers that moves its
stage, book the next appointment, file the daily report — and their manager reads it and comments."""

import datetime
from pathlib import Path

import jdatetime
import pytest
from django.utils import timezone

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


def _sign_in(browser, url, user, password, **context):
    session = browser.new_context(locale="fa-IR", **context)
    page = session.new_page()
    page.goto(f"{url}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{url}/")
    return session, page


def test_a_marketers_day_from_finding_a_lead_to_the_managers_comment(live_server, browser, password, center_a):
    from aftersales.crm.models import Appointment, DailyReport, Party, PartyType, Script, ScriptQuestion
    from aftersales.crm.services import lead_create
    from aftersales.organization.roles import Role
    from tests.factories import UserFactory

    visitor = UserFactory(username="visitor_day", first_name="مریم", last_name="احمدی", role=Role.VISITOR,
                          centers=[center_a])
    manager = UserFactory(username="marketing_day", first_name="رضا", last_name="کاظمی",
                          role=Role.MARKETING_MANAGER, centers=[center_a])
    lead = lead_create(acting_user=manager, kind="legal", company_name="فروشگاه لوازم خانگی کيان",
                       mobile="09123334455", party_type=PartyType.objects.get(code="dealer"), center=center_a,
                       marketer=visitor, rating="hot")
    script = Script.objects.create(title="نیازسنجی نماینده", topic="اولین تماس", stage=lead.state)
    ScriptQuestion.objects.create(script=script, text="به پیش‌فاکتور نیاز دارید؟", kind="yes_no",
                                  moves={"بله": "analyse"}, order=0)
    ScriptQuestion.objects.create(script=script, text="چند شعبه دارید؟", kind="number", order=1)
    ARTIFACTS.mkdir(exist_ok=True)
    phone, page = _sign_in(browser, live_server.url, visitor, password, viewport={"width": 360, "height": 740},
                           is_mobile=True, has_touch=True)

    # Find the lead: typed with the Persian ی/ک the lead was saved with in Arabic form.
    page.goto(f"{live_server.url}/crm/parties/")
    page.fill("#id_q", "کیان")
    page.locator(f"[data-testid=party-row][data-party='{lead.pk}'] a").first.click()
    page.locator("[data-testid=party-name]").wait_for()
    assert page.locator("[data-testid=party-state]").text_content().strip() == "اولین تماس"
    page.screenshot(path=str(ARTIFACTS / "crm-day-1-party.png"), full_page=True)

    # Log the visit with the script's answers; the «yes» moves the stage.
    page.click("[data-testid=party-log-contact]")
    page.locator("[data-testid=contact-form]").wait_for()
    page.click("label[for=id_kind_2]")  # in person
    page.click("label[for=id_outcome_0]")  # positive
    page.fill("#id_notes", "بازدید از فروشگاه؛ برای فصل تابستان ۲۰ یخچال می‌خواهند")
    page.select_option("[data-testid=script-select]", str(script.pk))
    page.locator("[data-testid=script-questions] label", has_text="بله").click()
    page.locator("[data-testid=script-questions] input[type=text]").fill("۳")
    page.fill("#id_next_step", "ارسال پیش‌فاکتور")
    page.click("[data-testid=contact-submit]")
    page.locator("[data-testid=contact-done]").wait_for()
    assert page.locator("[data-testid=done-stage]").text_content().strip().endswith("بررسی نیاز")
    assert Party.objects.get(pk=lead.pk).state.code == "needs_analysis"

    # Book the next appointment, three days on, in the Jalali calendar.
    page.click("[data-testid=book-next]")
    page.locator("[data-testid=appointment-form]").wait_for()
    day = jdatetime.date.fromgregorian(date=timezone.localdate() + datetime.timedelta(days=3))
    page.fill("#id_date", day.strftime("%Y/%m/%d"))
    page.wait_for_timeout(400)
    page.keyboard.press("Escape")  # the date is typed: the picker's calendar closes
    page.locator("jdp-container").wait_for(state="hidden")
    page.fill("#id_time", "10:30")
    page.fill("#id_notes", "تحویل پیش‌فاکتور")
    page.screenshot(path=str(ARTIFACTS / "crm-day-2-appointment.png"), full_page=True)
    page.locator("[data-testid=appointment-form] button[type=submit]").click()
    page.wait_for_load_state()
    appointment = Appointment.objects.get(party=lead)
    assert timezone.localtime(appointment.at).strftime("%H:%M") == "10:30"
    assert timezone.localtime(appointment.at).date() == timezone.localdate() + datetime.timedelta(days=3)
    assert appointment.marketer == visitor

    # The day: the visit with its answers and the stage move; file the report.
    page.goto(f"{live_server.url}/crm/day/")
    contact = page.locator("[data-testid=day-contact]")
    assert "کیان" in contact.text_content() and "بله" in contact.text_content()
    assert page.locator("[data-testid=day-move]").count() == 1
    page.fill("textarea[name=note]", "یک بازدید موفق؛ فردا تماس با دو فروشگاه دیگر")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=str(ARTIFACTS / "crm-day-3-my-day.png"), full_page=True)
    page.click("[data-testid=file-report]")
    page.locator("[data-testid=report-filed]").wait_for()
    report = DailyReport.objects.get(user=visitor)

    # The manager reads the day and comments; the marketer sees the comment.
    office, desk = _sign_in(browser, live_server.url, manager, password, viewport={"width": 1366, "height": 900})
    desk.goto(f"{live_server.url}/crm/reports/")
    desk.locator("[data-testid=report-row] a", has_text="احمدی").click()
    desk.locator("[data-testid=report-detail]").wait_for()
    assert "یک بازدید موفق" in desk.locator("[data-testid=report-note]").text_content()
    assert "کیان" in desk.locator("[data-testid=day-contact]").text_content()
    desk.fill("textarea[name=comment]", "عالی؛ پیش‌فاکتور را تا فردا بفرستید")
    desk.click("[data-testid=save-comment]")
    desk.wait_for_load_state()
    desk.screenshot(path=str(ARTIFACTS / "crm-day-4-manager.png"), full_page=True)
    report.refresh_from_db()
    assert report.commented_by == manager
    page.goto(f"{live_server.url}/crm/day/")
    assert "پیش‌فاکتور را تا فردا" in page.locator("[data-testid=manager-comment]").text_content()
    page.screenshot(path=str(ARTIFACTS / "crm-day-5-comment-seen.png"), full_page=True)
    office.close()
    phone.close()
