"""Places, routes and tours through their services: the rules a manager meets while planning a marketer's days."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from aftersales.field import services_tours as services
from aftersales.field.models import Place, Tour, TourDay, TourStop
from aftersales.field.selectors_tours import day_figures, day_schematic, day_stops, stop_candidates, tour_list
from tests.field.conftest_tours import dealers, make_party, make_tour, tour_visitor, tour_visitor_b  # noqa: F401

pytestmark = pytest.mark.django_db


def _messages(error) -> str:
    return " ".join(error.value.messages)


# --- places and routes ----------------------------------------------------------------------------------------

def test_a_place_takes_both_coordinates_or_neither(center_a, manager_a, tour_visitor):
    party = make_party(center_a, tour_visitor, "فروشگاه آزمون")
    with pytest.raises(ValidationError) as error:
        services.place_create(customer=party.customer, center=center_a, acting_user=manager_a, latitude=35.7)
    assert "longitude" in error.value.message_dict
    assert "با هم" in _messages(error)


def test_a_place_refuses_coordinates_out_of_range(center_a, manager_a, tour_visitor):
    party = make_party(center_a, tour_visitor, "فروشگاه آزمون")
    with pytest.raises(ValidationError) as error:
        services.place_create(customer=party.customer, center=center_a, acting_user=manager_a, latitude=95,
                              longitude=51.4)
    assert set(error.value.message_dict) == {"latitude"}
    assert not Place.objects.exists()


def test_a_place_closing_before_it_opens_is_refused(center_a, manager_a, tour_visitor):
    party = make_party(center_a, tour_visitor, "فروشگاه آزمون")
    with pytest.raises(ValidationError) as error:
        services.place_create(customer=party.customer, center=center_a, acting_user=manager_a,
                              opens_at=datetime.time(18, 0), closes_at=datetime.time(9, 0))
    assert "closes_at" in error.value.message_dict


def test_typed_coordinates_are_marked_typed_and_a_visitor_may_record_a_place(center_a, tour_visitor):
    party = make_party(center_a, tour_visitor, "فروشگاه آزمون")
    place = services.place_create(customer=party.customer, center=center_a, acting_user=tour_visitor,
                                  latitude="35.7", longitude="51.4")
    assert place.position_source == Place.Source.TYPED
    place = services.place_update(place=place, acting_user=tour_visitor, latitude=None, longitude=None)
    assert place.position_source == ""


def test_a_manager_cannot_record_a_place_in_another_center(center_b, manager_a, tour_visitor_b):
    party = make_party(center_b, tour_visitor_b, "فروشگاه اصفهان")
    with pytest.raises(PermissionDenied):
        services.place_create(customer=party.customer, center=center_b, acting_user=manager_a)


def test_a_route_keeps_its_places_in_order(center_a, manager_a, dealers):
    route = services.route_create(name="شمال تهران", center=center_a, acting_user=manager_a)
    places = list(Place.objects.filter(customer__in=dealers[:3]).order_by("pk"))
    for place in places:
        services.route_place_add(route=route, place=place, acting_user=manager_a)
    assert list(route.places.order_by("route_order").values_list("pk", flat=True)) == [p.pk for p in places]
    services.route_order_set(route=route, place_ids=[places[2].pk, places[0].pk, places[1].pk], acting_user=manager_a)
    assert list(route.places.order_by("route_order").values_list("pk", flat=True)) == [
        places[2].pk, places[0].pk, places[1].pk]
    with pytest.raises(ValidationError):
        services.route_order_set(route=route, place_ids=[places[0].pk], acting_user=manager_a)
    services.route_place_remove(route=route, place=places[0], acting_user=manager_a)
    assert route.places.count() == 2


# --- tours ----------------------------------------------------------------------------------------------------

def test_a_tour_for_a_marketer_of_another_center_is_refused(make_tour, tour_visitor_b):
    with pytest.raises(ValidationError) as error:
        make_tour(marketer=tour_visitor_b)
    assert "marketer" in error.value.message_dict
    assert not Tour.objects.exists()


def test_working_hours_that_end_before_they_start_are_refused(make_tour):
    with pytest.raises(ValidationError) as error:
        make_tour(day_starts_at=datetime.time(17, 0), day_ends_at=datetime.time(8, 0))
    assert "day_ends_at" in error.value.message_dict


def test_a_tour_ending_before_it_starts_is_refused(make_tour):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as error:
        make_tour(start_date=today, end_date=today - datetime.timedelta(days=1))
    assert "end_date" in error.value.message_dict


def test_a_center_manager_cannot_plan_a_tour_in_another_center(make_tour, center_b, manager_b, tour_visitor,
                                                                manager_a):
    with pytest.raises(PermissionDenied):
        make_tour(center=center_b, acting_user=manager_a, marketer=tour_visitor)


def test_a_double_submit_creates_one_tour(make_tour):
    first = make_tour(submission_key="key-1")
    second = make_tour(submission_key="key-1")
    assert first.pk == second.pk
    assert Tour.objects.count() == 1


def test_stops_beyond_the_tours_range_are_refused(make_tour, dealers, manager_a):
    tour = make_tour()
    with pytest.raises(ValidationError) as error:
        services.tour_add_stops(tour=tour, date=tour.end_date + datetime.timedelta(days=1), customers=dealers[:2],
                                acting_user=manager_a)
    assert "date" in error.value.message_dict
    assert not TourStop.objects.exists()


def test_a_party_twice_on_a_day_is_refused_with_its_name(make_tour, dealers, manager_a):
    tour = make_tour()
    services.tour_add_stops(tour=tour, date=tour.start_date, customers=dealers[:2], acting_user=manager_a)
    with pytest.raises(ValidationError) as error:
        services.tour_add_stops(tour=tour, date=tour.start_date, customers=[dealers[1]], acting_user=manager_a)
    assert str(dealers[1]) in _messages(error)
    assert TourStop.objects.count() == 2
    # The same party on another day is fine.
    services.tour_add_stops(tour=tour, date=tour.start_date + datetime.timedelta(days=1), customers=[dealers[1]],
                            acting_user=manager_a)


def test_a_stale_version_is_refused(make_tour, dealers, manager_a):
    tour = make_tour()
    version = tour.version
    services.tour_add_stops(tour=tour, date=tour.start_date, customers=dealers[:1], acting_user=manager_a,
                            version=version)
    with pytest.raises(ValidationError) as error:  # a second manager still holds the old version
        services.tour_add_stops(tour=tour, date=tour.start_date, customers=dealers[1:2], acting_user=manager_a,
                                version=version)
    assert error.value.code == services.STALE
    assert TourStop.objects.count() == 1


def _optimised_day(make_tour, dealers, manager_a):
    tour = make_tour()
    services.tour_add_stops(tour=tour, date=tour.start_date, customers=dealers, acting_user=manager_a)
    day = services.tour_day_optimise(tour=tour, date=tour.start_date, acting_user=manager_a, time_limit_s=1)
    return tour, day


def test_optimising_orders_the_day_and_puts_the_stop_without_coordinates_last(make_tour, dealers, manager_a):
    tour, day = _optimised_day(make_tour, dealers, manager_a)
    stops = day_stops(day)
    assert [stop.order for stop in stops] == list(range(1, 9))
    assert stops[-1].customer == dealers[-1]
    assert stops[-1].flag == TourStop.Flag.NO_POSITION
    assert all(stop.flag == "" and stop.planned_arrival is not None for stop in stops[:-1])
    arrivals = [stop.planned_arrival for stop in stops[:-1]]
    assert arrivals == sorted(arrivals)
    assert day.planned_distance_m <= day.typed_distance_m
    assert not day.is_partial
    figures = day_figures(day)
    assert figures.planned_km <= figures.typed_km
    assert figures.saved_percent >= 0
    assert TourDay.objects.get(pk=day.pk).optimised_at is not None


def test_a_pinned_stop_keeps_its_place_in_the_order(make_tour, dealers, manager_a):
    tour, day = _optimised_day(make_tour, dealers, manager_a)
    stops = day_stops(day)
    pinned = stops[4]
    services.tour_stop_pin(stop=pinned, pinned=True, acting_user=manager_a)
    services.tour_day_optimise(tour=tour, date=tour.start_date, acting_user=manager_a, time_limit_s=1)
    pinned.refresh_from_db()
    assert pinned.order == 5
    assert pinned.is_pinned


def test_a_stop_without_coordinates_cannot_be_pinned(make_tour, dealers, manager_a):
    tour, day = _optimised_day(make_tour, dealers, manager_a)
    with pytest.raises(ValidationError):
        services.tour_stop_pin(stop=day_stops(day)[-1], pinned=True, acting_user=manager_a)


def test_windows_that_cannot_all_be_met_give_a_partial_plan_with_the_stops_flagged(make_tour, dealers, manager_a):
    tour = make_tour(day_starts_at=datetime.time(8, 0), day_ends_at=datetime.time(10, 0))
    for customer in dealers[:6]:
        place = Place.objects.get(customer=customer)
        services.place_update(place=place, acting_user=manager_a, opens_at=datetime.time(8, 0),
                              closes_at=datetime.time(8, 40), visit_minutes=30)
    services.tour_add_stops(tour=tour, date=tour.start_date, customers=dealers[:6], acting_user=manager_a)
    day = services.tour_day_optimise(tour=tour, date=tour.start_date, acting_user=manager_a, time_limit_s=1)
    assert day.is_partial
    flagged = [stop for stop in day_stops(day) if stop.flag == TourStop.Flag.NOT_FITTED]
    assert flagged and len(flagged) < 6
    assert day.stops.count() == 6  # nothing dropped


def test_moving_a_stop_retypes_the_order_and_drops_the_days_figures(make_tour, dealers, manager_a):
    tour, day = _optimised_day(make_tour, dealers, manager_a)
    last = day_stops(day)[-2]
    services.tour_stop_move(stop=last, position=1, acting_user=manager_a)
    day.refresh_from_db()
    assert day_stops(day)[0] == last
    assert day_stops(day, typed=True)[0] == last
    assert day.optimised_at is None and day.planned_distance_m is None
    with pytest.raises(ValidationError):
        services.tour_stop_move(stop=last, position=99, acting_user=manager_a)


def test_publishing_needs_stops_and_happens_once(make_tour, dealers, manager_a):
    tour = make_tour()
    with pytest.raises(ValidationError):
        services.tour_publish(tour=tour, acting_user=manager_a)
    services.tour_add_stops(tour=tour, date=tour.start_date, customers=dealers[:1], acting_user=manager_a)
    tour = services.tour_publish(tour=tour, acting_user=manager_a)
    assert tour.status == Tour.Status.PUBLISHED
    with pytest.raises(ValidationError):
        services.tour_publish(tour=tour, acting_user=manager_a)


def test_a_visitor_sees_only_their_own_tours(make_tour, tour_visitor, center_a, manager_a):
    from tests.factories import UserFactory
    from aftersales.organization.roles import Role

    colleague = UserFactory(username="colleague", role=Role.VISITOR, centers=[center_a])
    mine = make_tour()
    make_tour(marketer=colleague, name="تور همکار")
    assert list(tour_list(user=tour_visitor)) == [mine]
    assert tour_list(user=manager_a).count() == 2


def test_candidates_from_the_crm_filter_by_rating_and_last_contact(make_tour, dealers, manager_a):
    tour = make_tour()
    hot = stop_candidates(user=manager_a, tour=tour, rating="hot")
    assert {customer for customer, _place in hot} == {dealers[index] for index in (0, 2, 4, 6)}
    stale = stop_candidates(user=manager_a, tour=tour, stale_days=30)
    assert len(stale) == 8  # never contacted


def test_candidates_with_an_appointment_in_the_tours_dates(make_tour, dealers, manager_a, tour_visitor):
    from aftersales.crm.models import Party
    from aftersales.crm.services import appointment_book

    tour = make_tour()
    at = timezone.make_aware(datetime.datetime.combine(tour.start_date + datetime.timedelta(days=1),
                                                       datetime.time(11, 0)))
    appointment_book(party=Party.objects.get(customer=dealers[3]), at=at, acting_user=tour_visitor)
    found = stop_candidates(user=manager_a, tour=tour, appointments=True)
    assert [customer for customer, _place in found] == [dealers[3]]


def test_the_schematic_projects_the_located_stops_into_its_box(make_tour, dealers, manager_a):
    tour, day = _optimised_day(make_tour, dealers, manager_a)
    drawing = day_schematic(TourDay.objects.select_related("tour").get(pk=day.pk), day_stops(day))
    assert len(drawing["points"]) == 7  # the one without coordinates is not drawn
    assert all(0 <= point.x <= drawing["width"] and 0 <= point.y <= drawing["height"] for point in drawing["points"])
    assert drawing["start"] is not None
    # North is up: Tajrish (north) is drawn above Yusefabad (south).
    by_name = {point.label: point for point in drawing["points"]}
    assert by_name[str(dealers[1])].y < by_name[str(dealers[4])].y
