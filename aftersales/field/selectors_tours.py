"""Reads of places, routes and tours, scoped to the caller's centers (F48, F47, F02).

A visitor (no right to plan tours) sees only the tours where they are the marketer; managers see every
tour of their centers (of the whole network for a role that spans them).
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from aftersales.core.persian import normalize_text
from aftersales.crm.models import Appointment
from aftersales.crm.selectors import party_list
from aftersales.organization.scoping import scope_queryset

from .models import Place, Route, Tour, TourDay, TourStop

#: A "last contact older than N days" filter looks back at most this far.
MAX_DAYS = 36_500


def _clean(query: str) -> str:
    return normalize_text((query or "").replace("\x00", "")).strip()


def plans_tours(user) -> bool:
    """Whether ``user`` plans tours (a manager) rather than only following their own (a visitor)."""
    return user.has_perm("field.change_tour")


def marketers_for(user):
    """The marketers a manager may plan tours for: active marketing people of the manager's centers."""
    from aftersales.crm.day import marketers_for as crm_marketers_for

    return crm_marketers_for(user)


# --- places and routes ----------------------------------------------------------------------------------------

def place_list(*, user, customer: int | None = None, route: int | None = None, query: str = "",
               without_position: bool = False) -> QuerySet:
    places = scope_queryset(Place.objects.select_related("customer", "center", "route", "address"), user)
    if customer:
        places = places.filter(customer_id=customer)
    if route:
        places = places.filter(route_id=route)
    if without_position:
        places = places.filter(latitude__isnull=True)
    query = _clean(query)
    if query:
        places = places.filter(Q(name__icontains=query) | Q(customer__company_name__icontains=query)
                               | Q(customer__last_name__icontains=query) | Q(customer__first_name__icontains=query))
    return places.order_by("customer__company_name", "customer__last_name", "pk")


def place_get(*, user, pk: int) -> Place:
    return place_list(user=user).get(pk=pk)


def route_list(*, user, territory: int | None = None, query: str = "", active_only: bool = False) -> QuerySet:
    routes = scope_queryset(Route.objects.select_related("center", "territory"), user).annotate(
        place_count=Count("places"))
    if territory:
        routes = routes.filter(territory_id=territory)
    if active_only:
        routes = routes.filter(is_active=True)
    query = _clean(query)
    if query:
        routes = routes.filter(name__icontains=query)
    return routes.order_by("name", "pk")


def route_places(route: Route) -> list[Place]:
    return list(route.places.select_related("customer").order_by("route_order", "pk"))


# --- tours ----------------------------------------------------------------------------------------------------

def tour_list(*, user, status: str = "", marketer: int | None = None, query: str = "",
              on: datetime.date | None = None) -> QuerySet:
    """The tours ``user`` may see: their centers' (a manager) or their own (a visitor)."""
    tours = scope_queryset(Tour.objects.select_related("center", "marketer"), user)
    if not plans_tours(user):
        tours = tours.filter(marketer=user)
    elif marketer:
        tours = tours.filter(marketer_id=marketer)
    if status:
        tours = tours.filter(status=status)
    if on is not None:
        tours = tours.filter(start_date__lte=on, end_date__gte=on)
    query = _clean(query)
    if query:
        tours = tours.filter(Q(name__icontains=query) | Q(marketer__last_name__icontains=query)
                             | Q(marketer__username__icontains=query))
    return tours


def tour_get(*, user, pk: int) -> Tour:
    return tour_list(user=user).get(pk=pk)


def _stops():
    return TourStop.objects.select_related("customer", "place").order_by("order", "pk")


def tour_days(tour: Tour) -> list[TourDay]:
    """The tour's planned days with their stops (planned order), and a count of stops."""
    days = list(tour.days.annotate(stop_count=Count("stops")).prefetch_related(Prefetch("stops", queryset=_stops()))
                .order_by("date"))
    for day in days:
        day.planned_km = None if day.planned_distance_m is None else round(day.planned_distance_m / 1000, 1)
    return days


def tour_day_list(*, user) -> QuerySet:
    """The days of the tours ``user`` may see."""
    return TourDay.objects.filter(tour__in=tour_list(user=user)).select_related("tour", "tour__marketer",
                                                                                 "tour__center")


def tour_day_get(*, user, pk: int) -> TourDay:
    return tour_day_list(user=user).get(pk=pk)


def tour_stop_get(*, user, pk: int) -> TourStop:
    return TourStop.objects.filter(day__in=tour_day_list(user=user)).select_related("day", "day__tour",
                                                                                    "place").get(pk=pk)


def day_stops(day: TourDay, *, typed: bool = False) -> list[TourStop]:
    stops = day.stops.select_related("customer", "place")
    return list(stops.order_by("typed_order", "pk") if typed else stops.order_by("order", "pk"))


@dataclass
class DayFigures:
    """The day's typed order against the planned one: km and minutes, and the share saved."""

    typed_km: float | None
    planned_km: float | None
    typed_minutes: int | None
    planned_minutes: int | None
    saved_percent: int | None
    time_saved_percent: int | None


