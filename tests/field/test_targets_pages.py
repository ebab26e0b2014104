"""The plans' pages and API: forms with target rows, Persian refusals, scoping, the marketer's own targets."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from aftersales.core.jalali import format_date
from aftersales.field.models import Target, TargetPlan
from aftersales.field.services_targets import target_plan_create
from tests.field.conftest_targets import *  # noqa: F401,F403

pytestmark = pytest.mark.django_db

SALES = Target.Metric.SALES_AMOUNT


@pytest.fixture
def plan(center_a, manager_a, visitor_a, visitor_a2, plan_days):
    start, end = plan_days
    return target_plan_create(name="برنامه فروش آذر", center=center_a, start_date=start, end_date=end,
                              acting_user=manager_a,
                              targets=[{"metric": SALES, "marketer": visitor_a, "value": 1_000_000},
                                       {"metric": SALES, "marketer": visitor_a2, "value": 2_000_000},
                                       {"metric": Target.Metric.VISITS, "marketer": visitor_a, "value": 40}])


def _post(center, visitor, **overrides):
    start = timezone.localdate()
    data = {"name": "برنامه دی", "center": center.pk, "start_date": format_date(start),
            "end_date": format_date(start + datetime.timedelta(days=29)), "note": "",
            "submission_key": "key-1", "targets-TOTAL_FORMS": "2", "targets-INITIAL_FORMS": "0",
            "targets-MIN_NUM_FORMS": "1", "targets-MAX_NUM_FORMS": "5000",
            "targets-0-metric": SALES, "targets-0-marketer": visitor.pk, "targets-0-value": "۵۰۰٬۰۰۰٬۰۰۰",
            "targets-1-metric": "", "targets-1-value": ""}
    data.update(overrides)
    return data


def test_a_manager_makes_a_plan_with_persian_digits_and_a_double_submit_makes_one(login, manager_a, center_a,
                                                                                 visitor_a):
    client = login(manager_a)
    response = client.post(reverse("field:target-plan-create"), _post(center_a, visitor_a))
    assert response.status_code == 302
    again = client.post(reverse("field:target-plan-create"), _post(center_a, visitor_a))
    assert again.status_code == 302 and again.url == response.url
    plan = TargetPlan.objects.get()
    assert plan.targets.get().value == 500_000_000


def test_the_form_refuses_a_marketer_of_another_team_and_duplicate_rows_in_persian(login, manager_a, center_a,
                                                                                  visitor_a, head_office, visitor_b):
    client = login(head_office)
    response = client.post(reverse("field:target-plan-create"), _post(center_a, visitor_b))
    assert response.status_code == 200
    assert "عضو تیم برنامه نیست" in response.content.decode()
    response = client.post(reverse("field:target-plan-create"), _post(
        center_a, visitor_a, **{"targets-1-metric": SALES, "targets-1-marketer": visitor_a.pk,
                                "targets-1-value": "10"}))
    assert response.status_code == 200 and "تکرار" in response.content.decode()
    response = client.post(reverse("field:target-plan-create"), _post(
        center_a, visitor_a, end_date=format_date(timezone.localdate() - datetime.timedelta(days=3))))
    assert response.status_code == 200 and not TargetPlan.objects.exists()


def test_the_plan_page_shows_the_percent_in_persian_and_the_chart_data(login, manager_a, plan, visitor_a,
                                                                        make_party, sell):
    sell(make_party(marketer=visitor_a), 250_000)
    response = login(manager_a).get(reverse("field:target-plan-detail", args=[plan.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "۲۵٫۰٪" in body or "۲۵.۰٪" in body
    assert 'id="target-chart-data"' in body and "field/targets.js" in body
    assert "<script>" not in body.replace('<script id="target-chart-data" type="application/json">', "")


def test_a_marketer_sees_only_their_own_targets_and_cannot_edit(login, visitor_a, visitor_a2, plan):
    client = login(visitor_a)
    body = client.get(reverse("field:target-plan-detail", args=[plan.pk])).content.decode()
    assert body.count('data-testid="target-row"') == 2
    assert client.get(reverse("field:target-plan-edit", args=[plan.pk])).status_code == 403
    mine = client.get(reverse("field:my-targets")).content.decode()
    assert mine.count('data-testid="my-target"') == 2


def test_another_teams_plan_is_not_found(login, manager_b, plan, api_client):
    assert login(manager_b).get(reverse("field:target-plan-detail", args=[plan.pk])).status_code == 404
    api_client.force_authenticate(manager_b)
    assert api_client.get(reverse("api-field-target-plan", args=[plan.pk])).status_code == 404


def test_head_office_sees_the_network_rollup(login, head_office, plan, visitor_a, make_party, sell):
    sell(make_party(marketer=visitor_a), 300_000)
    body = login(head_office).get(reverse("field:target-plan-list")).content.decode()
    assert 'data-testid="network-rollup"' in body and "برنامه فروش آذر" in body


def test_the_plan_is_edited_with_its_rows_replaced(login, manager_a, plan, center_a, visitor_a):
    data = _post(center_a, visitor_a, name="برنامه آذر (اصلاح)")
    data.pop("submission_key")
    response = login(manager_a).post(reverse("field:target-plan-edit", args=[plan.pk]), data)
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.name == "برنامه آذر (اصلاح)" and plan.targets.count() == 1
    assert plan.history.count() == 2


def test_api_lists_plans_with_achievement_and_makes_one(api_client, manager_a, plan, center_a, visitor_a,
                                                       make_party, sell):
    sell(make_party(marketer=visitor_a), 100_000)
    api_client.force_authenticate(manager_a)
    listed = api_client.get(reverse("api-field-target-plan-list")).json()
    first = listed["results"][0]
    sales = [row for row in first["targets"] if row["marketer"] == visitor_a.pk and row["metric"] == SALES][0]
    assert (sales["achieved"], sales["percent"]) == (100_000, 10.0)
    body = {"name": "برنامه API", "center": center_a.pk, "start_date": "1405/09/01", "end_date": "1405/09/30",
            "targets": [{"metric": "visits", "marketer": visitor_a.pk, "value": 20}]}
    made = api_client.post(reverse("api-field-target-plan-list"), body, format="json", HTTP_IDEMPOTENCY_KEY="k1")
    again = api_client.post(reverse("api-field-target-plan-list"), body, format="json", HTTP_IDEMPOTENCY_KEY="k1")
    assert made.status_code == 201 and again.json()["id"] == made.json()["id"]


@pytest.mark.parametrize("change, field", [
    ({"targets": []}, "targets"),
    ({"targets": [{"metric": "visits", "value": 0}]}, "targets"),
    ({"targets": [{"metric": "calls", "value": 3}]}, "targets"),
    ({"end_date": "1405/08/01"}, "end_date"),
])
def test_api_refuses_bad_plans_with_400(api_client, manager_a, center_a, change, field):
    api_client.force_authenticate(manager_a)
    body = {"name": "برنامه", "center": center_a.pk, "start_date": "1405/09/01", "end_date": "1405/09/30",
            "targets": [{"metric": "visits", "value": 20}], **change}
    response = api_client.post(reverse("api-field-target-plan-list"), body, format="json")
    assert response.status_code == 400 and field in response.json()
    assert not TargetPlan.objects.exists()


def test_api_refuses_a_marketer_of_another_team(api_client, head_office, center_a, visitor_b):
    api_client.force_authenticate(head_office)
    body = {"name": "برنامه", "center": center_a.pk, "start_date": "1405/09/01", "end_date": "1405/09/30",
            "targets": [{"metric": "visits", "marketer": visitor_b.pk, "value": 20}]}
    response = api_client.post(reverse("api-field-target-plan-list"), body, format="json")
    assert response.status_code == 400 and "targets[0].marketer" in response.json()


def test_a_visitor_cannot_make_plans(api_client, visitor_a, center_a):
    api_client.force_authenticate(visitor_a)
    body = {"name": "برنامه", "center": center_a.pk, "start_date": "1405/09/01", "end_date": "1405/09/30",
            "targets": [{"metric": "visits", "value": 20}]}
    assert api_client.post(reverse("api-field-target-plan-list"), body, format="json").status_code == 403
