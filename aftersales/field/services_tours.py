"""Writes of places, routes and visit tours (F48, F47, F02).

A place is where a party is visited: coordinates (both or neither), opening hours and how long a visit
takes. A route groups a team's places in an order. A tour is a marketer's days over a date range,
planned by a manager: stops are added to a day from a route or from a filter of the CRM's parties,
ordered by the optimiser (``routing.plan_day``) under the tour's start point and working hours and the
places' opening hours, pinned or moved by hand, then published to the marketer.

Every change of a tour's days or stops raises the tour's ``version``: a manager holding an older
version (another manager changed the tour meanwhile) is refused with a message instead of overwriting.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import update_change_reason

from aftersales.core import rowscope
from aftersales.core.idempotency import caller_key, claimed_once, refuse_reuse
from aftersales.core.jalali import format_date
from aftersales.organization.scoping import check_center

from .models import Place, Route, Tour, TourDay, TourStop

#: The place's fields a create or an update takes.
PLACE_FIELDS = ("name", "address", "latitude", "longitude", "position_source", "opens_at", "closes_at",
                "visit_minutes", "route")
#: The tour's fields a create or an update takes.
TOUR_FIELDS = ("name", "marketer", "start_date", "end_date", "start_latitude", "start_longitude", "day_starts_at",
               "day_ends_at")
#: A tour covers at most this many days (a season): longer ranges are typing mistakes.
MAX_TOUR_DAYS = 92
#: A day holds at most this many stops (the optimiser's benchmark is a 60-stop day).
MAX_STOPS_A_DAY = 80
STALE = "stale"


# --- coordinates ----------------------------------------------------------------------------------------------

def _coordinate(value, *, low: int, high: int, field: str, errors: dict) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value)).quantize(Decimal("0.000001"))
    except (InvalidOperation, ValueError):
        errors.setdefault(field, []).append(_("Enter a number in degrees, such as 35.6892."))
        return None
    if not low <= number <= high:
        errors.setdefault(field, []).append(
            _("A latitude is between -90 and 90 degrees.") if high == 90
            else _("A longitude is between -180 and 180 degrees."))
        return None
    return number


def coordinates_clean(latitude, longitude, *, fields=("latitude", "longitude")) -> tuple[Decimal | None, Decimal | None]:
    """Both coordinates in range, or neither; errors name the field (``latitude``/``longitude`` or the given names)."""
    errors: dict = {}
    lat = _coordinate(latitude, low=-90, high=90, field=fields[0], errors=errors)
    lon = _coordinate(longitude, low=-180, high=180, field=fields[1], errors=errors)
    if not errors and (lat is None) != (lon is None):
        missing = fields[1] if lon is None else fields[0]
        errors[missing] = [_("Give both the latitude and the longitude, or neither.")]
    if errors:
        raise ValidationError(errors)
    return lat, lon


def _hours_check(opens_at, closes_at, errors: dict, *, field="closes_at", message=None) -> None:
    if opens_at is not None and closes_at is not None and closes_at <= opens_at:
        errors.setdefault(field, []).append(message or _("The place closes before it opens."))


# --- places ---------------------------------------------------------------------------------------------------

def _place_check(place: Place, acting_user) -> None:
    errors: dict = {}
    try:
        place.latitude, place.longitude = coordinates_clean(place.latitude, place.longitude)
    except ValidationError as error:
        errors.update(error.message_dict)
    if place.latitude is None:
        place.position_source = ""
    elif not place.position_source:
        place.position_source = Place.Source.TYPED
    elif place.position_source not in Place.Source.values:
        errors.setdefault("position_source", []).append(_("Choose where the position comes from."))
    if (place.opens_at is None) != (place.closes_at is None):
        errors.setdefault("closes_at" if place.closes_at is None else "opens_at", []).append(
            _("Give both the opening and the closing time, or neither."))
    _hours_check(place.opens_at, place.closes_at, errors)
    if not isinstance(place.visit_minutes, int) or not 1 <= place.visit_minutes <= 480:
        errors.setdefault("visit_minutes", []).append(_("A visit takes between 1 and 480 minutes."))
    if place.route_id and place.route.center_id != place.center_id:
        errors.setdefault("route", []).append(_("The route belongs to another team."))
    if place.address_id and place.address.customer_id != place.customer_id:
        errors.setdefault("address", []).append(_("The address is not one of this party's."))
    if getattr(place.customer, "merged_into_id", None):
        errors.setdefault("customer", []).append(_("This party was merged into another; use that one."))
    if errors:
        raise ValidationError(errors)
    check_center(acting_user, place.center_id)
    rowscope.check_write(place, acting_user)


@transaction.atomic
def place_create(*, customer, center, acting_user, name: str = "", address=None, latitude=None, longitude=None,
                 position_source: str = "", opens_at=None, closes_at=None, visit_minutes: int = 20,
                 route=None) -> Place:
    """Record where a party is visited: coordinates typed, picked on the map or taken from the phone (both
    or neither, in range), opening hours (both or neither, closing after opening) and the visit's length.
    A place on a route joins its end. Implements F48."""
    place = Place(customer=customer, center=center, name=(name or "").strip(), address=address, latitude=latitude,
                  longitude=longitude, position_source=position_source or "", opens_at=opens_at,
                  closes_at=closes_at, visit_minutes=visit_minutes if visit_minutes is not None else 20, route=route)
    _place_check(place, acting_user)
    if route is not None:
        place.route_order = _route_next(route)
    place._history_user = acting_user
    place.save()
    return place


@transaction.atomic
def place_update(*, place: Place, acting_user, **values) -> Place:
    """Change a place (only the fields given); a new route puts it at that route's end. Implements F48."""
    place = Place.objects.select_for_update().get(pk=place.pk)
    rowscope.check_write(place, acting_user)
    old_route = place.route_id
    for name, value in values.items():
        if name in PLACE_FIELDS:
            setattr(place, name, value)
    if "name" in values:
        place.name = (place.name or "").strip()
    if "latitude" in values and "position_source" not in values and place.latitude is not None:
        place.position_source = Place.Source.TYPED
    _place_check(place, acting_user)
    if place.route_id and place.route_id != old_route:
        place.route_order = _route_next(place.route)
    place._history_user = acting_user
    place.save()
    update_change_reason(place, _("place changed"))
    return place


