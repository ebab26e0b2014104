"""The phone's API (issue 18): today's stops, check-ins sent with an Idempotency-Key (a replay stores once),
outcomes into the contact log, scoped lists and Persian 400s."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from aftersales.field.models import CheckIn, TourStop
from aftersales.marketing.models import Contact
from tests.field.conftest_visits import *  # noqa: F401,F403
from tests.field.conftest_visits import POINTS, make_tour

pytestmark = pytest.mark.django_db


def _check_in(api_client, stop, key, **extra):
    body = {"stop": stop.pk, "at": timezone.now().isoformat(), **extra}
    return api_client.post("/api/check-ins/", body, format="json", HTTP_IDEMPOTENCY_KEY=key)


def test_today_lists_my_published_stops_in_planned_order(api_client, visitor_v, center_a):
    _tour, stops = make_tour(visitor_v, center_a)
    make_tour(visitor_v, center_a, status="draft", stops=1)
    TourStop.objects.filter(pk=stops[0].pk).update(order=9)
    api_client.force_authenticate(visitor_v)
    response = api_client.get("/api/field/today/")
    assert response.status_code == 200
    assert [row["id"] for row in response.json()] == [stops[1].pk, stops[2].pk, stops[0].pk]
    assert response.json()[0]["phone"].startswith("0912")


def test_a_replayed_check_in_is_stored_once_and_answers_200(api_client, visitor_v, center_a):
    _tour, stops = make_tour(visitor_v, center_a)
    api_client.force_authenticate(visitor_v)
    lat, lon = POINTS[0]
    first = _check_in(api_client, stops[0], "5b0c9a3e-1", latitude=str(lat), longitude=str(lon), accuracy_m=10)
    again = _check_in(api_client, stops[0], "5b0c9a3e-1", latitude=str(lat), longitude=str(lon), accuracy_m=10)
    assert first.status_code == 201 and again.status_code == 200
    assert first.json()["id"] == again.json()["id"]
    assert CheckIn.objects.filter(stop=stops[0]).count() == 1


def test_a_far_check_in_is_accepted_with_its_flag(api_client, visitor_v, center_a, settings):
    settings.FIELD_CHECKIN_FAR_METRES = 300
    _tour, stops = make_tour(visitor_v, center_a)
    api_client.force_authenticate(visitor_v)
    lat, lon = POINTS[0]
    response = _check_in(api_client, stops[0], "far", latitude=str(lat + Decimal("0.02")), longitude=str(lon))
    assert response.status_code == 201 and response.json()["is_far"] is True
    assert response.json()["distance_m"] > 2000


def test_a_phone_position_with_many_decimals_is_rounded(api_client, visitor_v, center_a):
    _tour, stops = make_tour(visitor_v, center_a, stops=1, positions=False)
    api_client.force_authenticate(visitor_v)
    response = _check_in(api_client, stops[0], "p", latitude=35.70012345678, longitude=51.40043219876)
    assert response.status_code == 201, response.json()
    assert response.json()["latitude"] == "35.700123"


def test_bad_check_ins_are_400s_with_persian_field_errors(api_client, visitor_v, center_a):
    _tour, stops = make_tour(visitor_v, center_a)
    api_client.force_authenticate(visitor_v)
    future = (timezone.now() + datetime.timedelta(hours=2)).isoformat()
    response = api_client.post("/api/check-ins/", {"stop": stops[0].pk, "at": future}, format="json",
                               HTTP_IDEMPOTENCY_KEY="f")
    assert response.status_code == 400 and "آینده" in response.json()["at"][0]
    response = _check_in(api_client, stops[0], "half", latitude="35.7")
    assert response.status_code == 400 and "latitude" in response.json()
    response = api_client.post("/api/check-ins/", {"stop": "x", "at": "nonsense"}, format="json")
    assert response.status_code == 400 and {"stop", "at"} <= set(response.json())
    # A body that is not an object (schemathesis sent a list) is a 400 too, not a server error.
    for body in ([{"stop": stops[0].pk}], "35.7"):
        assert api_client.post("/api/check-ins/", body, format="json").status_code == 400
    assert not CheckIn.objects.exists()


def test_another_marketers_or_centers_stop_is_not_found(api_client, visitor_v, visitor_v2, visitor_vb, center_a,
                                                        center_b):
    _tour, stops = make_tour(visitor_v, center_a, stops=1)
    _tour_b, stops_b = make_tour(visitor_vb, center_b, stops=1)
    api_client.force_authenticate(visitor_v2)
    assert _check_in(api_client, stops[0], "a").status_code == 404
    api_client.force_authenticate(visitor_v)
    assert _check_in(api_client, stops_b[0], "b").status_code == 404
    assert api_client.post(f"/api/tour-stops/{stops_b[0].pk}/outcome/", {"notes": "x"}, format="json"
                           ).status_code == 404


def test_the_outcome_is_logged_once_when_replayed(api_client, visitor_v, center_a):
    _tour, stops = make_tour(visitor_v, center_a)
    api_client.force_authenticate(visitor_v)
    _check_in(api_client, stops[0], "c")
    body = {"outcome": "positive", "notes": "قرار سفارش ۲۰ دستگاه", "next_step": "ارسال پیش‌فاکتور"}
    first = api_client.post(f"/api/tour-stops/{stops[0].pk}/outcome/", body, format="json",
                            HTTP_IDEMPOTENCY_KEY="o-1")
    again = api_client.post(f"/api/tour-stops/{stops[0].pk}/outcome/", body, format="json",
                            HTTP_IDEMPOTENCY_KEY="o-1")
    assert first.status_code == 201 and again.status_code == 201
    assert first.json()["contact"] == again.json()["contact"]
    assert Contact.objects.filter(customer=stops[0].customer, kind="visit").count() == 1
    assert CheckIn.objects.get(stop=stops[0]).contact_id == first.json()["contact"]


def test_an_empty_outcome_is_a_400(api_client, visitor_v, center_a):
    _tour, stops = make_tour(visitor_v, center_a)
    api_client.force_authenticate(visitor_v)
    _check_in(api_client, stops[0], "c")
    response = api_client.post(f"/api/tour-stops/{stops[0].pk}/outcome/", {"outcome": "bogus"}, format="json")
    assert response.status_code == 400 and "outcome" in response.json()
    response = api_client.post(f"/api/tour-stops/{stops[0].pk}/outcome/", {}, format="json")
    assert response.status_code == 400 and "notes" in response.json()


def test_the_check_in_list_is_own_for_a_marketer_and_the_centers_for_a_manager(
        api_client, visitor_v, visitor_v2, visitor_vb, field_manager, center_a, center_b):
    _t1, stops = make_tour(visitor_v, center_a, stops=2)
    _t2, stops2 = make_tour(visitor_v2, center_a, stops=1)
    _t3, stops_b = make_tour(visitor_vb, center_b, stops=1)
    for user, stop in ((visitor_v, stops[0]), (visitor_v2, stops2[0]), (visitor_vb, stops_b[0])):
        api_client.force_authenticate(user)
        _check_in(api_client, stop, f"k-{stop.pk}")
    api_client.force_authenticate(visitor_v)
    assert [row["stop"] for row in api_client.get("/api/check-ins/").json()["results"]] == [stops[0].pk]
    api_client.force_authenticate(field_manager)
    rows = api_client.get("/api/check-ins/").json()["results"]
    assert {row["stop"] for row in rows} == {stops[0].pk, stops2[0].pk}
    rows = api_client.get("/api/check-ins/", {"marketer": visitor_v2.pk, "is_far": "false"}).json()["results"]
    assert [row["stop"] for row in rows] == [stops2[0].pk]


def test_skipping_a_stop(api_client, visitor_v, center_a):
    _tour, stops = make_tour(visitor_v, center_a)
    api_client.force_authenticate(visitor_v)
    response = api_client.post(f"/api/tour-stops/{stops[2].pk}/skip/", {"reason": "تعطیل بود"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "skipped"
