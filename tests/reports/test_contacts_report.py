"""contacts (F59) on a data set worked out by hand (Aban 1405 = 2026-10-23 … 2026-11-21; its first day is a
Friday, so its weeks from Saturday start 08/02, 08/09, 08/16, 08/23 and 08/30).

Center A (TEH01): visitor آرش کاظمی and visitor بهاره توکلی; center B (ISF01): visitor نگار صدری.
  1  آرش   08/02 10:00  in person     lead «فروشگاه نور»      positive
  2  آرش   08/02 15:00  outgoing call  lead «فروشگاه نور»      not reached
  3  آرش   08/05 11:00  outgoing call  customer سارا احمدی     neutral
  4  آرش   08/12 09:30  in person     customer سارا احمدی     positive
  5  آرش   08/12 10:00  a note        customer سارا احمدی     (not a contact: not counted)
  6  آرش   07/28 10:00  in person     lead «فروشگاه نور»      (Mehr: outside the period)
  7  بهاره  08/03 12:00  incoming call  lead «پخش سپهر»        negative
  8  بهاره  08/20 12:00  in person     lead «پخش سپهر»        (no outcome)
  9  نگار   08/04 10:00  in person     lead «فروشگاه زاینده»   positive
Center A's manager, per marketer:
  آرش:  in person 2, out 2, in 0, contacts 4, with leads 2, customers and leads 2, positive 2, neutral 1,
        negative 0, not reached 1
  بهاره: in person 1, out 0, in 1, contacts 2, with leads 2, customers and leads 1, negative 1
  total: 3, 2, 1, 6, 4, 3, positive 2, neutral 1, negative 1, not reached 1
Head office and the marketing manager add نگار's row (1 in person, positive, a lead): contacts 7, leads 5, 4 parties.
"""

import io

import pytest
from openpyxl import load_workbook

from aftersales.core.jalali import parse_datetime
from aftersales.customers.models import Customer
from aftersales.marketing.services import contact_log
from aftersales.organization.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
ABAN = {"from": "1405/08/01", "to": "1405/08/30"}
COUNTS = ("visits", "calls_out", "calls_in", "total", "with_leads", "customers", "positive", "neutral", "negative",
          "no_answer")


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


@pytest.fixture
def aban(people, center_a, center_b):
    from aftersales.crm.models import PartyType
    from aftersales.crm.services import lead_create

    dealer = PartyType.objects.get(code="dealer")
    arash, bahareh, negar = people["arash"], people["bahareh"], people["negar"]
    noor = lead_create(acting_user=arash, kind="legal", company_name="فروشگاه نور", mobile="09121110001",
                       party_type=dealer, center=center_a, marketer=arash).customer
    sepehr = lead_create(acting_user=bahareh, kind="legal", company_name="پخش سپهر", mobile="09121110002",
                         party_type=dealer, center=center_a, marketer=bahareh).customer
    zayandeh = lead_create(acting_user=negar, kind="legal", company_name="فروشگاه زاینده", mobile="09131110003",
                           party_type=dealer, center=center_b, marketer=negar).customer
    sara = Customer.objects.create(kind="person", first_name="سارا", last_name="احمدی", mobile="09121110004")
    for who, moment, kind, customer, outcome in [
        (arash, "1405/08/02 10:00", "visit", noor, "positive"),
        (arash, "1405/08/02 15:00", "call_out", noor, "no_answer"),
        (arash, "1405/08/05 11:00", "call_out", sara, "neutral"),
        (arash, "1405/08/12 09:30", "visit", sara, "positive"),
        (arash, "1405/08/12 10:00", "note", sara, ""),
        (arash, "1405/07/28 10:00", "visit", noor, "positive"),
        (bahareh, "1405/08/03 12:00", "call_in", sepehr, "negative"),
        (bahareh, "1405/08/20 12:00", "visit", sepehr, ""),
        (negar, "1405/08/04 10:00", "visit", zayandeh, "positive"),
    ]:
        contact_log(customer=customer, kind=kind, notes="گفت‌وگو", acting_user=who, outcome=outcome,
                    occurred_at=parse_datetime(moment))
    return {"noor": noor, "sepehr": sepehr, "sara": sara, "zayandeh": zayandeh}


def report(api_client, user, status=200, **params):
    api_client.force_authenticate(user)
    response = api_client.get("/api/reports/contacts/", {**ABAN, **params})
    assert response.status_code == status, response.content
    return response.json()


def counts(row):
    return tuple(row[key] for key in COUNTS)


def test_a_month_of_contacts_per_marketer_matches_the_hand_count(api_client, aban, manager_a):
    [table] = report(api_client, manager_a)["tables"]
    rows = {row["marketer"]: counts(row) for row in table["rows"]}
    assert rows == {"آرش کاظمی": (2, 2, 0, 4, 2, 2, 2, 1, 0, 1), "بهاره توکلی": (1, 0, 1, 2, 2, 1, 0, 0, 1, 0)}
    assert [row["marketer"] for row in table["rows"]] == ["آرش کاظمی", "بهاره توکلی"]  # the busiest first
    assert counts(table["total"]) == (3, 2, 1, 6, 4, 3, 2, 1, 1, 1)