# --- routes ---------------------------------------------------------------------------------------------------

def _route_next(route: Route) -> int:
    return (Place.objects.filter(route=route).aggregate(top=Max("route_order"))["top"] or 0) + 1


def _route_check(route: Route, acting_user) -> None:
    errors = {}
    if not (route.name or "").strip():
        errors["name"] = [_("Name the route.")]
    if errors:
        raise ValidationError(errors)
    check_center(acting_user, route.center_id)
    rowscope.check_write(route, acting_user)


@transaction.atomic
def route_create(*, name: str, center, acting_user, territory=None, is_active: bool = True) -> Route:
    """Start a named route of a team's places, in a sales territory or none. Implements F48."""
    route = Route(name=(name or "").strip(), center=center, territory=territory, is_active=is_active)
    _route_check(route, acting_user)
    route._history_user = acting_user
    route.save()
    return route


@transaction.atomic
def route_update(*, route: Route, acting_user, **values) -> Route:
    """Rename a route, move it to another territory or retire it. Implements F48."""
    route = Route.objects.select_for_update().get(pk=route.pk)
    rowscope.check_write(route, acting_user)
    for name in ("name", "territory", "is_active"):
        if name in values:
            setattr(route, name, values[name])
    route.name = (route.name or "").strip()
    _route_check(route, acting_user)
    route._history_user = acting_user
    route.save()
    return route


@transaction.atomic
def route_place_add(*, route: Route, place: Place, acting_user) -> Place:
    """Put a place of the route's team at the route's end (a place is on one route at a time). Implements F48."""
    route = Route.objects.select_for_update().get(pk=route.pk)
    rowscope.check_write(route, acting_user)
    place = Place.objects.select_for_update().get(pk=place.pk)
    if place.center_id != route.center_id:
        raise ValidationError({"place": [_("The place belongs to another team.")]})
    if place.route_id == route.pk:
        raise ValidationError({"place": [_("The place is on this route already.")]})
    return place_update(place=place, acting_user=acting_user, route=route)


