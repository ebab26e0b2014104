"""field-visits (F59, the field side) on a data set worked out by hand (Aban 1405 = 2026-10-23 … 2026-11-21;
its weeks from Saturday start 08/02, 08/09, 08/16, 08/23 and 08/30).

Center A (TEH01): visitors آرش کاظمی and بهاره توکلی; center B (ISF01): visitor نگار صدری.
  آرش's tour (07/25 … 08/30):
    07/28  one stop visited                                (Mehr: outside the period)
    08/02  three stops: visited, visited with a far check-in, skipped
    08/12  two stops: visited, not visited yet
  بهاره's tour: 08/20  two stops: visited with a far check-in, skipped
  نگار's tour:  08/04  one stop visited
  Expenses: آرش 08/02 1,000,000 and 08/12 500,000 approved, 07/28 900,000 approved (outside), 08/05 300,000
  pending, 08/06 200,000 refused; بهاره 08/20 400,000 approved; نگار 08/04 700,000 approved.
Center A's manager, per marketer:
  آرش:   stops 5, visited 3, skipped 1, open 1, rate 60 %, far 1, approved 1,500,000
  بهاره: stops 2, visited 1, skipped 1, open 0, rate 50 %, far 1, approved   400,000
  total: 7, 4, 2, 1, 57.1 %, far 2, 1,900,000
Head office adds نگار (1, 1, 0, 0, 100 %, 0, 700,000): 8, 5, 2, 1, far 2, 2,600,000.
"""

import io

import pytest
from openpyxl import load_workbook

from aftersales.core.jalali import parse_date, parse_datetime
from aftersales.customers.models import Customer
from aftersales.organization.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
ABAN = {"from": "1405/08/01", "to": "1405/08/30"}
COUNTS = ("stops", "visited", "skipped", "open", "far", "expenses")


@pytest.fixture
def people(center_a, center_b):
    return {
        "arash": UserFactory(username="arash", first_name="آرش", last_name="کاظمی", role=Role.VISITOR,
                             centers=[center_a]),
        "bahareh": UserFactory(username="bahareh", first_name="بهاره", last_name="توکلی", role=Role.VISITOR,
                               centers=[center_a]),
        "negar": UserFactory(username="negar", first_name="نگار", last_name="صدری", role=Role.VISITOR,
                             centers=[center_b]),
        "marketing": UserFactory(username="marketing_head", role=Role.MARKETING_MANAGER),
    }


def _tour(marketer, center, start, end, days):
    from aftersales.field.models import CheckIn, Tour, TourDay, TourStop

    tour = Tour.objects.create(name=f"تور {marketer.first_name}", center=center, marketer=marketer,
                               start_date=parse_date(start), end_date=parse_date(end))
    for day, statuses in days.items():
        tour_day = TourDay.objects.create(tour=tour, date=parse_date(day))
        for index, status in enumerate(statuses):
            customer = Customer.objects.create(kind="legal", company_name=f"فروشگاه {day} {index} {marketer.pk}",
                                               mobile=f"0912{marketer.pk % 1000:03d}{index:02d}{tour_day.pk % 100:02d}")
            stop = TourStop.objects.create(day=tour_day, customer=customer, order=index,
                                           status="visited" if status == "far" else status)
            if status in ("visited", "far"):
                CheckIn.objects.create(stop=stop, user=marketer, at=parse_datetime(f"{day} 10:00"),
                                       is_far=status == "far", distance_m=900 if status == "far" else 40)
    return tour


@pytest.fixture
def aban(people, center_a, center_b, manager_a, manager_b, settings, tmp_path):
    from aftersales.field.services_expenses import expense_approve, expense_refuse, expense_submit

    settings.MEDIA_ROOT = tmp_path
    arash, bahareh, negar = people["arash"], people["bahareh"], people["negar"]
    _tour(arash, center_a, "1405/07/25", "1405/08/30", {
        "1405/07/28": ["visited"], "1405/08/02": ["visited", "far", "skipped"], "1405/08/12": ["visited", "planned"]})
    _tour(bahareh, center_a, "1405/08/15", "1405/08/25", {"1405/08/20": ["far", "skipped"]})
    _tour(negar, center_b, "1405/08/01", "1405/08/10", {"1405/08/04": ["visited"]})
    for who, day, amount, decision in [
        (arash, "1405/08/02", 1_000_000, "approve"), (arash, "1405/08/12", 500_000, "approve"),
        (arash, "1405/07/28", 900_000, "approve"), (arash, "1405/08/05", 300_000, ""),
        (arash, "1405/08/06", 200_000, "refuse"), (bahareh, "1405/08/20", 400_000, "approve"),
        (negar, "1405/08/04", 700_000, "approve"),
    ]:
        expense = expense_submit(acting_user=who, kind="transport", amount=amount, spent_on=parse_date(day))
        manager = manager_b if who == negar else manager_a
        if decision == "approve":
            expense_approve(expense=expense, acting_user=manager)
        elif decision == "refuse":
            expense_refuse(expense=expense, acting_user=manager, reason="تکراری")


def report(api_client, user, status=200, **params):
    api_client.force_authenticate(user)
    response = api_client.get("/api/reports/field-visits/", {**ABAN, **params})
    assert response.status_code == status, response.content
    return response.json()


