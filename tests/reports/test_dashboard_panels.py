"""The reports' dashboard panels: this month against last month and a year ago, the 12-month receptions
chart with its drill-down, and the failure early warnings on the head-office dashboard.

Every test stands on 15 Azar 1405 (2026-12-06): this month is Azar 1405, last month Aban 1405, the same
month last year Azar 1404.
"""

import datetime
import html
import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from aftersales.reports.models import FailureAlert

from .test_warnings import jday, receive

AZAR_15 = datetime.date(2026, 12, 6)


def cell(page: str, testid: str) -> str:
    """The text of the element carrying ``data-testid=testid``, tags left out."""
    match = re.search(rf'data-testid="{testid}"[^>]*>(.*?)</td>', page, re.S)
    assert match, testid
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


def chart(page: str) -> dict:
    match = re.search(r'<script id="dashboard-receptions-data" type="application/json">(.*?)</script>', page, re.S)
    assert match
    return json.loads(match.group(1))


@pytest.fixture
def orders(center_a, center_b, reception_a, reception_b, owner, fridge_model, today_is):
    """Center A: 3 in Azar 1405 (one handed back after 2 days), 2 in Aban (one after 4 days), 1 in Azar 1404.
    Center B: 4 in Azar 1405 (one handed back after 8 days), 1 in Aban."""
    a = {"center": center_a, "customer": owner, "user": reception_a, "model": fridge_model}
    b = {"center": center_b, "customer": owner, "user": reception_b, "model": fridge_model}
    receive(at=jday(1405, 9, 2), count=2, **a)
    receive(at=jday(1405, 9, 3, 10), count=1, **a)
    receive(at=jday(1405, 8, 10, 10), count=1, **a)
    receive(at=jday(1405, 8, 20), count=1, **a)
    receive(at=jday(1404, 9, 12), count=1, **a)
    receive(at=jday(1405, 9, 1, 10), count=1, **b)
    receive(at=jday(1405, 9, 4), count=3, **b)
    receive(at=jday(1405, 8, 11), count=1, **b)
    from aftersales.repairs.models import RepairOrder

    for center, received, back in ((center_a, jday(1405, 9, 3, 10), jday(1405, 9, 5, 10)),
                                   (center_a, jday(1405, 8, 10, 10), jday(1405, 8, 14, 10)),
                                   (center_b, jday(1405, 9, 1, 10), jday(1405, 9, 9, 10))):
        RepairOrder.objects.filter(center=center, received_at=received).update(handed_back_at=back)
    from aftersales.repairs.tallies import center_days_rebuild

    center_days_rebuild()  # the rows were written around the services, as an import of past repairs is
    today_is(AZAR_15)


def test_head_office_sees_the_network_this_month_against_last_month_and_last_year(login, head_office, orders):
    page = login(head_office).get(reverse("organization:dashboard")).content.decode()

    assert 'data-testid="panel-reports-head-office"' in page
    # Receptions: Azar 1405 3 + 4 = 7, Aban 2 + 1 = 3, Azar 1404 1; up on last month, good news.
    assert cell(page, "now-receptions") == "۷ ▲"
    assert 'text-success" title' in page
    assert (cell(page, "last-receptions"), cell(page, "year-receptions")) == ("۳", "۱")
    # Hand-backs: 2 in Azar (2 and 8 days: average 5), 1 in Aban (4 days), none a year ago.
    assert (cell(page, "now-handbacks"), cell(page, "last-handbacks"), cell(page, "year-handbacks")) == (
        "۲ ▲", "۱", "۰")
    assert (cell(page, "now-turnaround_days"), cell(page, "last-turnaround_days")) == ("۵ ▲", "۴")
    assert cell(page, "year-turnaround_days") == "—"
    assert cell(page, "now-first_time_fix") == "۱۰۰٪"
    assert "vendor/chartjs/chart.umd.min.js" in page and "reports/report-chart.js" in page


