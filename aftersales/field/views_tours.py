"""The pages of places, routes and tours: lists, forms, a tour's days, a day's typed and proposed orders side by
side with the map (a server-drawn schematic, or tiles when the site names a tile server) (F48, F47, F02).

A visitor opens their own tours read-only; managers plan them.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aftersales.core.audit import audit_trail
from aftersales.core.filters import id_or_none

from . import services_tours as services
from .forms_tours import AddStopsForm, PlaceForm, RouteForm, RoutePlaceForm, StopMoveForm, TourForm
from .models import Place, Route, Tour, TourDay, TourStop
from .selectors_tours import (day_figures, day_map_data, day_schematic, day_stops, place_list, plans_tours,
                              route_list, route_places, stop_candidates, tour_day_list, tour_days, tour_list)

PAGE_SIZE = 25


def _page(request, queryset):
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    querystring = request.GET.copy()
    querystring.pop("page", None)
    return page, querystring.urlencode()


def _form_errors(form, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, messages_ in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages_)


def _version(request) -> int | None:
    value = (request.POST.get("version") or "").strip()
    return int(value) if value.isdigit() and len(value) < 10 else None


def _map_origin() -> str:
    parts = urlsplit(settings.FIELD_MAP_TILE_URL or "")
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") and parts.netloc else ""


def _with_tiles(response):
    """Let the page's images come from the site's own tile server (only when one is configured)."""
    origin = _map_origin()
    if origin:
        response._csp_update = {"img-src": [origin]}
    return response


# --- places ---------------------------------------------------------------------------------------------------

@login_required
@permission_required("field.view_place", raise_exception=True)
def place_list_view(request):
    filters = {"customer": id_or_none(request.GET.get("party"), Place),
               "route": id_or_none(request.GET.get("route"), Route),
               "query": request.GET.get("q", "").strip().replace("\x00", ""),
               "without_position": bool(request.GET.get("without_position"))}
    page, querystring = _page(request, place_list(user=request.user, **filters))
    return render(request, "field/place_list.html", {"page": page, "places": page.object_list,
                                                     "querystring": querystring, "filters": filters,
                                                     "params": request.GET})


def _place(request, pk) -> Place:
    return get_object_or_404(place_list(user=request.user), pk=pk)


def _place_form(request, *, place: Place | None):
    editing = place is not None
    initial = {}
    if editing:
        initial = {name: getattr(place, name) for name in services.PLACE_FIELDS}
    elif request.GET.get("party"):
        initial["customer"] = id_or_none(request.GET.get("party"), Place)
    form = PlaceForm(request.POST or None, user=request.user, editing=editing, initial=initial)
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        values["name"] = values.get("name") or ""
        values["position_source"] = values.get("position_source") or ""
        try:
            if editing:
                place = services.place_update(place=place, acting_user=request.user, **values)
            else:
                place = services.place_create(acting_user=request.user, **values)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The place was saved."))
            return redirect("field:place-list")
    tiles = bool(settings.FIELD_MAP_TILE_URL)
    response = render(request, "field/place_form.html", {
        "form": form, "place": place, "tiles": tiles,
        "map_config": {"tiles": settings.FIELD_MAP_TILE_URL, "attribution": settings.FIELD_MAP_ATTRIBUTION,
                       "pick": True}})
    return _with_tiles(response) if tiles else response


@login_required
@permission_required("field.add_place", raise_exception=True)
def place_create_view(request):
    return _place_form(request, place=None)


@login_required
@permission_required("field.change_place", raise_exception=True)
def place_edit(request, pk):
    return _place_form(request, place=_place(request, pk))


# --- routes ---------------------------------------------------------------------------------------------------

@login_required
@permission_required("field.view_route", raise_exception=True)
def route_list_view(request):
    filters = {"query": request.GET.get("q", "").strip().replace("\x00", "")}
    page, querystring = _page(request, route_list(user=request.user, **filters))
    return render(request, "field/route_list.html", {"page": page, "routes": page.object_list,
                                                     "querystring": querystring, "filters": filters})


def _route(request, pk) -> Route:
    return get_object_or_404(route_list(user=request.user), pk=pk)


@login_required
@permission_required("field.view_route", raise_exception=True)
def route_detail(request, pk):
    route = _route(request, pk)
    return render(request, "field/route_detail.html", {
        "route": route, "places": route_places(route), "add_form": RoutePlaceForm(route=route, user=request.user),
        "entries": audit_trail(route)})


def _route_form(request, *, route: Route | None):
    editing = route is not None
    initial = {"name": route.name, "territory": route.territory_id, "is_active": route.is_active} if editing else {}
    form = RouteForm(request.POST or None, user=request.user, editing=editing, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if editing:
                route = services.route_update(route=route, acting_user=request.user, **form.cleaned_data)
            else:
                route = services.route_create(acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The route was saved."))
            return redirect("field:route-detail", pk=route.pk)
    return render(request, "field/route_form.html", {"form": form, "route": route})


@login_required
@permission_required("field.add_route", raise_exception=True)
def route_create_view(request):
    return _route_form(request, route=None)


@login_required
@permission_required("field.change_route", raise_exception=True)
def route_edit(request, pk):
    return _route_form(request, route=_route(request, pk))


@login_required
@permission_required("field.change_route", raise_exception=True)
@require_POST
def route_place_add(request, pk):
    route = _route(request, pk)
    form = RoutePlaceForm(request.POST, route=route, user=request.user)
    if form.is_valid():
        try:
            services.route_place_add(route=route, place=form.cleaned_data["place"], acting_user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The place was added to the route."))
    else:
        messages.error(request, " ".join(str(message) for errors in form.errors.values() for message in errors))
    return redirect("field:route-detail", pk=route.pk)


@login_required
@permission_required("field.change_route", raise_exception=True)
@require_POST
def route_place_move(request, pk, action):
    """Take a place off the route, or move it one up or down its order."""
    route = _route(request, pk)
    place = get_object_or_404(place_list(user=request.user, route=route.pk),
                              pk=id_or_none(request.POST.get("place"), Place) or 0)
    try:
        if action == "remove":
            services.route_place_remove(route=route, place=place, acting_user=request.user)
        else:
            ids = [item.pk for item in route_places(route)]
            index = ids.index(place.pk)
            other = index - 1 if action == "up" else index + 1
            if 0 <= other < len(ids):
                ids[index], ids[other] = ids[other], ids[index]
                services.route_order_set(route=route, place_ids=ids, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("field:route-detail", pk=route.pk)


# --- tours ----------------------------------------------------------------------------------------------------

@login_required
@permission_required("field.view_tour", raise_exception=True)
def tour_list_view(request):
    """The tours of the manager's centers, or the visitor's own."""
    status = request.GET.get("status", "")
    filters = {"status": status if status in Tour.Status.values else "",
               "marketer": id_or_none(request.GET.get("marketer"), Tour),
               "query": request.GET.get("q", "").strip().replace("\x00", "")}
    page, querystring = _page(request, tour_list(user=request.user, **filters))
    return render(request, "field/tour_list.html", {"page": page, "tours": page.object_list,
                                                    "querystring": querystring, "filters": filters,
                                                    "statuses": Tour.Status.choices,
                                                    "plans": plans_tours(request.user)})


def _tour(request, pk) -> Tour:
    return get_object_or_404(tour_list(user=request.user), pk=pk)


@login_required
@permission_required("field.view_tour", raise_exception=True)
def tour_detail(request, pk):
    tour = _tour(request, pk)
    plans = plans_tours(request.user) and tour.status != Tour.Status.CLOSED
    return render(request, "field/tour_detail.html", {
        "tour": tour, "days": tour_days(tour), "plans": plans,
        "add_form": AddStopsForm(tour=tour, user=request.user) if plans else None,
        "entries": audit_trail(tour) if plans_tours(request.user) else []})


def _tour_form(request, *, tour: Tour | None):
    editing = tour is not None
    initial = {name: getattr(tour, name) for name in services.TOUR_FIELDS} if editing else {}
    if editing:
        initial["version"] = tour.version
    form = TourForm(request.POST or None, user=request.user, editing=editing, initial=initial)
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        try:
            if editing:
                version = values.pop("version", None)
                tour = services.tour_update(tour=tour, acting_user=request.user, version=version, **values)
            else:
                values["submission_key"] = values.get("submission_key") or None
                tour = services.tour_create(acting_user=request.user, **values)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The tour was saved."))
            return redirect("field:tour-detail", pk=tour.pk)
    return render(request, "field/tour_form.html", {"form": form, "tour": tour})


@login_required
@permission_required("field.add_tour", raise_exception=True)
def tour_create_view(request):
    return _tour_form(request, tour=None)


@login_required
@permission_required("field.change_tour", raise_exception=True)
def tour_edit(request, pk):
    return _tour_form(request, tour=_tour(request, pk))


@login_required
@permission_required("field.change_tour", raise_exception=True)
@require_POST
def tour_stops_add(request, pk):
    """Add stops to a day: typed parties, a route's places or the CRM's parties matching a filter."""
    tour = _tour(request, pk)
    form = AddStopsForm(request.POST, tour=tour, user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        source = data["source"]
        try:
            if source == "parties":
                pairs = [(customer, None) for customer in data["customers"]]
            else:
                pairs = stop_candidates(
                    user=request.user, tour=tour, route=data.get("route") if source == "route" else None,
                    state=data["state"].pk if data.get("state") else "", rating=data.get("rating") or "",
                    stale_days=data.get("stale_days"), appointments=data.get("appointments", False),
                    marketer_only=data.get("mine", False))
            if not pairs:
                raise ValidationError({"source": [_("No party matches; change the filter.")]})
            stops = services.tour_add_stops(
                tour=tour, date=data["date"], customers=[customer for customer, _place in pairs],
                places={customer.pk: place for customer, place in pairs if place is not None},
                acting_user=request.user, version=data.get("version"), skip_existing=source != "parties")
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("%(count)s stops were added.") % {"count": len(stops)})
            day = TourDay.objects.get(tour=tour, date=data["date"])
            return redirect("field:tour-day", pk=day.pk)
    return render(request, "field/tour_detail.html", {
        "tour": tour, "days": tour_days(tour), "plans": True, "add_form": form, "entries": audit_trail(tour)},
        status=400)


@login_required
@permission_required("field.change_tour", raise_exception=True)
@require_POST
def tour_publish(request, pk):
    tour = _tour(request, pk)
    try:
        services.tour_publish(tour=tour, acting_user=request.user, version=_version(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The tour was sent to the marketer."))
    return redirect("field:tour-detail", pk=tour.pk)


def _day(request, pk) -> TourDay:
    return get_object_or_404(tour_day_list(user=request.user), pk=pk)


@login_required
@permission_required("field.view_tour", raise_exception=True)
def tour_day(request, pk):
    """A day: the typed order and the proposed one side by side, with lengths, durations, flags and the map."""
    day = _day(request, pk)
    planned = day_stops(day)
    tiles = bool(settings.FIELD_MAP_TILE_URL)
    context = {
        "day": day, "tour": day.tour, "planned": planned, "typed": day_stops(day, typed=True),
        "figures": day_figures(day), "plans": plans_tours(request.user) and day.tour.status != Tour.Status.CLOSED,
        "tiles": tiles, "schematic": None if tiles else day_schematic(day, planned),
        "map_data": day_map_data(day, planned) if tiles else None,
        "map_config": {"tiles": settings.FIELD_MAP_TILE_URL, "attribution": settings.FIELD_MAP_ATTRIBUTION},
        "flags": TourStop.Flag, "other_days": day.tour.days.order_by("date")}
    template = "field/partials/tour_day_body.html" if request.htmx else "field/tour_day.html"
    response = render(request, template, context)
    return _with_tiles(response) if tiles else response


def _back_to_day(request, day: TourDay):
    if request.htmx:
        return tour_day(_as_get(request), day.pk)
    return redirect("field:tour-day", pk=day.pk)


def _as_get(request):
    request.method = "GET"
    return request


@login_required
@permission_required("field.change_tour", raise_exception=True)
@require_POST
def tour_day_optimise(request, pk):
    day = _day(request, pk)
    if not plans_tours(request.user):
        raise Http404
    try:
        services.tour_day_optimise(tour=day.tour, date=day.date, acting_user=request.user, version=_version(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The day's stops were ordered."))
    return _back_to_day(request, day)


def _stop(request, pk) -> TourStop:
    return get_object_or_404(TourStop.objects.filter(day__in=tour_day_list(user=request.user))
                             .select_related("day", "day__tour", "place"), pk=pk)


@login_required
@permission_required("field.change_tour", raise_exception=True)
@require_POST
def tour_stop_action(request, pk, action):
    """Pin or unpin a stop, move it in the order, or take it off the day."""
    stop = _stop(request, pk)
    version = _version(request)
    try:
        if action in ("pin", "unpin"):
            services.tour_stop_pin(stop=stop, pinned=action == "pin", acting_user=request.user, version=version)
        elif action == "move":
            form = StopMoveForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Choose a position between 1 and %(count)s.")
                                      % {"count": stop.day.stops.count()})
            services.tour_stop_move(stop=stop, position=form.cleaned_data["position"], acting_user=request.user,
                                    version=version)
        else:
            services.tour_stop_remove(stop=stop, acting_user=request.user, version=version)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return _back_to_day(request, stop.day)