@transaction.atomic
def route_place_remove(*, route: Route, place: Place, acting_user) -> Place:
    """Take a place off its route (the place itself stays). Implements F48."""
    rowscope.check_write(route, acting_user)
    place = Place.objects.select_for_update().get(pk=place.pk)
    if place.route_id != route.pk:
        raise ValidationError({"place": [_("The place is not on this route.")]})
    place = place_update(place=place, acting_user=acting_user, route=None)
    Place.objects.filter(pk=place.pk).update(route_order=0)
    return place


@transaction.atomic
def route_order_set(*, route: Route, place_ids: list[int], acting_user) -> None:
    """Order the route's places as listed (every place of the route, each once). Implements F48."""
    route = Route.objects.select_for_update().get(pk=route.pk)
    rowscope.check_write(route, acting_user)
    current = set(Place.objects.filter(route=route).values_list("pk", flat=True))
    if len(place_ids) != len(set(place_ids)) or set(place_ids) != current:
        raise ValidationError({"places": [_("List every place of the route once, in the new order.")]})
    for position, pk in enumerate(place_ids, start=1):
        Place.objects.filter(pk=pk).update(route_order=position)


# --- tours ----------------------------------------------------------------------------------------------------

def _tour_check(tour: Tour, acting_user) -> None:
    check_center(acting_user, tour.center_id)
    errors: dict = {}
    if not (tour.name or "").strip():
        errors["name"] = [_("Name the tour.")]
    if tour.start_date and tour.end_date:
        if tour.end_date < tour.start_date:
            errors["end_date"] = [_("The tour cannot end before it starts.")]
        elif (tour.end_date - tour.start_date).days >= MAX_TOUR_DAYS:
            errors["end_date"] = [_("A tour covers at most %(days)s days.") % {"days": MAX_TOUR_DAYS}]
    if tour.day_starts_at is None or tour.day_ends_at is None:
        errors.setdefault("day_ends_at", []).append(_("Give the working day's start and end."))
    elif tour.day_ends_at <= tour.day_starts_at:
        errors.setdefault("day_ends_at", []).append(_("The working day must end after it starts."))
    try:
        tour.start_latitude, tour.start_longitude = coordinates_clean(
            tour.start_latitude, tour.start_longitude, fields=("start_latitude", "start_longitude"))
    except ValidationError as error:
        errors.update(error.message_dict)
    marketer = tour.marketer if tour.marketer_id else None
    if marketer is None:
        errors.setdefault("marketer", []).append(_("Choose the marketer."))
    elif not marketer.is_active:
        errors.setdefault("marketer", []).append(_("The marketer's account is not active."))
    elif not marketer.centers.filter(pk=tour.center_id).exists():
        errors.setdefault("marketer", []).append(_("The marketer works in another center; plan their tours "
                                                   "in their own team."))
    if errors:
        raise ValidationError(errors)
    check_center(acting_user, tour.center_id)
    rowscope.check_write(tour, acting_user)


@claimed_once(Tour)
def tour_create(*, name: str, center, marketer, start_date: datetime.date, end_date: datetime.date, acting_user,
                start_latitude=None, start_longitude=None, day_starts_at: datetime.time = datetime.time(8, 0),
                day_ends_at: datetime.time = datetime.time(17, 0), submission_key: str | None = None) -> Tour:
    """Plan a tour for a marketer of a team the manager works in, over a date range, with the days' start
    point and working hours.

    Refuses a range that ends before it starts (or spans more than a season), working hours that end at or
    before their start, a marketer of another center and a center not the manager's. A repeated
    ``submission_key`` (a double submit, an API retry) returns the tour created the first time.
    Implements F47.
    """
    key = caller_key(user=acting_user, key=submission_key)
    if key:
        existing = Tour.objects.filter(submission_key=key).first()
        if existing is not None:
            if (existing.marketer_id, existing.start_date, existing.end_date) != (
                    getattr(marketer, "pk", marketer), start_date, end_date):
                refuse_reuse()
            return existing
    tour = Tour(name=(name or "").strip(), center=center, marketer=marketer, start_date=start_date,
                end_date=end_date, start_latitude=start_latitude, start_longitude=start_longitude,
                day_starts_at=day_starts_at or datetime.time(8, 0), day_ends_at=day_ends_at or datetime.time(17, 0),
                created_by=acting_user, submission_key=key)
    _tour_check(tour, acting_user)
    tour._history_user = acting_user
    tour.save()
    return tour


