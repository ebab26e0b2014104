"""The pages of places, routes and tours: a manager plans a day and sees the typed and proposed orders side by
side on a schematic map; a visitor reads only their own tours."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from aftersales.field import services_tours as services
from aftersales.field.models import Place, Route, Tour, TourDay, TourStop
from tests.field.conftest_tours import dealers, make_party, make_tour, tour_visitor, tour_visitor_b  # noqa: F401

pytestmark = pytest.mark.django_db


def _jalali(day):
    from aftersales.core.jalali import format_date

    return format_date(day, latin_digits=True)


def test_a_manager_plans_a_tour_from_the_form(login, manager_a, center_a, tour_visitor):
    client = login(manager_a)
    page = client.get(reverse("field:tour-create"))
    assert page.status_code == 200
    key = page.context["form"].initial["submission_key"]
    today = timezone.localdate()
    data = {"name": "تور آزمون", "center": center_a.pk, "marketer": tour_visitor.pk, "start_date": _jalali(today),
            "end_date": _jalali(today + datetime.timedelta(days=2)), "day_starts_at": "08:00",
            "day_ends_at": "17:00", "start_latitude": "۳۵٫۷۳۱", "start_longitude": "51.426", "submission_key": key}
    response = client.post(reverse("field:tour-create"), data)
    assert response.status_code == 302
    client.post(reverse("field:tour-create"), data)  # the twin submit
    tour = Tour.objects.get()
    assert str(tour.start_latitude) == "35.731000"


def test_the_tour_form_refuses_working_hours_ending_before_they_start(login, manager_a, center_a, tour_visitor):
    today = timezone.localdate()
    response = login(manager_a).post(reverse("field:tour-create"), {
        "name": "تور", "center": center_a.pk, "marketer": tour_visitor.pk, "start_date": _jalali(today),
        "end_date": _jalali(today), "day_starts_at": "17:00", "day_ends_at": "09:00"})
    assert response.status_code == 200
    assert response.context["form"].errors["day_ends_at"]
    assert not Tour.objects.exists()


def test_the_form_offers_no_marketer_of_another_center(login, manager_a, center_a, tour_visitor, tour_visitor_b):
    today = timezone.localdate()
    response = login(manager_a).post(reverse("field:tour-create"), {
        "name": "تور", "center": center_a.pk, "marketer": tour_visitor_b.pk, "start_date": _jalali(today),
        "end_date": _jalali(today), "day_starts_at": "08:00", "day_ends_at": "17:00"})
    assert response.context["form"].errors["marketer"]
    assert not Tour.objects.exists()


def test_stops_from_a_filter_go_to_the_day_and_a_day_outside_the_range_is_refused(login, manager_a, make_tour,
                                                                                  dealers):
    tour = make_tour()
    client = login(manager_a)
    outside = client.post(reverse("field:tour-stops-add", args=[tour.pk]), {
        "date": _jalali(tour.end_date + datetime.timedelta(days=5)), "source": "filter", "rating": "hot",
        "version": tour.version})
    assert outside.status_code == 400
    assert outside.context["add_form"].errors["date"]
    response = client.post(reverse("field:tour-stops-add", args=[tour.pk]), {
        "date": _jalali(tour.start_date), "source": "filter", "rating": "hot", "version": tour.version})
    day = TourDay.objects.get(tour=tour)
    assert response.status_code == 302 and response["Location"] == reverse("field:tour-day", args=[day.pk])
    assert day.stops.count() == 4
    again = client.post(reverse("field:tour-stops-add", args=[tour.pk]), {
        "date": _jalali(tour.start_date), "source": "parties", "parties": str(dealers[0].pk),
        "version": Tour.objects.get().version})
    assert again.status_code == 400
    assert str(dealers[0]) in " ".join(again.context["add_form"].errors["customers"]
                                       if "customers" in again.context["add_form"].errors
                                       else again.context["add_form"].non_field_errors())


def _planned_day(make_tour, dealers, manager_a):
    tour = make_tour()
    services.tour_add_stops(tour=tour, date=tour.start_date, customers=dealers, acting_user=manager_a)
    return tour, TourDay.objects.get(tour=tour)


def test_the_day_page_optimises_and_shows_both_orders_with_a_schematic_map(login, manager_a, make_tour, dealers,
                                                                            settings):
    settings.FIELD_MAP_TILE_URL = ""
    tour, day = _planned_day(make_tour, dealers, manager_a)
    client = login(manager_a)
    before = client.get(reverse("field:tour-day", args=[day.pk]))
    assert 'data-testid="day-not-optimised"' in before.content.decode()
    response = client.post(reverse("field:tour-day-optimise", args=[day.pk]),
                           {"version": Tour.objects.get().version},
                           follow=True)
    html = response.content.decode()
    assert 'data-testid="day-figures"' in html
    assert 'data-testid="day-schematic"' in html
    assert html.count('data-testid="map-point"') == 7
    assert 'data-testid="map-start"' in html
    assert 'data-testid="flag-no-position"' in html
    assert "leaflet" not in html  # no tiles configured: no map library, no foreign host
    svg = html[html.index("<svg"):html.index("</svg>")]
    assert "style=" not in svg
    typed_km = re.search(r'data-testid="typed-km">([^<]*)<', html).group(1)
    assert re.fullmatch(r"[۰-۹٫٬]+", typed_km), typed_km  # Persian digits


def test_the_day_page_draws_tiles_when_the_site_names_a_tile_server(login, manager_a, make_tour, dealers, settings):
    settings.FIELD_MAP_TILE_URL = "https://tiles.example.ir/{z}/{x}/{y}.png"
    tour, day = _planned_day(make_tour, dealers, manager_a)
    response = login(manager_a).get(reverse("field:tour-day", args=[day.pk]))
    html = response.content.decode()
    assert "/static/vendor/leaflet/leaflet.js" in html and "field/map.js" in html
    assert 'id="field-map-data"' in html
    assert "https://tiles.example.ir" in response["Content-Security-Policy"]


def test_pin_and_move_from_the_day_page(login, manager_a, make_tour, dealers):
    tour, day = _planned_day(make_tour, dealers, manager_a)
    client = login(manager_a)
    stop = day.stops.order_by("order")[2]
    client.post(reverse("field:tour-stop-pin", args=[stop.pk]), {"version": Tour.objects.get().version})
    assert TourStop.objects.get(pk=stop.pk).is_pinned
    client.post(reverse("field:tour-stop-move", args=[stop.pk]), {"position": "۱",
                                                                   "version": Tour.objects.get().version})
    assert TourStop.objects.get(pk=stop.pk).order == 1


def test_a_stale_page_is_told_to_reload(login, manager_a, make_tour, dealers):
    tour, day = _planned_day(make_tour, dealers, manager_a)
    stop = day.stops.first()
    response = login(manager_a).post(reverse("field:tour-stop-pin", args=[stop.pk]), {"version": 1}, follow=True)
    assert not TourStop.objects.get(pk=stop.pk).is_pinned
    assert any("reload" in str(message) or "دوباره" in str(message) for message in response.context["messages"])


def test_a_visitor_reads_their_own_tour_but_cannot_plan(login, tour_visitor, make_tour, dealers, manager_a,
                                                        center_a):
    from aftersales.organization.roles import Role
    from tests.factories import UserFactory

    tour, day = _planned_day(make_tour, dealers, manager_a)
    client = login(tour_visitor)
    assert client.get(reverse("field:tour-list")).status_code == 200
    page = client.get(reverse("field:tour-day", args=[day.pk]))
    assert page.status_code == 200
    assert 'data-testid="day-optimise"' not in page.content.decode()
    assert client.post(reverse("field:tour-day-optimise", args=[day.pk])).status_code == 403
    colleague = UserFactory(username="colleague", role=Role.VISITOR, centers=[center_a])
    assert login(colleague).get(reverse("field:tour-detail", args=[tour.pk])).status_code == 404


def test_a_place_is_recorded_with_typed_coordinates(login, manager_a, center_a, tour_visitor, settings):
    settings.FIELD_MAP_TILE_URL = ""
    party = make_party(center_a, tour_visitor, "فروشگاه آزمون")
    client = login(manager_a)
    page = client.get(reverse("field:place-create"))
    assert "leaflet" not in page.content.decode()
    bad = client.post(reverse("field:place-create"), {"customer": party.pk, "center": center_a.pk,
                                                      "latitude": "35.7", "visit_minutes": "20"})
    assert bad.context["form"].errors["longitude"]
    response = client.post(reverse("field:place-create"), {
        "customer": party.pk, "center": center_a.pk, "latitude": "۳۵٫۷۰۰۱", "longitude": "51.4", "visit_minutes": "۲۵",
        "opens_at": "09:00", "closes_at": "18:00"})
    assert response.status_code == 302
    place = Place.objects.get()
    assert place.visit_minutes == 25 and place.position_source == Place.Source.TYPED


def test_a_route_is_made_and_its_places_ordered_from_its_page(login, manager_a, center_a, dealers):
    client = login(manager_a)
    response = client.post(reverse("field:route-create"), {"name": "مسیر ونک", "center": center_a.pk,
                                                           "is_active": "on"})
    route = Route.objects.get()
    assert response["Location"] == reverse("field:route-detail", args=[route.pk])
    first, second = Place.objects.filter(customer__in=dealers[:2]).order_by("pk")
    for place in (first, second):
        client.post(reverse("field:route-place-add", args=[route.pk]), {"place": place.pk})
    client.post(reverse("field:route-place-up", args=[route.pk]), {"place": second.pk})
    assert list(route.places.order_by("route_order")) == [second, first]
    page = client.get(reverse("field:route-detail", args=[route.pk]))
    assert page.status_code == 200 and str(dealers[0]) in page.content.decode()
    assert client.get(reverse("field:route-list")).status_code == 200
    assert client.get(reverse("field:place-list")).status_code == 200


def test_optimising_with_htmx_swaps_the_days_body_with_its_message(login, manager_a, make_tour, dealers):
    tour, day = _planned_day(make_tour, dealers, manager_a)
    response = login(manager_a).post(reverse("field:tour-day-optimise", args=[day.pk]),
                                     {"version": Tour.objects.get().version}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert 'data-testid="day-figures"' in html and 'role="status"' in html
