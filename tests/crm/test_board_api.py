"""The stages of a marketing workflow over REST: scoped counts, keyset pages, field errors."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from aftersales.crm.models import Party

from .test_board import make_parties, stage

pytestmark = pytest.mark.django_db


def test_the_stages_come_in_order_with_the_callers_counts(api_client, lead, visitor_a, visitor_b, center_a):
    make_parties(2, center=center_a, marketer=visitor_a, state="negotiation")
    api_client.force_authenticate(visitor_a)
    response = api_client.get(reverse("api-crm-stages"), {"workflow": "sales-pipeline"})
    assert response.status_code == 200
    data = response.json()
    assert data["workflow"]["code"] == "sales-pipeline"
    assert [(row["code"], row["count"]) for row in data["stages"]] == [
        ("first_contact", 1), ("needs_analysis", 0), ("proforma_sent", 0), ("negotiation", 2), ("won", 0), ("lost", 0)]
    assert data["stages"][0]["is_initial"] and data["stages"][4]["is_final"]
    api_client.force_authenticate(visitor_b)
    counts = [row["count"] for row in api_client.get(reverse("api-crm-stages"), {"workflow": "sales-pipeline"})
              .json()["stages"]]
    assert counts == [0] * 6


def test_the_stages_filter_like_the_board(api_client, lead, visitor_a, center_a):
    make_parties(3, center=center_a, marketer=visitor_a, rating="cold")
    api_client.force_authenticate(visitor_a)
    data = api_client.get(reverse("api-crm-stages"), {"workflow": "sales-pipeline", "rating": "cold"}).json()
    assert data["stages"][0]["count"] == 3


def test_a_missing_or_unknown_workflow_or_a_bad_filter_is_a_field_error(api_client, visitor_a):
    api_client.force_authenticate(visitor_a)
    missing = api_client.get(reverse("api-crm-stages"))
    assert missing.status_code == 400 and "workflow" in missing.json()
    unknown = api_client.get(reverse("api-crm-stages"), {"workflow": "no-such"})
    assert unknown.status_code == 400 and "کد" in unknown.json()["workflow"][0]
    bad = api_client.get(reverse("api-crm-stages"), {"workflow": "sales-pipeline", "rating": "boiling",
                                                     "marketer": "x"})
    assert bad.status_code == 400 and set(bad.json()) == {"rating", "marketer"}


def test_a_stage_pages_by_keyset_to_the_end_with_no_card_twice(api_client, visitor_a, center_a):
    parties = make_parties(45, center=center_a, marketer=visitor_a)
    same = timezone.now() - datetime.timedelta(days=50)
    Party.objects.filter(pk__in=[party.pk for party in parties[10:30]]).update(state_entered_at=same)
    api_client.force_authenticate(visitor_a)
    url = reverse("api-crm-stage-parties", args=[stage("first_contact").pk])
    seen, params = [], {"limit": 20}
    while True:
        response = api_client.get(url, params)
        assert response.status_code == 200
        data = response.json()
        seen += [card["id"] for card in data["results"]]
        if not data["next_after"]:
            assert data["next"] is None
            break
        assert "after=" in data["next"] and "limit=20" in data["next"]
        params = {"limit": 20, "after": data["next_after"]}
    assert seen == list(Party.objects.order_by("state_entered_at", "pk").values_list("pk", flat=True))
    assert len(seen) == 45


def test_a_card_over_the_api_says_who_and_how_long(api_client, lead, visitor_a):
    Party.objects.filter(pk=lead.pk).update(state_entered_at=timezone.now() - datetime.timedelta(days=3),
                                            next_step_date=datetime.date(2026, 12, 1))
    api_client.force_authenticate(visitor_a)
    card = api_client.get(reverse("api-crm-stage-parties", args=[lead.state_id])).json()["results"][0]
    assert card["id"] == lead.pk and card["is_lead"] and card["name"] == "فروشگاه لوازم خانگی نور"
    assert card["party_type_name"] == "نماینده فروش" and card["rating"] == "hot"
    assert card["days_in_stage"] == 3 and card["version"] == 1
    assert card["next_step_date_jalali"] == "1405/09/10"
    assert card["marketer"] == visitor_a.pk and card["marketer_name"] == "سارا کریمی"


def test_another_teams_visitor_gets_an_empty_stage(api_client, lead, visitor_b):
    api_client.force_authenticate(visitor_b)
    data = api_client.get(reverse("api-crm-stage-parties", args=[lead.state_id])).json()
    assert data["results"] == [] and data["next_after"] is None


def test_a_bad_page_marker_or_limit_is_a_field_error(api_client, visitor_a):
    api_client.force_authenticate(visitor_a)
    url = reverse("api-crm-stage-parties", args=[stage("first_contact").pk])
    bad = api_client.get(url, {"after": "1,2,3"})
    assert bad.status_code == 400 and "after" in bad.json()
    assert api_client.get(url, {"limit": 0}).status_code == 400
    assert api_client.get(url, {"limit": 101}).status_code == 400


def test_a_stage_that_is_not_a_marketing_one_is_not_found(api_client, visitor_a):
    from aftersales.workflow.models import State

    api_client.force_authenticate(visitor_a)
    other = State.objects.exclude(workflow__code__in=["sales-pipeline", "project-pipeline"]).first()
    assert other is not None  # the repairs workflow ships with the product
    assert api_client.get(reverse("api-crm-stage-parties", args=[other.pk])).status_code == 404
    assert api_client.get(reverse("api-crm-stage-parties", args=[999999])).status_code == 404


def test_the_stages_need_the_right_to_see_parties(api_client, reception_a):
    api_client.force_authenticate(reception_a)
    assert api_client.get(reverse("api-crm-stages"), {"workflow": "sales-pipeline"}).status_code == 403
    assert api_client.get(reverse("api-crm-stage-parties", args=[stage("first_contact").pk])).status_code == 403


def test_the_stages_are_in_the_openapi_schema(api_client, head_office):
    api_client.force_authenticate(head_office)
    schema = api_client.get(reverse("api-schema"), {"format": "json"}).json()
    assert "/api/crm/stages/" in schema["paths"]
    operation = schema["paths"]["/api/crm/stages/{state_pk}/parties/"]["get"]
    assert {parameter["name"] for parameter in operation["parameters"]} >= {"after", "limit", "marketer", "kind"}