def day_figures(day: TourDay) -> DayFigures:
    def km(metres):
        return None if metres is None else round(metres / 1000, 1)

    def minutes(seconds):
        return None if seconds is None else round(seconds / 60)

    def saved(typed, planned):
        if not typed or planned is None:
            return None
        return round(100 * (typed - planned) / typed)

    return DayFigures(km(day.typed_distance_m), km(day.planned_distance_m), minutes(day.typed_duration_s),
                      minutes(day.planned_duration_s), saved(day.typed_distance_m, day.planned_distance_m),
                      saved(day.typed_duration_s, day.planned_duration_s))


# --- choosing stops -------------------------------------------------------------------------------------------

def stop_candidates(*, user, tour: Tour, route: Route | None = None, state: str = "", rating: str = "",
                    stale_days: int | None = None, appointments: bool = False, party_type: str = "",
                    marketer_only: bool = False) -> list:
    """The customers a manager adds to a tour's day: a route's places in its order, or the CRM's parties of the
    tour's team filtered by stage, rating, type, last contact older than ``stale_days`` and appointments booked
    in the tour's range (from the CRM's plan). Returns ``(customer, place or None)`` pairs."""
    if route is not None:
        return [(place.customer, place) for place in route_places(route)]
    parties = party_list(user=user, state=state or None, rating=rating, party_type=party_type or None,
                         stale_days=None if stale_days is None else min(int(stale_days), MAX_DAYS),
                         center=tour.center_id)
    parties = parties.exclude(status__in=("do_not_contact", "disqualified"))
    if marketer_only:
        parties = parties.filter(marketer=tour.marketer_id)
    if appointments:
        start = timezone.make_aware(datetime.datetime.combine(tour.start_date, datetime.time.min))
        end = timezone.make_aware(datetime.datetime.combine(tour.end_date + datetime.timedelta(days=1),
                                                            datetime.time.min))
        due = Appointment.objects.filter(status=Appointment.Status.BOOKED, at__gte=start, at__lt=end)
        parties = parties.filter(customer_id__in=due.values("party_id"))
    return [(party.customer, None) for party in parties.order_by("customer_id")[:200]]


# --- the schematic map ----------------------------------------------------------------------------------------

@dataclass
class MapPoint:
    x: float
    y: float
    number: int
    label: str
    flag: str = ""


def day_schematic(day: TourDay, stops: list[TourStop], *, width: int = 640, height: int = 400,
                  margin: int = 28) -> dict | None:
    """The day's stops projected into a box (equirectangular, scaled by the latitude's cosine): numbered
    points in the planned order, the lines between them and the start point, for a server-drawn SVG. None
    when no stop has coordinates."""
    import math

    located = [stop for stop in stops if stop.place is not None and stop.place.has_position]
    tour = day.tour
    start = None
    if tour.start_latitude is not None and tour.start_longitude is not None:
        start = (float(tour.start_latitude), float(tour.start_longitude))
    coords = [(float(stop.place.latitude), float(stop.place.longitude)) for stop in located]
    if not coords:
        return None
    every = coords + ([start] if start else [])
    lats, lons = [c[0] for c in every], [c[1] for c in every]
    scale_lon = math.cos(math.radians(sum(lats) / len(lats)))
    span_x = max((max(lons) - min(lons)) * scale_lon, 1e-6)
    span_y = max(max(lats) - min(lats), 1e-6)
    factor = min((width - 2 * margin) / span_x, (height - 2 * margin) / span_y)
    offset_x = (width - span_x * factor) / 2
    offset_y = (height - span_y * factor) / 2

    def project(lat, lon):
        return (round(offset_x + (lon - min(lons)) * scale_lon * factor, 1),
                round(height - offset_y - (lat - min(lats)) * factor, 1))

    points = []
    for stop, (lat, lon) in zip(located, coords, strict=True):
        x, y = project(lat, lon)
        points.append(MapPoint(x, y, stop.order, str(stop.customer), stop.flag))
    routed = [point for point in points if point.flag != TourStop.Flag.NOT_FITTED]
    start_point = project(*start) if start else None
    line = ([start_point] if start_point else []) + [(point.x, point.y) for point in routed]
    return {"width": width, "height": height, "points": points, "start": start_point,
            "start_box": (round(start_point[0] - 9, 1), round(start_point[1] - 9, 1)) if start_point else None,
            "line": " ".join(f"{x},{y}" for x, y in line)}


def day_map_data(day: TourDay, stops: list[TourStop]) -> dict:
    """The stops and start point for the tile map (``field/map.js``), as plain numbers and names."""
    tour = day.tour
    return {
        "start": ([float(tour.start_latitude), float(tour.start_longitude)]
                  if tour.start_latitude is not None and tour.start_longitude is not None else None),
        "stops": [{"lat": float(stop.place.latitude), "lon": float(stop.place.longitude), "n": stop.order,
                   "name": str(stop.customer), "flag": stop.flag}
                  for stop in stops if stop.place is not None and stop.place.has_position],
    }
