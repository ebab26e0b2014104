"""A plan's page in Chromium: the chart against the straight-line pace is drawn, the progress bars show,
the target picker switches the chart, and the page's policy reports no violation (F46)."""

from pathlib import Path

import pytest

from tests.field.conftest_targets import *  # noqa: F401,F403

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _reference(transactional_db):
    """A transactional test before this one emptied the tables the migrations had filled (roles, party types)."""
    from django.apps import apps

    from aftersales.crm.reference import load_marketing_reference
    from aftersales.organization.roles import sync_roles

    sync_roles()
    load_marketing_reference(apps)

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", function (event) {
  console.error("CSP violation: " + event.violatedDirective + " " + (event.blockedURI || "inline"));
});
"""


def test_the_plan_page_draws_the_chart_with_no_policy_violation(live_server, page, password, center_a, manager_a,
                                                                 visitor_a, visitor_a2, make_party, sell, visit,
                                                                 plan_days):
    from aftersales.field.models import Target
    from aftersales.field.services_targets import target_plan_create

    start, end = plan_days
    plan = target_plan_create(name="برنامه فروش آذر", center=center_a, start_date=start, end_date=end,
                              acting_user=manager_a,
                              targets=[{"metric": Target.Metric.SALES_AMOUNT, "marketer": visitor_a, "value": 900_000},
                                       {"metric": Target.Metric.SALES_AMOUNT, "marketer": visitor_a2, "value": 500_000},
                                       {"metric": Target.Metric.VISITS, "marketer": visitor_a, "value": 12}])
    party = make_party(marketer=visitor_a)
    sell(party, 200_000, on=start)
    sell(party, 150_000)
    visit(party, visitor_a)
    ARTIFACTS.mkdir(exist_ok=True)
    violations = []
    page.add_init_script(REPORT_VIOLATIONS)
    page.on("console", lambda message: violations.append(message.text)
            if "Content Security Policy" in message.text or "CSP violation" in message.text else None)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", manager_a.username)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/field/targets/{plan.pk}/")
    page.wait_for_selector("[data-testid=target-chart] canvas")
    page.wait_for_function("() => window.Chart && Chart.getChart(document.getElementById('target-chart'))")
    assert page.locator("[data-testid=target-row]").count() == 3
    text = page.inner_text("[data-testid=targets-sales_amount]")
    assert "۳۸٫۹٪" in text or "۳۸.۹٪" in text
    page.screenshot(path=str(ARTIFACTS / "field-targets-plan.png"), full_page=True)
    page.select_option("#target-chart-pick", "2")
    points = page.evaluate("() => Chart.getChart(document.getElementById('target-chart')).data.datasets[0].data")
    assert points[10] == 1 and points[-1] is None
    page.goto(f"{live_server.url}/field/targets/")
    page.wait_for_selector("[data-testid=plan-table]")
    page.screenshot(path=str(ARTIFACTS / "field-targets-list.png"), full_page=True)
    page.goto(f"{live_server.url}/field/targets/new/")
    page.wait_for_selector("[data-testid=target-rows]")
    page.screenshot(path=str(ARTIFACTS / "field-targets-form.png"), full_page=True)
    assert violations == []