def _locked(tour: Tour, acting_user, version: int | None) -> Tour:
    """The tour, locked for this transaction; refused when the caller's ``version`` is not the current one."""
    locked = Tour.objects.select_for_update().get(pk=tour.pk)
    rowscope.check_write(locked, acting_user)
    if version is not None and int(version) != locked.version:
        raise ValidationError(_("Someone else changed this tour meanwhile; reload the page and try again."),
                              code=STALE)
    return locked


def _bump(tour: Tour, acting_user, reason: str) -> Tour:
    tour.version += 1
    tour._history_user = acting_user
    tour.save()
    update_change_reason(tour, reason)
    return tour


@transaction.atomic
def tour_update(*, tour: Tour, acting_user, version: int | None = None, **values) -> Tour:
    """Change a tour's name, marketer, dates, start point or working hours; its planned days must stay in
    the range. Implements F47."""
    tour = _locked(tour, acting_user, version)
    if tour.status == Tour.Status.CLOSED:
        raise ValidationError(_("The tour is closed."))
    for name, value in values.items():
        if name in TOUR_FIELDS:
            setattr(tour, name, value)
    tour.name = (tour.name or "").strip()
    _tour_check(tour, acting_user)
    outside = tour.days.exclude(date__range=(tour.start_date, tour.end_date)).filter(stops__isnull=False)
    if outside.exists():
        raise ValidationError({"end_date": [_("Stops are planned on %(day)s, outside the new range; move or "
                                              "remove them first.") % {"day": format_date(outside.first().date)}]})
    tour.days.exclude(date__range=(tour.start_date, tour.end_date)).delete()
    return _bump(tour, acting_user, _("tour changed"))


def _day_in_range(tour: Tour, date) -> None:
    if not isinstance(date, datetime.date):
        raise ValidationError({"date": [_("Choose the day.")]})
    if not tour.start_date <= date <= tour.end_date:
        raise ValidationError({"date": [
            _("%(day)s is outside the tour (%(start)s to %(end)s).")
            % {"day": format_date(date), "start": format_date(tour.start_date), "end": format_date(tour.end_date)}]})


def _place_for(customer, center_id) -> Place | None:
    """The party's place in the team, one with coordinates first."""
    places = Place.objects.filter(customer=customer, center_id=center_id).order_by(
        F("latitude").asc(nulls_last=True), "pk")
    return places.first()


def _plan_reset(day: TourDay) -> None:
    """The day's stops changed: its optimised figures no longer describe it."""
    TourDay.objects.filter(pk=day.pk).update(planned_distance_m=None, planned_duration_s=None, typed_distance_m=None,
                                             typed_duration_s=None, optimised_at=None, is_partial=False)


@transaction.atomic
def tour_add_stops(*, tour: Tour, date: datetime.date, customers: list, acting_user, places: dict | None = None,
                   version: int | None = None, skip_existing: bool = False) -> list[TourStop]:
    """Add parties to a tour's day in the order given (after the stops already typed).

    Each stop goes to the party's place in the tour's team (``places`` may name one per customer id); a party
    without coordinates is added all the same and placed last, flagged, when the day is optimised. Refuses a
    day outside the tour's range and a party already on that day (``skip_existing``: leaves those out and
    refuses only when nothing is left to add). Implements F47, F02.
    """
    tour = _locked(tour, acting_user, version)
    if tour.status == Tour.Status.CLOSED:
        raise ValidationError(_("The tour is closed."))
    _day_in_range(tour, date)
    customers = list(dict.fromkeys(customers))
    if not customers:
        raise ValidationError({"customers": [_("Choose at least one party to visit.")]})
    day, _created = TourDay.objects.get_or_create(tour=tour, date=date)
    present = set(day.stops.values_list("customer_id", flat=True))
    already = [customer for customer in customers if customer.pk in present]
    if already and not skip_existing:
        names = "، ".join(str(customer) for customer in already[:5])
        raise ValidationError({"customers": [
            _("Already on the tour on %(day)s: %(names)s.") % {"day": format_date(date), "names": names}]})
    fresh = [customer for customer in customers if customer.pk not in present]
    if not fresh:
        raise ValidationError({"customers": [
            _("Every party chosen is on the tour on %(day)s already.") % {"day": format_date(date)}]})
    if len(present) + len(fresh) > MAX_STOPS_A_DAY:
        raise ValidationError({"customers": [_("A day holds at most %(count)s stops.") % {"count": MAX_STOPS_A_DAY}]})
    for customer in fresh:
        if getattr(customer, "merged_into_id", None):
            raise ValidationError({"customers": [_("«%(name)s» was merged into another party.") % {"name": customer}]})
    top = day.stops.aggregate(top=Max("typed_order"))["top"] or 0
    stops = []
    for offset, customer in enumerate(fresh, start=1):
        place = (places or {}).get(customer.pk) or _place_for(customer, tour.center_id)
        if place is not None and place.center_id != tour.center_id:
            raise ValidationError({"places": [_("The place belongs to another team.")]})
        stops.append(TourStop(day=day, customer=customer, place=place, typed_order=top + offset,
                              order=top + offset))
    TourStop.objects.bulk_create(stops)
    _plan_reset(day)
    _bump(tour, acting_user, _("stops added"))
    return list(day.stops.filter(customer__in=fresh))


