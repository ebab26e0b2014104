"""Places, routes and tours over REST (F48, F47, F02): the same selectors and services as the pages.

Reads are scoped to the caller's centers (another center's record is a 404; a visitor reads only their own
tours); a refused write is a 400 with Persian field errors; a stale ``version`` is a 400 with code ``stale``.
"""

import datetime

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from aftersales.core.api import (DateField, ScopedChoicesMixin, model_field, page_parameter, paged_schema,
                                 require_perms)
from aftersales.core.filters import id_or_none
from aftersales.crm.models import Party
from aftersales.customers.models import Customer

from . import services_tours as services
from .models import Place, Route, Tour, TourDay, TourStop
from .selectors_tours import place_list, route_list, route_places, stop_candidates, tour_days, tour_list

MAX_ID = 2**63 - 1



def _get(queryset, pk):
    if not 0 < int(pk) <= MAX_ID:
        raise Http404
    return get_object_or_404(queryset, pk=pk)


def _page(request, view, queryset, serializer):
    paginator = PageNumberPagination()
    page = paginator.paginate_queryset(queryset, request, view=view)
    return paginator.get_paginated_response(serializer(page, many=True).data)


def _coordinate(**kwargs):
    return serializers.DecimalField(max_digits=9, decimal_places=6, required=False, allow_null=True, default=None,
                                    coerce_to_string=False, **kwargs)


class FieldPlaceSerializer(serializers.ModelSerializer):
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, coerce_to_string=False, allow_null=True,
                                        read_only=True)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6, coerce_to_string=False, allow_null=True,
                                         read_only=True)

    class Meta:
        model = Place
        fields = ["id", "customer", "center", "address", "name", "latitude", "longitude", "position_source",
                  "opens_at", "closes_at", "visit_minutes", "route", "route_order"]


class FieldPlaceInSerializer(ScopedChoicesMixin, serializers.Serializer):
    customer = model_field(Place, "customer", help_text="The party's (customer's) id")
    center = model_field(Place, "center")
    address = model_field(Place, "address", required=False, allow_null=True, default=None)
    name = serializers.CharField(required=False, allow_blank=True, default="", max_length=150)
    latitude = _coordinate(min_value=-90, max_value=90, help_text="Degrees; both coordinates or neither")
    longitude = _coordinate(min_value=-180, max_value=180)
    position_source = serializers.ChoiceField(choices=Place.Source.choices, required=False, allow_blank=True,
                                              default="")
    opens_at = serializers.TimeField(required=False, allow_null=True, default=None)
    closes_at = serializers.TimeField(required=False, allow_null=True, default=None)
    visit_minutes = serializers.IntegerField(required=False, default=20, min_value=1, max_value=480)
    route = model_field(Place, "route", required=False, allow_null=True, default=None)


class FieldPlaceUpdateSerializer(FieldPlaceInSerializer):
    """Only the fields sent are changed."""

    def get_fields(self):
        fields = super().get_fields()
        del fields["customer"], fields["center"]
        for field in fields.values():
            field.required = False
            field.default = serializers.empty
        return fields


class FieldRouteSerializer(serializers.ModelSerializer):
    class Meta:
        model = Route
        fields = ["id", "name", "center", "territory", "is_active"]


class FieldRouteDetailSerializer(FieldRouteSerializer):
    places = serializers.SerializerMethodField()

    class Meta(FieldRouteSerializer.Meta):
        fields = [*FieldRouteSerializer.Meta.fields, "places"]

    @extend_schema_field(FieldPlaceSerializer(many=True))
    def get_places(self, route) -> list[dict]:
        return FieldPlaceSerializer(route_places(route), many=True).data


class FieldRouteInSerializer(ScopedChoicesMixin, serializers.Serializer):
    name = serializers.CharField(max_length=120)
    center = model_field(Route, "center")
    territory = model_field(Route, "territory", required=False, allow_null=True, default=None)
    is_active = serializers.BooleanField(required=False, default=True)