def test_turnaround_going_up_is_shown_as_bad_news(login, head_office, orders):
    page = login(head_office).get(reverse("organization:dashboard")).content.decode()

    row = re.search(r'data-measure="turnaround_days">(.*?)</tr>', page, re.S).group(1)
    assert 'class="text-danger"' in row  # 5 days against 4: ▲ in red


def test_center_manager_sees_only_their_centers_numbers(login, manager_a, orders):
    page = login(manager_a).get(reverse("organization:dashboard")).content.decode()

    assert 'data-testid="panel-reports-center"' in page
    assert 'data-testid="panel-reports-head-office"' not in page
    assert 'data-testid="failure-alerts"' not in page
    # Center A only: receptions 3 / 2 / 1; one hand-back each month, 2 days against 4 (▼, good news).
    assert (cell(page, "now-receptions"), cell(page, "last-receptions"), cell(page, "year-receptions")) == (
        "۳ ▲", "۲", "۱")
    assert (cell(page, "now-turnaround_days"), cell(page, "last-turnaround_days")) == ("۲ ▼", "۴")
    assert chart(page)["series"][1]["data"][-1] == 3  # Azar's bar: center A's 3 paid receptions


def test_the_receptions_chart_has_twelve_months_and_each_bar_opens_its_orders(login, head_office, orders):
    client = login(head_office)
    data = chart(client.get(reverse("organization:dashboard")).content.decode())

    assert data["kind"] == "bar" and len(data["labels"]) == 12 and len(data["links"]) == 12
    # Dey 1404 … Azar 1405; nothing is under warranty: the paid series carries every reception.
    assert [sum(values) for values in zip(*(series["data"] for series in data["series"]), strict=True)] == [
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 7]
    link = data["links"][-1]
    assert link.startswith("/reports/receptions-trend/orders/?")
    query = parse_qs(urlsplit(link).query)
    assert (query["from"], query["to"]) == (["1405/09/01"], ["1405/09/30"])

    response = client.get(link)
    assert response.status_code == 200 and response.context["total"] == 7
    assert client.get(data["links"][-2]).context["total"] == 3  # Aban


def test_center_managers_bar_opens_only_their_centers_orders(login, manager_a, orders):
    client = login(manager_a)
    link = chart(client.get(reverse("organization:dashboard")).content.decode())["links"][-1]

    assert client.get(link).context["total"] == 3


def test_head_office_sees_the_failure_alerts_with_their_evidence_and_orders(login, head_office, orders,
                                                                           center_a, reception_a, owner,
                                                                           fridge_model):
    from aftersales.catalog.models import ProductUnit

    lot = ProductUnit.objects.create(serial="RF-9001", brand=fridge_model.brand, product_model=fridge_model,
                                     batch="lot 17")
    receive(center=center_a, customer=owner, user=reception_a, model=fridge_model, unit=lot,
            at=jday(1405, 9, 6), count=2)
    FailureAlert.objects.create(month="1405-09", scope=FailureAlert.Scope.BATCH, product_model=fridge_model,
                                batch="lot 17", failures=12, expected=2.0, threshold=9, months_of_history=6)
    client = login(head_office)

    page = client.get(reverse("organization:dashboard")).content.decode()

    row = re.search(r'data-testid="failure-alert">(.*?)</tr>', page, re.S).group(1)
    texts = [re.sub(r"<[^>]+>", "", text).strip() for text in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
    assert texts[1:6] == ["lot 17", "۱۲", "۲", "۹", "۶"]
    link = html.unescape(re.search(r'href="([^"]+)"', row).group(1))
    query = parse_qs(urlsplit(link).query)
    assert (query["from"], query["to"], query["model"], query["batch"]) == (
        ["1405/09/01"], ["1405/09/15"], [str(fridge_model.pk)], ["lot 17"])
    assert client.get(link).context["total"] == 2  # the lot's two orders, not the model's other nine


def test_receptionist_gets_no_report_panel_and_no_chart_script(login, reception_a, orders):
    page = login(reception_a).get(reverse("organization:dashboard")).content.decode()

    assert "panel-reports" not in page
    assert "chart.umd.min.js" not in page