def counts(row):
    return tuple(row[key] for key in COUNTS)


def test_a_month_of_tour_visits_per_marketer_matches_the_hand_count(api_client, aban, manager_a):
    [table] = report(api_client, manager_a)["tables"]
    rows = {row["marketer"]: (*counts(row), row["rate"]) for row in table["rows"]}
    assert rows == {"آرش کاظمی": (5, 3, 1, 1, 1, 1_500_000, 60.0), "بهاره توکلی": (2, 1, 1, 0, 1, 400_000, 50.0)}
    assert [row["marketer"] for row in table["rows"]] == ["آرش کاظمی", "بهاره توکلی"]
    assert counts(table["total"]) == (7, 4, 2, 1, 2, 1_900_000) and table["total"]["rate"] == 57.1


def test_head_office_and_the_marketing_manager_count_every_center(api_client, aban, head_office, people, center_b):
    for user in (head_office, people["marketing"]):
        [table] = report(api_client, user)["tables"]
        rows = {row["marketer"]: counts(row) for row in table["rows"]}
        assert rows["نگار صدری"] == (1, 1, 0, 0, 0, 700_000)
        assert counts(table["total"]) == (8, 5, 2, 1, 2, 2_600_000)
    [table] = report(api_client, head_office, center=center_b.pk)["tables"]
    assert [row["marketer"] for row in table["rows"]] == ["نگار صدری"]
    [table] = report(api_client, head_office, marketer=people["bahareh"].pk)["tables"]
    assert counts(table["total"]) == (2, 1, 1, 0, 1, 400_000)


def test_per_week_from_saturday_each_marketers_stops_fall_in_their_jalali_week(api_client, aban, manager_a):
    data = report(api_client, manager_a, group_by="week")
    [table] = data["tables"]
    assert [(row["period"], row["marketer"], row["stops"], row["far"], row["expenses"]) for row in table["rows"]] == [
        ("هفتهٔ ۰۸/۰۲", "آرش کاظمی", 3, 1, 1_000_000), ("هفتهٔ ۰۸/۰۹", "آرش کاظمی", 2, 0, 500_000),
        ("هفتهٔ ۰۸/۱۶", "بهاره توکلی", 2, 1, 400_000)]
    assert table["total"]["stops"] == 7
    visited, skipped, still_open = (series["data"] for series in data["chart"]["series"])
    assert (visited, skipped, still_open) == ([0, 2, 1, 1, 0, 0], [0, 1, 0, 1, 0, 0], [0, 0, 1, 0, 0, 0])


def test_per_day_and_month_the_same_stops_are_counted(api_client, aban, manager_a):
    [table] = report(api_client, manager_a, group_by="day")["tables"]
    assert {(row["period"], row["marketer"]): row["stops"] for row in table["rows"]} == {
        ("۱۴۰۵/۰۸/۰۲", "آرش کاظمی"): 3, ("۱۴۰۵/۰۸/۱۲", "آرش کاظمی"): 2, ("۱۴۰۵/۰۸/۲۰", "بهاره توکلی"): 2}
    [table] = report(api_client, manager_a, group_by="month")["tables"]
    assert [(row["marketer"], row["stops"]) for row in table["rows"]] == [("آرش کاظمی", 5), ("بهاره توکلی", 2)]


def test_a_center_manager_cannot_name_another_centers_marketer_or_center(api_client, aban, manager_a, center_b,
                                                                         people):
    assert "marketer" in report(api_client, manager_a, 400, marketer=people["negar"].pk)
    assert "center" in report(api_client, manager_a, 400, center=center_b.pk)


def test_only_managers_and_the_marketing_manager_open_it(api_client, aban, people, technician_a):
    api_client.force_authenticate(people["marketing"])
    assert "field-visits" in {item["slug"] for item in api_client.get("/api/reports/").json()}
    report(api_client, people["arash"], 403)
    report(api_client, technician_a, 403)


def test_the_page_exports_pdf_and_excel(client, aban, people):
    client.force_login(people["marketing"])
    page = client.get("/reports/field-visits/", ABAN)
    assert page.status_code == 200
    body = page.content.decode()
    assert 'name="marketer"' in body and "آرش کاظمی" in body
    pdf = client.get("/reports/field-visits/export.pdf", ABAN)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    book = load_workbook(io.BytesIO(client.get("/reports/field-visits/export.xlsx", ABAN).content))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    first = next(row for row in rows if row and row[0] == "آرش کاظمی")
    assert first[1:4] == (5, 3, 1) and first[7] == 1_500_000


def test_it_goes_by_e_mail_with_its_pdf_and_excel(smtp, aban, manager_a):
    from aftersales.messaging import dispatch
    from aftersales.reports.services import report_send

    report_send(report="field-visits", params=ABAN, email="sales@example.ir", acting_user=manager_a)
    dispatch.dispatch_due()
    [(_recipients, mail)] = smtp.mails
    names = {part.get_filename() for part in mail.iter_attachments()}
    assert names == {"field-visits-14050801-14050830.pdf", "field-visits-14050801-14050830.xlsx"}
    assert "آرش کاظمی" in mail.get_body(("html",)).get_content()
