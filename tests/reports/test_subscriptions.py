"""Reports by e-mail (F23): sent now or on a schedule, through the outbox and a real SMTP conversation,
with the PDF and the Excel attached, always built as the person they are for."""

import datetime
import io

import pytest
from openpyxl import load_workbook

from aftersales.messaging import dispatch
from aftersales.reports.models import Subscription
from aftersales.reports.services import report_send, subscription_create, subscriptions_send_due

pytestmark = pytest.mark.django_db
SATURDAY = datetime.date(2026, 11, 28)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def orders(receive, reception_b, center_b):
    receive(serial="A-1")
    receive(serial="B-1", center=center_b, acting_user=reception_b)


def attachments(mail):
    return {part.get_filename(): part.get_content() for part in mail.iter_attachments()}


def test_a_weekly_subscription_arrives_on_saturday_with_pdf_and_excel_of_the_subscribers_centers_only(
        smtp, orders, manager_a, today_is):
    subscription_create(report="center-performance", email="manager@example.ir", frequency="weekly",
                        params={"period": "this_month"}, acting_user=manager_a)
    assert subscriptions_send_due(SATURDAY - datetime.timedelta(days=1)) == 0  # Friday: not a weekly day
    assert subscriptions_send_due(SATURDAY) == 1
    assert subscriptions_send_due(SATURDAY) == 0  # once a day, however often the worker looks
    dispatch.dispatch_due()
    [(_recipients, mail)] = smtp.mails
    assert mail["To"] == "manager@example.ir" and "گزارش: عملکرد مراکز" in mail["Subject"]
    html = mail.get_body(("html",)).get_content()
    assert 'dir="rtl"' in html and "مرکز خدمات تهران" in html and "اصفهان" not in html
    files = attachments(mail)
    assert sorted(name.rsplit(".", 1)[1] for name in files) == ["pdf", "xlsx"]
    pdf = next(content for name, content in files.items() if name.endswith(".pdf"))
    assert pdf.startswith(b"%PDF")
    book = load_workbook(io.BytesIO(next(content for name, content in files.items() if name.endswith(".xlsx"))))
    centers = [row[1] for row in book.worksheets[0].iter_rows(min_row=2, values_only=True)]
    assert "مرکز خدمات تهران" in centers and "مرکز خدمات اصفهان" not in centers


def test_monthly_goes_on_the_first_of_the_jalali_month_and_daily_every_day(smtp, manager_a):
    monthly = subscription_create(report="receptions-trend", email="a@example.ir", frequency="monthly",
                                  acting_user=manager_a)
    daily = subscription_create(report="receptions-trend", email="b@example.ir", frequency="daily",
                                acting_user=manager_a)
    subscriptions_send_due(datetime.date(2026, 11, 21))  # 30 Aban 1405
    monthly.refresh_from_db(), daily.refresh_from_db()
    assert monthly.last_sent_on is None and daily.last_sent_on == datetime.date(2026, 11, 21)
    subscriptions_send_due(datetime.date(2026, 11, 22))  # 1 Azar 1405
    monthly.refresh_from_db()
    assert monthly.last_sent_on == datetime.date(2026, 11, 22)


def test_a_subscription_whose_owner_lost_the_center_stops_instead_of_mailing_wider(smtp, manager_a, center_a):
    subscription = subscription_create(report="receptions-trend", email="a@example.ir", frequency="daily",
                                       params={"center": center_a.pk}, acting_user=manager_a)
    manager_a.centers.clear()
    assert subscriptions_send_due(SATURDAY) == 0
    subscription.refresh_from_db()
    assert not subscription.is_active
    dispatch.dispatch_due()
    assert smtp.mails == []


def test_send_now_from_the_page_queues_the_report_as_shown(smtp, client, orders, head_office):
    client.force_login(head_office)
    response = client.post("/reports/receptions-trend/email/", {"email": "boss@example.ir", "period": "this_month",
                                                                 "query": "period=this_month"})
    assert response.status_code == 302
    dispatch.dispatch_due()
    [(_recipients, mail)] = smtp.mails
    assert len(attachments(mail)) == 2 and "روند پذیرش‌ها" in mail["Subject"]


def test_bad_subscriptions_are_refused_with_a_reason(manager_a, center_b):
    from django.core.exceptions import PermissionDenied, ValidationError

    with pytest.raises(ValidationError) as error:
        subscription_create(report="receptions-trend", email="not-an-address", frequency="daily", acting_user=manager_a)
    assert "email" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        subscription_create(report="receptions-trend", email="a@example.ir", frequency="daily",
                            params={"center": center_b.pk}, acting_user=manager_a)
    assert error.value.message_dict == {"center": ["این مرکز از مراکز شما نیست."]}
    with pytest.raises(PermissionDenied):
        report_send(report="no-such-report", params={}, email="a@example.ir", acting_user=manager_a)
    assert Subscription.objects.count() == 0
