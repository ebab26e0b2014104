"""Every report through one API and its pages: bad filters are a Persian 400, never a 500; roles and
centers decide what is seen; each format opens as its users expect."""

import io

import pytest
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db


@pytest.fixture
def orders(receive, reception_b, center_b):
    receive(serial="A-1")
    receive(serial="A-2")
    receive(serial="B-1", center=center_b, acting_user=reception_b)


def get(api_client, user, slug, **params):
    api_client.force_authenticate(user)
    return api_client.get(f"/api/reports/{slug}/", params)


@pytest.mark.parametrize(("params", "field", "message"), [
    ({"from": "1405/02/01", "to": "1405/01/01"}, "to", "پایان دوره پیش از شروع آن است."),
    ({"from": "1405/13/40"}, "from", "تاریخ را مانند ۱۴۰۵/۰۱/۲۰ بنویسید."),
    ({"from": "دیروز"}, "from", "تاریخ را مانند ۱۴۰۵/۰۱/۲۰ بنویسید."),
    ({"period": "forever"}, "period", "دورهٔ ناشناخته."),
    ({"group_by": "colour"}, "group_by", "این گزارش را نمی‌توان این‌گونه دسته‌بندی کرد."),
    ({"from": "1400/01/01", "to": "1405/12/29"}, "to", "بازهٔ گزارش حداکثر پنج سال است."),
    ({"warranty": "maybe"}, "warranty", "«بله»، «خیر» یا هیچ‌کدام را انتخاب کنید."),
    ({"center": "abc"}, "center", "یکی از فهرست را انتخاب کنید."),
    ({"from": "1404/01/01", "to": "1405/12/29", "group_by": "day"}, "group_by",
     "روزها برای نمایش تک‌تک زیادند: هفتگی یا ماهانه دسته‌بندی کنید."),
])
def test_bad_filters_are_a_400_naming_the_field_in_persian(api_client, head_office, params, field, message):
    response = get(api_client, head_office, "receptions-trend", **params)
    assert response.status_code == 400
    assert response.json()[field] == [message]


def test_an_unknown_report_and_a_report_the_role_does_not_open_are_not_found(api_client, head_office, technician_a):
    assert get(api_client, head_office, "no-such-report").status_code == 404
    assert get(api_client, technician_a, "center-performance").status_code == 403  # no report permission at all


def test_a_center_manager_never_sees_another_centers_receptions_in_any_format(api_client, orders, manager_a,
                                                                                center_b):
    data = get(api_client, manager_a, "receptions-trend", period="this_month").json()
    assert data["tables"][0]["total"]["receptions"] == 2
    assert get(api_client, manager_a, "receptions-trend", center=center_b.pk).status_code == 400
    sheet = load_workbook(io.BytesIO(get(api_client, manager_a, "center-performance", format="xlsx").content))
    centers = [row[1] for row in sheet.worksheets[0].iter_rows(min_row=2, values_only=True)]
    assert "مرکز خدمات اصفهان" not in centers and "مرکز خدمات تهران" in centers
    csv_text = get(api_client, manager_a, "center-performance", format="csv").content.decode("utf-8-sig")
    assert "اصفهان" not in csv_text and "تهران" in csv_text


