import pytest
from django.utils import timezone, translation

from aftersales.core import jalali

pytestmark = pytest.mark.django_db


def test_anonymous_user_is_sent_to_login(client):
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_dashboard_is_persian_rtl_with_todays_jalali_date_even_for_an_english_browser(client, reception_a):
    client.force_login(reception_a)
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    body = response.content.decode()
    assert '<html lang="fa" dir="rtl">' in body
    with translation.override("fa"):
        assert jalali.format_long(timezone.localdate()) in body
    assert "bootstrap.rtl.min.css" in body


def test_language_switch_to_english_and_back(client, reception_a):
    client.force_login(reception_a)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    body = client.get("/").content.decode()
    assert '<html lang="en" dir="ltr">' in body and "Dashboard" in body
    client.post("/i18n/setlang/", {"language": "fa", "next": "/"})
    assert '<html lang="fa" dir="rtl">' in client.get("/").content.decode()


def test_dashboard_shows_the_users_role_and_center(client, reception_a, center_a):
    client.force_login(reception_a)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    body = client.get("/").content.decode()
    assert "Receptionist" in body and center_a.name in body


def test_center_edit_with_invalid_postal_code_saves_nothing_and_explains(client, manager_a, center_a):
    client.force_login(manager_a)
    data = {"name": "نام تازه", "province": "تهران", "city": "تهران", "postal_code": "12345", "phone": "02188776655", "is_active": "on"}
    response = client.post(f"/centers/{center_a.pk}/edit/", data)
    assert response.status_code == 200
    assert 'data-testid="error-postal_code"' in response.content.decode()
    center_a.refresh_from_db()
    assert center_a.name == "مرکز خدمات تهران"


def test_center_edit_is_audited_with_who_and_reason(client, manager_a, center_a):
    client.force_login(manager_a)
    data = {"name": "مركز خدمات تهران مركزي", "province": "تهران", "city": "تهران", "postal_code": "۱۳۴۵۶۷۸۹۰۱",
            "phone": "021-8877-6655", "is_active": "on", "reason": "تغییر نام"}
    response = client.post(f"/centers/{center_a.pk}/edit/", data)
    assert response.status_code == 302
    center_a.refresh_from_db()
    assert center_a.name == "مرکز خدمات تهران مرکزی"  # Arabic kaf/yeh stored as Persian
    assert center_a.postal_code == "1345678901" and center_a.phone == "02188776655"
    last = center_a.history.latest()
    assert last.history_user == manager_a and last.history_change_reason == "تغییر نام"
    page = client.get(f"/centers/{center_a.pk}/").content.decode()
    assert "تغییر نام" in page and 'data-testid="audit-trail"' in page


def test_receptionist_may_not_edit_a_center(client, reception_a, center_a):
    client.force_login(reception_a)
    response = client.get(f"/centers/{center_a.pk}/edit/")
    assert response.status_code == 403
    assert '<html lang="fa" dir="rtl">' in response.content.decode()


def test_search_matches_arabic_letters_and_persian_digits(client, head_office, center_a, center_b):
    client.force_login(head_office)
    body = client.get("/centers/", {"q": "اصفهان"}).content.decode()
    assert center_b.name in body and center_a.name not in body
    body = client.get("/centers/", {"q": "مركز خدمات تهران"}).content.decode()  # Arabic kaf
    assert center_a.name in body
    body = client.get("/centers/", {"q": "۰۳۱۳۲۲۲"}).content.decode()  # phone typed in Persian digits
    assert center_b.name in body and center_a.name not in body


def test_htmx_search_returns_only_the_table(client, head_office, center_a):
    client.force_login(head_office)
    response = client.get("/centers/", {"q": "تهران"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<html" not in body and center_a.name in body


def test_profile_rejects_invalid_national_code_with_persian_message(client, reception_a):
    client.force_login(reception_a)
    response = client.post("/profile/", {"first_name": "سارا", "last_name": "کریمی", "mobile": "09121234567", "national_code": "1234567890"})
    assert response.status_code == 200
    assert 'data-testid="error-national_code"' in response.content.decode()
    reception_a.refresh_from_db()
    assert reception_a.national_code == ""


def test_profile_stores_mobile_in_one_canonical_form(client, reception_a):
    client.force_login(reception_a)
    response = client.post("/profile/", {"first_name": "سارا", "last_name": "کریمی", "mobile": "+98 912 123 4567", "national_code": "۰۴۹۹۳۷۰۸۹۹"})
    assert response.status_code == 302
    reception_a.refresh_from_db()
    assert (reception_a.mobile, reception_a.national_code) == ("09121234567", "0499370899")


def test_unknown_url_is_a_persian_404_page(client, reception_a):
    client.force_login(reception_a)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert '<html lang="fa" dir="rtl">' in response.content.decode()


def test_export_has_jalali_dates_and_right_to_left_sheet(client, head_office, center_a):
    import io

    from openpyxl import load_workbook

    client.force_login(head_office)
    response = client.get("/centers/export.xlsx")
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.active
    assert sheet.sheet_view.rightToLeft
    created = [row for row in sheet.iter_rows(min_row=2, values_only=True)][0][-1]
    with translation.override("en"):
        assert created == jalali.format_datetime(center_a.created_at)
