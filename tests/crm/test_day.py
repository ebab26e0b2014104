"""The marketer's day, the daily reports their manager reads and comments, and the cartable's reminders (F56)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from aftersales.core import jalali
from aftersales.crm import services
from aftersales.crm.models import DailyReport, Script, ScriptQuestion

pytestmark = pytest.mark.django_db


def _j(day: datetime.date) -> str:
    return jalali.format_date(day, latin_digits=True)


@pytest.fixture
def visit_logged(lead, visitor_a):
    """A visit logged today with two answers, one of which moved the lead to needs analysis."""
    script = Script.objects.create(title="نیازسنجی نماینده", topic="اولین تماس")
    asked = ScriptQuestion.objects.create(script=script, text="به پیش‌فاکتور نیاز دارید؟", kind="yes_no",
                                          moves={"بله": "analyse"})
    return services.contact_record(customer=lead.customer, kind="visit", notes="بازدید از فروشگاه", outcome="positive",
                                   answers=[(asked, "بله"), ("تعداد شعب؟", "سه شعبه")], acting_user=visitor_a)


def _section(page: str, testid: str) -> str:
    start = page.index(f'data-testid="{testid}"')
    return page[start:page.index("</section>", start)]


def test_the_day_lists_a_contact_logged_today_with_its_answers_and_the_stage_move(login, visit_logged, visitor_a):
    response = login(visitor_a).get("/crm/day/")
    assert response.status_code == 200
    page = response.content.decode()
    contacts = _section(page, "day-contacts")
    assert "فروشگاه لوازم خانگی نور" in contacts and "بازدید از فروشگاه" in contacts
    assert "به پیش‌فاکتور نیاز دارید؟" in contacts and "بله" in contacts
    assert "تعداد شعب؟" in contacts and "سه شعبه" in contacts
    moves = _section(page, "day-moves")
    assert "اولین تماس" in moves and "بررسی نیاز" in moves and "فروشگاه لوازم خانگی نور" in moves
    assert 'data-count="visits">۱<' in page and 'data-count="answers">۲<' in page and 'data-count="moves">۱<' in page


def test_a_past_day_is_looked_back_at_and_today_shows_nothing_of_it(login, lead, visitor_a):
    yesterday = timezone.now() - datetime.timedelta(days=1)
    services.contact_record(customer=lead.customer, kind="call_out", notes="تماس دیروز", occurred_at=yesterday,
                            acting_user=visitor_a)
    client = login(visitor_a)
    assert "تماس دیروز" not in client.get("/crm/day/").content.decode()
    page = client.get("/crm/day/", {"day": _j(timezone.localdate(yesterday))}).content.decode()
    assert "تماس دیروز" in _section(page, "day-contacts")
    assert 'data-count="calls">۱<' in page


def test_another_marketers_contacts_are_not_on_my_day(login, lead, visitor_a, center_a):
    from tests.factories import UserFactory

    from aftersales.organization.roles import Role

    colleague = UserFactory(username="visitor_a2", role=Role.VISITOR, centers=[center_a])
    services.contact_record(customer=lead.customer, kind="visit", notes="بازدید همکار", acting_user=colleague)
    assert "بازدید همکار" not in login(visitor_a).get("/crm/day/").content.decode()


def test_the_manager_reads_the_report_and_comments_and_the_marketer_sees_the_comment(
        client, visit_logged, visitor_a, manager_a):
    today = timezone.localdate()
    client.force_login(visitor_a)
    response = client.post("/crm/day/report/", {"day": _j(today), "note": "روز پرکاری بود"})
    assert response.status_code == 302
    report = DailyReport.objects.get(user=visitor_a, day=today)

    client.force_login(manager_a)
    listing = client.get("/crm/reports/").content.decode()
    assert reverse("crm:report-detail", args=[report.pk]) in listing and "روز پرکاری بود" in listing
    page = client.get(f"/crm/reports/{report.pk}/").content.decode()
    assert "روز پرکاری بود" in page
    assert "به پیش‌فاکتور نیاز دارید؟" in _section(page, "day-contacts")  # the same day, read live from the log
    assert "بررسی نیاز" in _section(page, "day-moves")
    response = client.post(f"/crm/reports/{report.pk}/comment/", {"comment": "پیش‌فاکتور را تا فردا بفرستید"})
    assert response.status_code == 302

    client.force_login(visitor_a)
    page = client.get("/crm/day/").content.decode()
    assert "پیش‌فاکتور را تا فردا بفرستید" in page[page.index('data-testid="manager-comment"'):]


def test_an_empty_comment_is_refused_in_persian(client, visitor_a, manager_a):
    report = services.daily_report_file(user=visitor_a, day=timezone.localdate(), acting_user=visitor_a)
    client.force_login(manager_a)
    response = client.post(f"/crm/reports/{report.pk}/comment/", {"comment": "  "})
    assert response.status_code == 400
    assert 'data-testid="error-comment"' in response.content.decode()
    report.refresh_from_db()
    assert report.manager_comment == ""


def test_a_center_b_manager_cannot_open_or_comment_on_a_center_a_report(client, visitor_a, manager_b):
    report = services.daily_report_file(user=visitor_a, day=timezone.localdate(), note="گزارش", acting_user=visitor_a)
    client.force_login(manager_b)
    assert reverse("crm:report-detail", args=[report.pk]) not in client.get("/crm/reports/").content.decode()
    assert client.get(f"/crm/reports/{report.pk}/").status_code == 404
    assert client.post(f"/crm/reports/{report.pk}/comment/", {"comment": "x"}).status_code == 404
    report.refresh_from_db()
    assert report.manager_comment == ""


def test_a_marketer_cannot_read_the_team_reports(login, visitor_a):
    assert login(visitor_a).get("/crm/reports/").status_code == 403


def test_a_day_still_to_come_shows_today(login, visitor_a):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = login(visitor_a).get("/crm/day/", {"day": _j(tomorrow)})
    assert response.status_code == 200 and 'rel="next"' not in response.content.decode()


def test_the_cartable_lists_a_next_step_due_today(login, lead, visitor_a):
    services.contact_record(customer=lead.customer, kind="call_out", notes="قرار شد امروز کاتالوگ برود",
                            next_step="ارسال کاتالوگ", next_step_date=timezone.localdate(), acting_user=visitor_a)
    page = login(visitor_a).get(reverse("organization:dashboard")).content.decode()
    panel = _section(page, "panel-crm-due")
    assert "فروشگاه لوازم خانگی نور" in panel and "ارسال کاتالوگ" in panel
    assert "/crm/day/" in panel


def test_the_cartable_lists_todays_appointment_and_hides_when_nothing_is_due(login, lead, visitor_a, reception_a):
    assert 'data-testid="panel-crm-due"' not in login(visitor_a).get(reverse("organization:dashboard")).content.decode()
    at = timezone.now() + datetime.timedelta(minutes=10)
    if timezone.localdate(at) == timezone.localdate():
        services.appointment_book(party=lead, at=at, acting_user=visitor_a)
        page = login(visitor_a).get(reverse("organization:dashboard")).content.decode()
        assert "فروشگاه لوازم خانگی نور" in _section(page, "panel-crm-due")
    assert 'data-testid="panel-crm-due"' not in login(reception_a).get(reverse("organization:dashboard")
                                                                         ).content.decode()