class TourStopSerializer(serializers.ModelSerializer):
    class Meta:
        model = TourStop
        fields = ["id", "customer", "place", "typed_order", "order", "is_pinned", "planned_arrival", "flag", "status"]


class TourDaySerializer(serializers.ModelSerializer):
    stops = TourStopSerializer(many=True, read_only=True)

    class Meta:
        model = TourDay
        fields = ["id", "date", "typed_distance_m", "typed_duration_s", "planned_distance_m", "planned_duration_s",
                  "optimised_at", "is_partial", "stops"]


class TourSerializer(serializers.ModelSerializer):
    start_latitude = serializers.DecimalField(max_digits=9, decimal_places=6, coerce_to_string=False,
                                              allow_null=True, read_only=True)
    start_longitude = serializers.DecimalField(max_digits=9, decimal_places=6, coerce_to_string=False,
                                               allow_null=True, read_only=True)

    class Meta:
        model = Tour
        fields = ["id", "name", "center", "marketer", "start_date", "end_date", "status", "start_latitude",
                  "start_longitude", "day_starts_at", "day_ends_at", "version", "created_at"]


class TourDetailSerializer(TourSerializer):
    days = serializers.SerializerMethodField()

    class Meta(TourSerializer.Meta):
        fields = [*TourSerializer.Meta.fields, "days"]

    @extend_schema_field(TourDaySerializer(many=True))
    def get_days(self, tour) -> list[dict]:
        return TourDaySerializer(tour_days(tour), many=True).data


class TourInSerializer(ScopedChoicesMixin, serializers.Serializer):
    name = serializers.CharField(max_length=150)
    center = model_field(Tour, "center")
    marketer = model_field(Tour, "marketer")
    start_date = DateField()
    end_date = DateField()
    start_latitude = _coordinate(min_value=-90, max_value=90, help_text="Where each day starts; both or neither")
    start_longitude = _coordinate(min_value=-180, max_value=180)
    day_starts_at = serializers.TimeField(required=False, default=datetime.time(8, 0))
    day_ends_at = serializers.TimeField(required=False, default=datetime.time(17, 0))


class TourStopsInSerializer(serializers.Serializer):
    date = DateField(help_text="The day (within the tour's dates)")
    customers = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=MAX_ID), required=False,
                                      allow_empty=True, max_length=services.MAX_STOPS_A_DAY, default=list,
                                      help_text="Parties' (customers') ids, in the order to visit")
    route = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1, max_value=MAX_ID,
                                     help_text="Add this route's places in its order")
    state = serializers.CharField(required=False, allow_blank=True, default="", max_length=40,
                                  help_text="Filter: the CRM's stage (code or id)")
    rating = serializers.ChoiceField(choices=Party.Rating.choices, required=False, allow_blank=True, default="")
    stale_days = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=0,
                                          max_value=3650, help_text="Filter: no contact for this many days")
    appointments = serializers.BooleanField(required=False, default=False,
                                            help_text="Filter: a visit booked in the tour's dates")
    version = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1,
                                       max_value=2**31 - 1, help_text="The tour's version you read")

    def validate(self, attrs):
        if not attrs["customers"] and attrs["route"] is None and not (
                attrs["state"] or attrs["rating"] or attrs["stale_days"] is not None or attrs["appointments"]):
            raise serializers.ValidationError({"customers": [_("Name the parties, a route or a filter.")]})
        return attrs


class TourVersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1,
                                       max_value=2**31 - 1, help_text="The tour's version you read")


def _version_in(request) -> int | None:
    incoming = TourVersionSerializer(data=request.data if isinstance(request.data, dict) else {})
    incoming.is_valid(raise_exception=True)
    return incoming.validated_data["version"]


# --- routes ---------------------------------------------------------------------------------------------------

class RouteListApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="field_routes_list", parameters=[OpenApiParameter("q", str), page_parameter()],
                   responses=paged_schema("FieldRoutePage", FieldRouteSerializer), summary="Routes of your teams, paged")
    def get(self, request):
        require_perms(request, "field.view_route")
        routes = route_list(user=request.user, query=request.query_params.get("q", ""))
        return _page(request, self, routes, FieldRouteSerializer)

    @extend_schema(request=FieldRouteInSerializer, responses={201: FieldRouteDetailSerializer}, summary="Start a route")
    def post(self, request):
        require_perms(request, "field.add_route")
        incoming = FieldRouteInSerializer(data=request.data, context={"request": request})
        incoming.is_valid(raise_exception=True)
        route = services.route_create(acting_user=request.user, **incoming.validated_data)
        return Response(FieldRouteDetailSerializer(route).data, status=status.HTTP_201_CREATED)


class RouteApi(APIView):
    permission_classes = [IsAuthenticated]
    queryset = Route.objects.none()

    @extend_schema(responses=FieldRouteDetailSerializer, summary="One route with its places in order")
    def get(self, request, pk):
        require_perms(request, "field.view_route")
        return Response(FieldRouteDetailSerializer(_get(route_list(user=request.user), pk)).data)


# --- places ---------------------------------------------------------------------------------------------------

class PlaceListApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="field_places_list", parameters=[
        OpenApiParameter("party", int, description="The party's (customer's) id"), OpenApiParameter("route", int),
        OpenApiParameter("q", str), page_parameter()],
        responses=paged_schema("FieldPlacePage", FieldPlaceSerializer), summary="Places of your teams, paged")
    def get(self, request):
        require_perms(request, "field.view_place")
        params = request.query_params
        places = place_list(user=request.user, customer=id_or_none(params.get("party"), Customer),
                            route=id_or_none(params.get("route"), Route), query=params.get("q", ""))
        return _page(request, self, places, FieldPlaceSerializer)

    @extend_schema(request=FieldPlaceInSerializer, responses={201: FieldPlaceSerializer},
                   summary="Record where a party is visited (coordinates both or neither)")
    def post(self, request):
        require_perms(request, "field.add_place")
        incoming = FieldPlaceInSerializer(data=request.data, context={"request": request})
        incoming.is_valid(raise_exception=True)
        place = services.place_create(acting_user=request.user, **incoming.validated_data)
        return Response(FieldPlaceSerializer(place).data, status=status.HTTP_201_CREATED)


class PlaceApi(APIView):
    permission_classes = [IsAuthenticated]
    queryset = Place.objects.none()

    @extend_schema(responses=FieldPlaceSerializer, summary="One place")
    def get(self, request, pk):
        require_perms(request, "field.view_place")
        return Response(FieldPlaceSerializer(_get(place_list(user=request.user), pk)).data)

    @extend_schema(request=FieldPlaceUpdateSerializer, responses=FieldPlaceSerializer,
                   summary="Change a place (only the fields sent)")
    def patch(self, request, pk):
        require_perms(request, "field.change_place")
        place = _get(place_list(user=request.user), pk)
        incoming = FieldPlaceUpdateSerializer(data=request.data, context={"request": request}, partial=True)
        incoming.is_valid(raise_exception=True)
        place = services.place_update(place=place, acting_user=request.user, **incoming.validated_data)
        return Response(FieldPlaceSerializer(place).data)


# --- tours ----------------------------------------------------------------------------------------------------

class TourListApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="field_tours_list", parameters=[
        OpenApiParameter("status", str, enum=list(Tour.Status.values)),
        OpenApiParameter("marketer", int, description="The marketer's user id (managers)"),
        OpenApiParameter("q", str), page_parameter()],
        responses=paged_schema("FieldTourPage", TourSerializer),
        summary="Tours of your teams (a visitor: their own), paged")
    def get(self, request):
        require_perms(request, "field.view_tour")
        params = request.query_params
        tours = tour_list(user=request.user,
                          status=params.get("status", "") if params.get("status") in Tour.Status.values else "",
                          marketer=id_or_none(params.get("marketer"), Tour), query=params.get("q", ""))
        return _page(request, self, tours, TourSerializer)

    @extend_schema(request=TourInSerializer, responses={201: TourDetailSerializer},
                   parameters=[OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER,
                                                description="A retry with the same key returns the same tour")],
                   summary="Plan a tour for a marketer of your team")
    def post(self, request):
        require_perms(request, "field.add_tour")
        incoming = TourInSerializer(data=request.data, context={"request": request})
        incoming.is_valid(raise_exception=True)
        tour = services.tour_create(acting_user=request.user,
                                    submission_key=request.headers.get("Idempotency-Key") or None,
                                    **incoming.validated_data)
        return Response(TourDetailSerializer(tour).data, status=status.HTTP_201_CREATED)


class TourApi(APIView):
    permission_classes = [IsAuthenticated]
    queryset = Tour.objects.none()

    @extend_schema(responses=TourDetailSerializer, summary="One tour with its days and stops")
    def get(self, request, pk):
        require_perms(request, "field.view_tour")
        return Response(TourDetailSerializer(_get(tour_list(user=request.user), pk)).data)


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise Http404 from None


class TourDayOptimiseApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=TourVersionSerializer, responses=TourDaySerializer,
                   parameters=[OpenApiParameter("date", str, OpenApiParameter.PATH,
                                                description="The day, ISO (2026-12-04)")],
                   summary="Order a day's stops with the optimiser (pinned stops keep their places)")
    def post(self, request, pk, date):
        require_perms(request, "field.change_tour")
        tour = _get(tour_list(user=request.user), pk)
        day = services.tour_day_optimise(tour=tour, date=_date(date), acting_user=request.user,
                                         version=_version_in(request))
        day = TourDay.objects.prefetch_related("stops").get(pk=day.pk)
        return Response(TourDaySerializer(day).data)


class TourStopsApi(APIView):
    permission_classes = [IsAuthenticated]
    queryset = Tour.objects.none()

    @extend_schema(request=TourStopsInSerializer, responses={201: TourStopSerializer(many=True)},
                   summary="Add stops to a day: parties by id, a route's places or the CRM's parties by a filter")
    def post(self, request, pk):
        require_perms(request, "field.change_tour")
        tour = _get(tour_list(user=request.user), pk)
        incoming = TourStopsInSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        if data["customers"]:
            found = {customer.pk: customer for customer in Customer.objects.filter(
                pk__in=data["customers"], merged_into__isnull=True)}
            missing = [pk for pk in data["customers"] if pk not in found]
            if missing:
                raise serializers.ValidationError({"customers": [_("No party has the number %(number)s.") % {"number": missing[0]}]})
            pairs = [(found[pk], None) for pk in data["customers"]]
        else:
            route = None
            if data["route"] is not None:
                route = route_list(user=request.user).filter(pk=data["route"], center=tour.center_id).first()
                if route is None:
                    raise serializers.ValidationError({"route": [_("No route of the tour's team has this id.")]})
            pairs = stop_candidates(user=request.user, tour=tour, route=route, state=data["state"],
                                    rating=data["rating"], stale_days=data["stale_days"],
                                    appointments=data["appointments"])
            if not pairs:
                raise serializers.ValidationError({"customers": [_("No party matches; change the filter.")]})
        stops = services.tour_add_stops(
            tour=tour, date=data["date"], customers=[customer for customer, _place in pairs],
            places={customer.pk: place for customer, place in pairs if place is not None}, acting_user=request.user,
            version=data["version"], skip_existing=not data["customers"])
        return Response(TourStopSerializer(stops, many=True).data, status=status.HTTP_201_CREATED)