def _stop_tour(stop: TourStop, acting_user, version) -> tuple[TourStop, Tour]:
    tour = _locked(stop.day.tour, acting_user, version)
    if tour.status == Tour.Status.CLOSED:
        raise ValidationError(_("The tour is closed."))
    return TourStop.objects.select_related("day").get(pk=stop.pk), tour


@transaction.atomic
def tour_stop_remove(*, stop: TourStop, acting_user, version: int | None = None) -> None:
    """Take a planned stop off its day (a visited one stays: it is the marketer's record). Implements F47."""
    stop, tour = _stop_tour(stop, acting_user, version)
    if stop.status != TourStop.Status.PLANNED or stop.check_ins.exists():
        raise ValidationError(_("The marketer has checked in at this stop; it stays on the tour."))
    day = stop.day
    stop.delete()
    _renumber(day, by="typed_order")
    _plan_reset(day)
    _bump(tour, acting_user, _("stop removed"))


def _renumber(day: TourDay, *, by: str, moved: TourStop | None = None, position: int | None = None) -> None:
    stops = [stop for stop in day.stops.order_by(by, "pk") if moved is None or stop.pk != moved.pk]
    if moved is not None:
        stops.insert(max(0, min(position - 1, len(stops))), moved)
    for index, stop in enumerate(stops, start=1):
        TourStop.objects.filter(pk=stop.pk).update(typed_order=index, order=index)


@transaction.atomic
def tour_stop_move(*, stop: TourStop, position: int, acting_user, version: int | None = None) -> TourStop:
    """Retype the day's order: put ``stop`` at ``position`` (1 is first) of the order the day is shown in;
    that order becomes the typed one and the day's optimised figures are dropped. Implements F47."""
    stop, tour = _stop_tour(stop, acting_user, version)
    count = stop.day.stops.count()
    if not isinstance(position, int) or not 1 <= position <= count:
        raise ValidationError({"position": [_("Choose a position between 1 and %(count)s.") % {"count": count}]})
    _renumber(stop.day, by="order", moved=stop, position=position)
    _plan_reset(stop.day)
    _bump(tour, acting_user, _("stop moved"))
    stop.refresh_from_db()
    return stop


@transaction.atomic
def tour_stop_pin(*, stop: TourStop, pinned: bool, acting_user, version: int | None = None) -> TourStop:
    """Pin a stop at its place in the day's order (the optimiser keeps it there), or unpin it. Implements F47."""
    stop, tour = _stop_tour(stop, acting_user, version)
    if pinned and stop.place is None or pinned and not stop.place.has_position:
        raise ValidationError(_("A stop without coordinates cannot be pinned: it is always placed last."))
    TourStop.objects.filter(pk=stop.pk).update(is_pinned=bool(pinned))
    _bump(tour, acting_user, _("stop pinned") if pinned else _("stop unpinned"))
    stop.refresh_from_db()
    return stop


def _seconds(value: datetime.time | None) -> int | None:
    return None if value is None else value.hour * 3600 + value.minute * 60 + value.second


