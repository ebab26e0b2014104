"""The API of routes, places and tours: scoped, 400 with field errors, a day optimised over REST."""

import datetime

import pytest
from django.utils import timezone

from aftersales.field.models import Place, Route, Tour, TourStop
from tests.field.conftest_tours import dealers, make_party, make_tour, tour_visitor, tour_visitor_b  # noqa: F401

pytestmark = pytest.mark.django_db


def test_a_manager_plans_and_optimises_a_day_over_the_api(api_client, manager_a, center_a, tour_visitor, dealers):
    api_client.force_authenticate(manager_a)
    today = timezone.localdate()
    created = api_client.post("/api/tours/", {
        "name": "تور API", "center": center_a.pk, "marketer": tour_visitor.pk, "start_date": today.isoformat(),
        "end_date": (today + datetime.timedelta(days=2)).isoformat(), "start_latitude": 35.731,
        "start_longitude": 51.426}, format="json", HTTP_IDEMPOTENCY_KEY="api-tour-1")
    assert created.status_code == 201, created.json()
    again = api_client.post("/api/tours/", {
        "name": "تور API", "center": center_a.pk, "marketer": tour_visitor.pk, "start_date": today.isoformat(),
        "end_date": (today + datetime.timedelta(days=2)).isoformat()}, format="json",
        HTTP_IDEMPOTENCY_KEY="api-tour-1")
    assert again.json()["id"] == created.json()["id"]
    tour_id = created.json()["id"]
    stops = api_client.post(f"/api/tours/{tour_id}/stops/", {
        "date": today.isoformat(), "customers": [customer.pk for customer in dealers]}, format="json")
    assert stops.status_code == 201 and len(stops.json()) == 8
    duplicate = api_client.post(f"/api/tours/{tour_id}/stops/", {"date": today.isoformat(),
                                                                 "customers": [dealers[0].pk]}, format="json")
    assert duplicate.status_code == 400 and "customers" in duplicate.json()
    optimised = api_client.post(f"/api/tours/{tour_id}/days/{today.isoformat()}/optimise/", {}, format="json")
    assert optimised.status_code == 200, optimised.json()
    body = optimised.json()
    assert body["planned_distance_m"] <= body["typed_distance_m"]
    assert [stop["flag"] for stop in body["stops"]].count("no_position") == 1
    detail = api_client.get(f"/api/tours/{tour_id}/").json()
    assert len(detail["days"]) == 1 and len(detail["days"][0]["stops"]) == 8


def test_bad_input_is_a_400_with_field_errors(api_client, manager_a, center_a, tour_visitor, tour_visitor_b):
    api_client.force_authenticate(manager_a)
    today = timezone.localdate().isoformat()
    hours = api_client.post("/api/tours/", {"name": "x", "center": center_a.pk, "marketer": tour_visitor.pk,
                                            "start_date": today, "end_date": today, "day_starts_at": "18:00",
                                            "day_ends_at": "08:00"}, format="json")
    assert hours.status_code == 400 and "day_ends_at" in hours.json()
    other = api_client.post("/api/tours/", {"name": "x", "center": center_a.pk, "marketer": tour_visitor_b.pk,
                                            "start_date": today, "end_date": today}, format="json")
    assert other.status_code == 400 and "marketer" in other.json()
    party = make_party(center_a, tour_visitor, "فروشگاه آزمون")
    place = api_client.post("/api/places/", {"customer": party.pk, "center": center_a.pk, "latitude": 35.7},
                            format="json")
    assert place.status_code == 400 and "longitude" in place.json()
    far = api_client.post("/api/places/", {"customer": party.pk, "center": center_a.pk, "latitude": 135,
                                           "longitude": 51}, format="json")
    assert far.status_code == 400 and "latitude" in far.json()
    assert not Tour.objects.exists() and not Place.objects.exists()


def test_optimising_a_day_outside_the_tour_is_a_400(api_client, manager_a, make_tour, dealers):
    tour = make_tour()
    api_client.force_authenticate(manager_a)
    late = (tour.end_date + datetime.timedelta(days=3)).isoformat()
    response = api_client.post(f"/api/tours/{tour.pk}/days/{late}/optimise/", {}, format="json")
    assert response.status_code == 400 and "date" in response.json()
    assert api_client.post(f"/api/tours/{tour.pk}/days/not-a-date/optimise/", {}, format="json").status_code == 404


def test_places_and_routes_over_the_api(api_client, manager_a, center_a, tour_visitor):
    api_client.force_authenticate(manager_a)
    route = api_client.post("/api/routes/", {"name": "مسیر ونک", "center": center_a.pk}, format="json")
    assert route.status_code == 201
    party = make_party(center_a, tour_visitor, "فروشگاه آزمون")
    place = api_client.post("/api/places/", {"customer": party.pk, "center": center_a.pk, "latitude": "35.75",
                                             "longitude": "51.41", "route": route.json()["id"]}, format="json")
    assert place.status_code == 201, place.json()
    changed = api_client.patch(f"/api/places/{place.json()['id']}/", {"visit_minutes": 45}, format="json")
    assert changed.status_code == 200 and changed.json()["visit_minutes"] == 45
    assert changed.json()["latitude"] == 35.75
    detail = api_client.get(f"/api/routes/{route.json()['id']}/").json()
    assert [item["id"] for item in detail["places"]] == [place.json()["id"]]
    assert api_client.get("/api/places/").json()["count"] == 1
    assert Route.objects.count() == 1


def test_a_visitor_lists_only_their_own_tours_and_cannot_create(api_client, tour_visitor, make_tour, center_a):
    from aftersales.organization.roles import Role
    from tests.factories import UserFactory

    colleague = UserFactory(username="colleague", role=Role.VISITOR, centers=[center_a])
    mine = make_tour()
    theirs = make_tour(marketer=colleague, name="تور همکار")
    api_client.force_authenticate(tour_visitor)
    listed = api_client.get("/api/tours/").json()
    assert [row["id"] for row in listed["results"]] == [mine.pk]
    assert api_client.get(f"/api/tours/{theirs.pk}/").status_code == 404
    today = timezone.localdate().isoformat()
    assert api_client.post("/api/tours/", {"name": "x", "center": center_a.pk, "marketer": tour_visitor.pk,
                                           "start_date": today, "end_date": today}, format="json").status_code == 403
    assert not TourStop.objects.exists()
