"""Head office reads the management reports in Debian's headless Chromium (issue 15): the center
performance chart drills to the orders behind a bar and exports them, the report downloads as Excel
and PDF, and the dashboard shows the reports' panel. Screenshots and the PDF's first page go to
test-artifacts/reports-*.png.

The data: six orders over the two Jalali months before this one, made through the services with the
clock stood at each step's moment —
  center A (Tehran): received on the 5th of the first month (handed back two days later), on the
                     20th of the first month (still open) and on the 10th of the second month (handed
                     back two days later) → 3 receptions, 2 hand-backs;
  center B (Isfahan): received on the 15th of the first month (handed back three days later), on the
                     3rd and the 25th of the second month (open) → 3 receptions, 1 hand-back.
A ranks first (more hand-backs), so the chart's first bar of receptions is A's: 3 orders behind it.
"""

import datetime
import io
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def _at(day: datetime.date, hour: int):
    import time_machine
    from django.utils import timezone

    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))
    return time_machine.travel(moment, tick=False)


@pytest.fixture
def two_months(center_a, center_b, owner, fridge_model):
    """The six orders above; returns the range's Jalali bounds and center A's order numbers."""
    from django.utils import timezone

    from aftersales.catalog.models import ServiceItem
    from aftersales.core import jalali
    from aftersales.messaging.models import EventRule, MessageTemplate
    from aftersales.messaging.reference import load_default_templates
    from aftersales.organization.roles import Role, sync_roles
    from aftersales.reports.periods import add_months
    from aftersales.repairs.models import RepairOrder
    from aftersales.repairs.reference import load_repair_workflow
    from aftersales.repairs.services import operation_add, order_hand_back, order_transition, reception_create
    from aftersales.workflow.models import State, Transition, Workflow
    from tests.factories import UserFactory

    load_repair_workflow(Workflow, State, Transition)
    load_default_templates(MessageTemplate, EventRule)
    sync_roles()  # transactional tests flush the roles created by migrate
    UserFactory(username="chief", first_name="نرگس", last_name="صالحی", role=Role.HEAD_OFFICE_MANAGER, is_staff=True)
    staff = {}
    for center, suffix in ((center_a, "a"), (center_b, "b")):
        staff[center.pk] = {
            "desk": UserFactory(username=f"desk_{suffix}", role=Role.RECEPTIONIST, centers=[center]),
            "bench": UserFactory(username=f"bench_{suffix}", role=Role.TECHNICIAN, centers=[center]),
            "boss": UserFactory(username=f"boss_{suffix}", role=Role.CENTER_MANAGER, centers=[center]),
        }
    service = ServiceItem.objects.create(code="GAS", title="شارژ گاز", labour_price=2_500_000,
                                         product_group=fridge_model.group)
    first = add_months(timezone.localdate(), -2)
    second = add_months(first, 1)

    def order(center, received: datetime.date, handed_back_after: int | None):
        people = staff[center.pk]
        with _at(received, 10):
            made = reception_create(center=center, customer=owner, acting_user=people["desk"],
                                    serial=f"SN-{center.code}-{received:%m%d}", product_model=fridge_model,
                                    description="یخچال سرد نمی‌کند")
        if handed_back_after is None:
            return made
        with _at(received, 12):
            for code in ("start_diagnosis", "start_repair"):
                made = order_transition(order=made, code=code, acting_user=people["bench"])
            operation_add(order=made, acting_user=people["bench"], service_item=service, minutes=45)
            made = order_transition(order=made, code="to_quality_check", acting_user=people["bench"])
            made = order_transition(order=made, code="quality_passed", acting_user=people["boss"])
        with _at(received + datetime.timedelta(days=handed_back_after), 11):
            order_hand_back(order=RepairOrder.objects.get(pk=made.pk), handed_back_to="سارا احمدی، کارت ملی",
                            acting_user=people["desk"])
        return made

    days = datetime.timedelta
    a_orders = [order(center_a, first + days(4), 2), order(center_a, first + days(19), None),
                order(center_a, second + days(9), 2)]
    order(center_b, first + days(14), 3)
    order(center_b, second + days(2), None)
    order(center_b, second + days(24), None)
    last = add_months(second, 1) - days(1)
    return {"from": jalali.format_date(first, latin_digits=True), "to": jalali.format_date(last, latin_digits=True),
            "a_numbers": sorted(o.number for o in a_orders), "center_a": center_a}


def _sign_in(browser, live_server, password, **context):
    page = browser.new_context(locale="fa-IR", accept_downloads=True, **context).new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "chief")
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    return page


def _shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"reports-{name}.png"), full_page=True)