def _clock(seconds: int | None) -> datetime.time | None:
    if seconds is None:
        return None
    seconds = max(0, min(int(seconds), 24 * 3600 - 1))
    return datetime.time(seconds // 3600, seconds % 3600 // 60)


@transaction.atomic
def tour_day_optimise(*, tour: Tour, date: datetime.date, acting_user, version: int | None = None,
                      time_limit_s: float | None = None) -> TourDay:
    """Order a day's stops with the routing solver, under its time limit.

    The day starts at the tour's start point (else at the first typed stop) and must fit in the tour's
    working hours; each stop keeps its place's opening hours and visit length, a pinned stop its position.
    Writes the planned order and arrival of each stop, the lengths and durations of the typed and the
    planned order, and flags: a stop without coordinates is placed last (NO_POSITION), a stop the solver
    could not fit is kept after the planned ones (NOT_FITTED) and the day is marked partial. Implements F02.
    """
    from . import routing

    tour = _locked(tour, acting_user, version)
    _day_in_range(tour, date)
    day = TourDay.objects.filter(tour=tour, date=date).first()
    stops = list(day.stops.select_related("place").order_by("order", "pk")) if day is not None else []
    if not stops:
        raise ValidationError({"date": [_("No stops are planned on %(day)s.") % {"day": format_date(date)}]})
    positioned = [stop for stop in stops if stop.place is not None and stop.place.has_position]
    pinned_at = {stop.pk: index for index, stop in enumerate(positioned) if stop.is_pinned}
    inputs = []
    for stop in sorted(stops, key=lambda stop: (stop.typed_order, stop.pk)):
        place = stop.place
        has_position = place is not None and place.has_position
        inputs.append(routing.StopInput(
            key=stop.pk, lat=float(place.latitude) if has_position else None,
            lon=float(place.longitude) if has_position else None,
            opens_s=_seconds(place.opens_at) if place else None, closes_s=_seconds(place.closes_at) if place else None,
            service_s=(place.visit_minutes if place else 20) * 60, pinned_at=pinned_at.get(stop.pk)))
    start = None
    if tour.start_latitude is not None and tour.start_longitude is not None:
        start = (float(tour.start_latitude), float(tour.start_longitude))
    plan = routing.plan_day(stops=inputs, start=start, day_start_s=_seconds(tour.day_starts_at),
                            day_end_s=_seconds(tour.day_ends_at), time_limit_s=time_limit_s)
    by_key = {stop.pk: stop for stop in stops}
    routed = [key for key in plan.order if key in by_key]
    not_fitted = [key for key in plan.not_fitted if key in by_key and key not in routed]
    no_position = [stop.pk for stop in stops if stop.pk not in routed and stop.pk not in not_fitted]
    for position, key in enumerate([*routed, *not_fitted, *no_position], start=1):
        stop = by_key[key]
        stop.order = position
        if key in routed:
            stop.flag, stop.planned_arrival = TourStop.Flag.NONE, _clock(plan.arrivals.get(key))
        elif key in not_fitted:
            stop.flag, stop.planned_arrival = TourStop.Flag.NOT_FITTED, None
        else:
            stop.flag, stop.planned_arrival = TourStop.Flag.NO_POSITION, None
    TourStop.objects.bulk_update(stops, ["order", "flag", "planned_arrival"])
    day.typed_distance_m, day.typed_duration_s = max(0, int(plan.typed_distance_m)), max(0, int(plan.typed_duration_s))
    day.planned_distance_m, day.planned_duration_s = max(0, int(plan.distance_m)), max(0, int(plan.duration_s))
    day.optimised_at = timezone.now()
    day.is_partial = bool(not_fitted)
    day.save()
    _bump(tour, acting_user, _("day optimised"))
    return day


@transaction.atomic
def tour_publish(*, tour: Tour, acting_user, version: int | None = None) -> Tour:
    """Send a draft tour to its marketer (it shows on their phone's day); a tour without stops is refused.
    Implements F47."""
    tour = _locked(tour, acting_user, version)
    if tour.status != Tour.Status.DRAFT:
        raise ValidationError(_("The tour is %(status)s already.") % {"status": tour.get_status_display()})
    if not TourStop.objects.filter(day__tour=tour).exists():
        raise ValidationError(_("Add stops to the tour's days before sending it to the marketer."))
    tour.status = Tour.Status.PUBLISHED
    return _bump(tour, acting_user, _("tour sent to the marketer"))