def test_head_office_and_the_marketing_manager_count_every_center(api_client, aban, head_office, people):
    for user in (head_office, people["marketing"]):
        [table] = report(api_client, user)["tables"]
        rows = {row["marketer"]: counts(row) for row in table["rows"]}
        assert rows["نگار صدری"] == (1, 0, 0, 1, 1, 1, 1, 0, 0, 0)
        assert counts(table["total"]) == (4, 2, 1, 7, 5, 4, 3, 1, 1, 1)
    [table] = report(api_client, head_office, center=people["negar"].centers.get().pk)["tables"]
    assert [row["marketer"] for row in table["rows"]] == ["نگار صدری"]
    [table] = report(api_client, head_office, marketer=people["bahareh"].pk)["tables"]
    assert counts(table["total"]) == (1, 0, 1, 2, 2, 1, 0, 0, 1, 0)


def test_per_week_from_saturday_each_marketers_contacts_fall_in_their_jalali_week(api_client, aban, manager_a):
    data = report(api_client, manager_a, group_by="week")
    [table] = data["tables"]
    assert [(row["period"], row["marketer"], row["total"]) for row in table["rows"]] == [
        ("هفتهٔ ۰۸/۰۲", "آرش کاظمی", 3), ("هفتهٔ ۰۸/۰۲", "بهاره توکلی", 1),
        ("هفتهٔ ۰۸/۰۹", "آرش کاظمی", 1), ("هفتهٔ ۰۸/۱۶", "بهاره توکلی", 1)]
    assert table["total"]["total"] == 6
    chart = data["chart"]
    assert len(chart["labels"]) == 6  # Aban's six weeks, the first and last partly in the month
    visits, calls_out, calls_in = (series["data"] for series in chart["series"])
    assert (visits, calls_out, calls_in) == ([0, 1, 1, 1, 0, 0], [0, 2, 0, 0, 0, 0], [0, 1, 0, 0, 0, 0])


def test_per_customer_or_lead_with_whether_it_is_a_lead_and_its_stage(api_client, aban, manager_a):
    [table] = report(api_client, manager_a, group_by="customer")["tables"]
    rows = {row["customer"]: row for row in table["rows"]}
    assert set(rows) == {"فروشگاه نور", "پخش سپهر", "سارا احمدی"}
    assert (rows["فروشگاه نور"]["lead"], rows["فروشگاه نور"]["stage"]) == ("سرنخ", "اولین تماس")
    assert (rows["سارا احمدی"]["lead"], rows["سارا احمدی"]["stage"]) == ("مشتری", "")
    assert counts(rows["فروشگاه نور"]) == (1, 1, 0, 2, 2, 1, 1, 0, 0, 1)
    assert counts(rows["سارا احمدی"]) == (1, 1, 0, 2, 0, 1, 1, 1, 0, 0)  # the note is not counted
    assert rows["سارا احمدی"]["last"] == "1405/08/12"
    assert table["total"]["total"] == 6


def test_a_center_manager_cannot_name_another_centers_marketer_or_center(api_client, aban, manager_a, center_b,
                                                                         people):
    assert "marketer" in report(api_client, manager_a, 400, marketer=people["negar"].pk)
    assert "center" in report(api_client, manager_a, 400, center=center_b.pk)
    sheet = load_workbook(io.BytesIO(report_file(api_client, manager_a, "xlsx"))).worksheets[0]
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert "نگار صدری" not in names and "آرش کاظمی" in names


def report_file(api_client, user, fmt, **params):
    api_client.force_authenticate(user)
    response = api_client.get("/api/reports/contacts/", {**ABAN, "format": fmt, **params})
    assert response.status_code == 200
    return response.content


def test_only_managers_and_the_marketing_manager_open_it(api_client, aban, people, manager_a, technician_a):
    api_client.force_authenticate(people["marketing"])
    assert "contacts" in {item["slug"] for item in api_client.get("/api/reports/").json()}
    report(api_client, people["arash"], 403)  # a visitor has no report permission
    report(api_client, technician_a, 403)


def test_the_page_shows_the_marketer_filter_and_exports_pdf_and_excel(client, aban, people):
    client.force_login(people["marketing"])
    page = client.get("/reports/contacts/", ABAN)
    assert page.status_code == 200
    body = page.content.decode()
    assert 'name="marketer"' in body and "آرش کاظمی" in body and 'name="technician"' not in body
    assert page.context["chart_data"]["labels"][:2] == ["آرش کاظمی", "بهاره توکلی"]
    pdf = client.get("/reports/contacts/export.pdf", ABAN)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    book = load_workbook(io.BytesIO(client.get("/reports/contacts/export.xlsx", {**ABAN, "group_by": "month"})
                                    .content))
    first = list(book.worksheets[0].iter_rows(values_only=True))
    assert first[1][1] == "آرش کاظمی" and "آبان" in first[1][0] and first[-1][5] == 7  # the first row, the total


def test_it_goes_by_e_mail_with_its_pdf_and_excel(smtp, aban, manager_a, settings, tmp_path):
    from aftersales.messaging import dispatch
    from aftersales.reports.services import report_send

    settings.MEDIA_ROOT = tmp_path
    report_send(report="contacts", params=ABAN, email="sales@example.ir", acting_user=manager_a)
    dispatch.dispatch_due()
    [(_recipients, mail)] = smtp.mails
    names = {part.get_filename() for part in mail.iter_attachments()}
    assert names == {"contacts-14050801-14050830.pdf", "contacts-14050801-14050830.xlsx"}
    assert "آرش کاظمی" in mail.get_body(("html",)).get_content()