def _open_center_performance(page, live_server, two_months):
    page.goto(f"{live_server.url}/reports/")
    page.click("a[href='/reports/center-performance/']")
    page.wait_for_selector("[data-testid=report-filters]")
    page.fill("#id_from", two_months["from"])
    page.fill("#id_to", two_months["to"])
    page.press("#id_to", "Enter")  # the date picker open under the field covers «Show» on a phone
    page.wait_for_selector("[data-testid=report-chart]")
    page.wait_for_function("document.querySelector('[data-testid=report-chart]').chart !== undefined")


def test_head_office_clicks_a_bar_of_center_performance_and_gets_its_orders_in_excel(
        live_server, browser, password, two_months):
    from openpyxl import load_workbook

    from aftersales.core.persian import to_ascii_digits

    page = _sign_in(browser, live_server, password)
    _open_center_performance(page, live_server, two_months)
    assert page.get_attribute("html", "dir") == "rtl"
    _shot(page, "center-performance")
    # The chart is drawn: two centers, A's receptions (3) first.
    drawn = page.evaluate("""() => {
        const chart = document.querySelector('[data-testid=report-chart]').chart;
        const bar = chart.getDatasetMeta(0).data[0];
        return {labels: chart.data.labels, first: chart.data.datasets[0].data[0], x: bar.x, y: bar.y, base: bar.base};
    }""")
    assert drawn["labels"][0] == two_months["center_a"].name and drawn["first"] == 3, drawn
    box = page.locator("[data-testid=report-chart]").bounding_box()
    page.mouse.click(box["x"] + drawn["x"], box["y"] + (drawn["y"] + drawn["base"]) / 2)
    page.wait_for_url("**/reports/center-performance/orders/**")
    page.wait_for_selector("[data-testid=drill-total]")
    _shot(page, "drill")
    listed = page.locator("main table tbody tr td:first-child a").all_inner_texts()
    assert sorted(to_ascii_digits(number) for number in listed) == two_months["a_numbers"]
    assert page.inner_text("[data-testid=drill-total]") == "۳"

    with page.expect_download() as download:
        page.click("[data-testid=drill-export]")
    sheet = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert sheet.sheet_view.rightToLeft and rows[0][0] == "شماره"
    assert sorted(row[0] for row in rows[1:]) == two_months["a_numbers"]


def test_head_office_exports_center_performance_as_excel_and_pdf(live_server, browser, password, two_months):
    import pypdfium2
    from openpyxl import load_workbook

    page = _sign_in(browser, live_server, password)
    _open_center_performance(page, live_server, two_months)

    with page.expect_download() as download:
        page.click("[data-testid=export-xlsx]")
    workbook = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    first, conditions = workbook.worksheets[0], workbook.worksheets[-1]
    header = [cell.value for cell in first[1]]
    assert first.sheet_view.rightToLeft and conditions.sheet_view.rightToLeft
    assert "مرکز خدمات" in header and "پذیرش‌ها" in header, header
    texts = [str(cell.value) for row in conditions.iter_rows() for cell in row if cell.value is not None]
    assert texts[0] == "عملکرد مراکز" and two_months["from"] in texts, texts

    response = page.request.get(live_server.url + page.get_attribute("[data-testid=export-pdf]", "href"))
    assert response.ok and response.headers["content-type"] == "application/pdf"
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "reports-center-performance.pdf").write_bytes(response.body())
    pdf = pypdfium2.PdfDocument(response.body())
    pdf[0].render(scale=1.5).to_pil().save(ARTIFACTS / "reports-center-performance-pdf.png")
    # The text layer keeps a right-to-left line's words in visual order: compare the words of each line.
    lines = [sorted(line.split()) for line in pdf[0].get_textpage().get_text_range().splitlines()]
    assert sorted("عملکرد مراکز".split()) in lines, lines[:3]


def test_the_report_fits_a_phone_and_the_dashboard_shows_the_reports_panel(
        live_server, browser, password, two_months):
    page = _sign_in(browser, live_server, password, **PHONE)
    _open_center_performance(page, live_server, two_months)
    _shot(page, "center-performance-phone")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the report scrolls sideways on a phone ({width} px)"

    desk = _sign_in(browser, live_server, password)
    desk.goto(f"{live_server.url}/")
    panel = desk.locator("[data-testid=panel-reports-head-office]")
    assert panel.count() == 1
    desk.wait_for_function("document.querySelector('[data-testid=dashboard-chart]').chart !== undefined")
    months = desk.evaluate("document.querySelector('[data-testid=dashboard-chart]').chart.data.labels.length")
    assert months >= 12
    _shot(desk, "dashboard-head-office")