def test_the_excel_file_is_right_to_left_with_persian_headers_numbers_and_jalali_conditions(api_client, orders,
                                                                                           head_office):
    response = get(api_client, head_office, "center-performance", format="xlsx", **{"from": "1405/09/01",
                                                                                     "to": "1405/09/30"})
    assert response["Content-Disposition"] == 'attachment; filename="center-performance-14050901-14050930.xlsx"'
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    assert sheet.sheet_view.rightToLeft
    header = [cell.value for cell in sheet[1]]
    assert header[:4] == ["رتبه", "مرکز خدمات", "پذیرش‌ها", "تحویل‌ها"]
    receptions = [row[2] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert all(isinstance(value, int) for value in receptions)
    conditions = {row[0]: row[1] for row in book.worksheets[-1].iter_rows(values_only=True) if len(row) > 1}
    assert conditions["از"] == "1405/09/01" and conditions["تا"] == "1405/09/30"


def test_the_pdf_is_a4_landscape_with_the_title_and_filters_on_top(api_client, orders, head_office):
    import pypdfium2

    response = get(api_client, head_office, "center-performance", format="pdf", **{"from": "1405/09/01",
                                                                                    "to": "1405/09/30"})
    assert response["Content-Type"] == "application/pdf"
    document = pypdfium2.PdfDocument(response.content)
    width, height = document[0].get_size()
    assert round(width / 72 * 25.4) == 297 and round(height / 72 * 25.4) == 210  # A4 landscape, in mm
    text = document[0].get_textpage().get_text_range()
    document.close()
    assert "1405/09/01" in text.replace("۱", "1").replace("۴", "4").replace("۰", "0").replace("۵", "5").replace(
        "۹", "9") or "۱۴۰۵/۰۹/۰۱" in text


def test_the_json_keeps_numbers_as_numbers_and_dates_jalali(api_client, orders, head_office):
    data = get(api_client, head_office, "receptions-trend", **{"from": "1405/09/01", "to": "1405/09/30"}).json()
    assert data["period"] == {"from": "1405/09/01", "to": "1405/09/30", "from_iso": "2026-11-22", "to_iso": "2026-12-21"}
    assert data["tables"][0]["total"]["receptions"] == 3
    assert data["chart"]["labels"] == ["آذر ۱۴۰۵"]


def test_the_report_page_shows_the_table_and_a_chart_whose_bars_open_their_orders(client, orders, head_office):
    client.force_login(head_office)
    page = client.get("/reports/receptions-trend/", {"period": "this_month"})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="report-table-periods"' in html and 'id="report-chart-data"' in html
    link = page.context["chart_data"]["links"][0]
    drilled = client.get(link)
    assert drilled.status_code == 200 and drilled.context["total"] == 3
    export = client.get(link + "&format=xlsx")
    rows = list(load_workbook(io.BytesIO(export.content)).worksheets[0].iter_rows(min_row=2, values_only=True))
    assert sorted(row[7] for row in rows) == ["A1", "A2", "B1"]  # serials as matched (their key form)


def test_the_page_shows_bad_filters_as_a_message_not_an_error_page(client, head_office, center_b, manager_a):
    client.force_login(manager_a)
    page = client.get("/reports/center-performance/", {"center": center_b.pk})
    assert page.status_code == 400 and "این مرکز از مراکز شما نیست." in page.content.decode()
    assert client.get("/reports/center-performance/export.docx").status_code == 404


def test_the_list_groups_the_reports_the_role_may_open(client, head_office, manager_a):
    client.force_login(manager_a)
    slugs = [report.slug for reports in client.get("/reports/").context["subjects"].values() for report in reports]
    assert "center-performance" in slugs and "receptions-trend" in slugs


def test_a_shared_saved_filter_is_offered_to_others_and_still_scoped_for_each(client, orders, head_office, manager_a,
                                                                              center_a):
    from aftersales.reports.models import SavedFilter

    client.force_login(head_office)
    client.post("/reports/receptions-trend/filters/", {"name": "تهران امسال", "is_shared": "on",
                                                       "period": "this_year", "center": center_a.pk})
    saved = SavedFilter.objects.get()
    assert saved.params == {"period": "this_year", "center": str(center_a.pk)} and saved.is_shared
    client.force_login(manager_a)
    page = client.get("/reports/receptions-trend/", {"saved": saved.pk})
    assert page.status_code == 200 and page.context["result"].tables[0].total["receptions"] == 2
    assert saved.history.count() == 1  # audited


def test_an_unknown_format_is_refused(api_client, head_office):
    response = get(api_client, head_office, "receptions-trend", format="docx")
    assert response.status_code == 400 and "format" in response.json()


def test_saving_this_month_from_the_page_keeps_the_preset_not_todays_dates(client, head_office):
    from aftersales.reports.models import SavedFilter

    client.force_login(head_office)
    page = client.get("/reports/receptions-trend/", {"period": "this_month"})
    hidden = page.context["filters"].params()
    assert hidden == {"period": "this_month", "group_by": "month"}
    client.post("/reports/receptions-trend/filters/", {"name": "ماه جاری", **hidden})
    assert SavedFilter.objects.get().params == {"period": "this_month", "group_by": "month"}
