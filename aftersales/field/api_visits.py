"""The marketer's day over REST (F47, F56): today's stops, check-ins and visit outcomes — what the phone page's
offline queue sends, each request with its own ``Idempotency-Key`` so that a replay is harmless.

Reads are scoped to the caller (a marketer sees their own, a manager their centers'); another's stop is a 404;
a refused write is a 400 with Persian field errors.
"""

from collections.abc import Mapping

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from aftersales.core.api import DateField, page_parameter, paged_schema, require_perms
from aftersales.core.filters import id_or_none
from aftersales.core.idempotency import caller_key
from aftersales.core.persian import normalize_text
from aftersales.marketing.models import Contact
from aftersales.organization.scoping import scope_queryset

from . import services_visits
from .models import CheckIn, TourStop
from .selectors_visits import check_in_list, day_stops, stop_script

MAX_ID = 2**63 - 1
KEY_HEADER = OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER,
                              description="A key made when the button was pressed: the same key again (a replay from "
                                          "the offline queue, a twin request) returns what the first request wrote")



def workable_stop(user, pk) -> TourStop:
    """The stop ``pk`` when ``user`` may work it (its marketer or a manager of its team); else 404."""
    pk = id_or_none(pk, TourStop)
    stop = (scope_queryset(TourStop.objects.select_related("day__tour", "customer"), user).filter(pk=pk).first()
            if pk else None)
    if stop is None or not services_visits.may_work_stop(stop, user):
        raise Http404
    return stop


# --- Today's stops ---

class QuestionOutSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()
    kind = serializers.CharField()
    choices = serializers.ListField(child=serializers.CharField())


class StopOutSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    order = serializers.IntegerField()
    planned_arrival = serializers.TimeField(allow_null=True)
    status = serializers.CharField()
    flag = serializers.CharField()
    customer = serializers.IntegerField()
    name = serializers.CharField()
    place_name = serializers.CharField(allow_blank=True)
    phone = serializers.CharField(allow_blank=True)
    address = serializers.CharField(allow_blank=True)
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, allow_null=True)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6, allow_null=True)
    checked_in_at = serializers.DateTimeField(allow_null=True)
    is_far = serializers.BooleanField()
    distance_m = serializers.IntegerField(allow_null=True)
    has_outcome = serializers.BooleanField()
    script_questions = QuestionOutSerializer(many=True)


def stop_card(stop: TourStop, *, with_script: bool = True) -> dict:
    """What the phone shows of a stop (the page and the API share it)."""
    customer = stop.customer
    phones = [customer.mobile] if customer.mobile else []
    phones += [phone.number for phone in customer.phones.all() if phone.number not in phones]
    place = stop.place
    address = place.address if place is not None and place.address_id else None
    if address is None:
        addresses = list(customer.addresses.all())
        address = next((row for row in addresses if row.is_default), addresses[0] if addresses else None)
    check_in = next(iter(stop.check_ins.all()), None)
    script = stop_script(stop) if with_script else None
    return {
        "id": stop.pk, "order": stop.order, "planned_arrival": stop.planned_arrival, "status": stop.status,
        "flag": stop.flag, "customer": customer.pk, "name": customer.display_name,
        "place_name": place.name if place is not None else "",
        "phone": phones[0] if phones else "", "address": str(address) if address is not None else "",
        "latitude": place.latitude if place is not None else None,
        "longitude": place.longitude if place is not None else None,
        "checked_in_at": check_in.at if check_in else None, "is_far": bool(check_in and check_in.is_far),
        "distance_m": check_in.distance_m if check_in else None,
        "has_outcome": bool(check_in and check_in.contact_id),
        "script_questions": [{"id": question.pk, "text": question.text, "kind": question.kind,
                              "choices": question.choices or []}
                             for question in (script.questions.all() if script else [])],
    }


class TodayApi(APIView):
    """The caller's stops today (Tehran's day), in the planned order."""

    @extend_schema(summary="My stops today, in order", responses=StopOutSerializer(many=True))
    def get(self, request):
        require_perms(request, "field.add_checkin")
        stops = day_stops(marketer=request.user, day=timezone.localdate())
        return Response(StopOutSerializer([stop_card(stop) for stop in stops], many=True).data)


# --- Check-ins ---

class CheckInInSerializer(serializers.Serializer):
    stop = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    at = serializers.DateTimeField(help_text="The phone's time of the check-in (ISO 8601), even when sent later")
    latitude = serializers.DecimalField(max_digits=12, decimal_places=9, min_value=-90, max_value=90,
                                        required=False, allow_null=True, default=None)
    longitude = serializers.DecimalField(max_digits=12, decimal_places=9, min_value=-180, max_value=180,
                                         required=False, allow_null=True, default=None)
    accuracy_m = serializers.IntegerField(min_value=0, max_value=1_000_000, required=False, allow_null=True,
                                          default=None)

    def to_internal_value(self, data):
        # Phones send more decimals than six; the service rounds them.
        if isinstance(data, Mapping):  # anything else (a list, a string) is refused by DRF with a 400
            data = data.copy()
            for name in ("latitude", "longitude"):
                value = data.get(name)
                if isinstance(value, float):
                    data[name] = f"{value:.9f}"
        return super().to_internal_value(data)


class CheckInOutSerializer(serializers.ModelSerializer):
    marketer = serializers.IntegerField(source="user_id")
    customer = serializers.IntegerField(source="stop.customer_id")
    date = serializers.DateField(source="stop.day.date")

    class Meta:
        model = CheckIn
        fields = ["id", "stop", "marketer", "customer", "date", "at", "received_at", "latitude", "longitude",
                  "accuracy_m", "distance_m", "is_far", "contact"]


class CheckInFilterSerializer(serializers.Serializer):
    marketer = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    date = DateField(required=False)
    is_far = serializers.BooleanField(required=False, allow_null=True, default=None)


class CheckInListApi(APIView):
    """Check-ins (a marketer's own; a manager's centers'), and checking in at a stop."""

    @extend_schema(summary="Check-ins, newest first", parameters=[
        OpenApiParameter("marketer", OpenApiTypes.INT, description="Only this marketer's"),
        OpenApiParameter("date", OpenApiTypes.STR, description="Only this day's stops (Jalali or ISO)"),
        OpenApiParameter("is_far", OpenApiTypes.BOOL, description="Only those far from the place (or near)"),
        page_parameter()], responses=paged_schema("CheckInPage", CheckInOutSerializer))
    def get(self, request):
        if not (request.user.has_perm("field.view_checkin") or request.user.has_perm("field.add_checkin")):
            raise PermissionDenied
        filters = CheckInFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        values = filters.validated_data
        check_ins = check_in_list(user=request.user, marketer=values.get("marketer"), date=values.get("date"),
                                  is_far=values.get("is_far"))
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(check_ins, request, view=self)
        return paginator.get_paginated_response(CheckInOutSerializer(page, many=True).data)

    @extend_schema(summary="Check in at a stop (time and, when given, position); far is flagged, not refused",
                   parameters=[KEY_HEADER], request=CheckInInSerializer,
                   responses={201: CheckInOutSerializer, 200: CheckInOutSerializer})
    def post(self, request):
        require_perms(request, "field.add_checkin")
        incoming = CheckInInSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        values = incoming.validated_data
        stop = workable_stop(request.user, values["stop"])
        key = request.headers.get("Idempotency-Key") or None
        stored = caller_key(user=request.user, key=key)
        replay = bool(stored) and CheckIn.objects.filter(submission_key=stored).exists()
        replay = replay or CheckIn.objects.filter(stop=stop).exists()
        check_in = services_visits.check_in_record(
            stop=stop, acting_user=request.user, at=values["at"], latitude=values["latitude"],
            longitude=values["longitude"], accuracy_m=values["accuracy_m"], submission_key=key)
        check_in = CheckIn.objects.select_related("stop__day").get(pk=check_in.pk)
        return Response(CheckInOutSerializer(check_in).data,
                        status=status.HTTP_200_OK if replay else status.HTTP_201_CREATED)


# --- Outcomes and skips ---

class AnswerInSerializer(serializers.Serializer):
    question = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1,
                                        max_value=MAX_ID, help_text="A script question's id; null when asked ad hoc")
    question_text = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)
    answer = serializers.CharField(max_length=1000, allow_blank=True)


class OutcomeInSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=Contact.Outcome.choices, required=False, allow_blank=True, default="")
    notes = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)
    answers = AnswerInSerializer(many=True, required=False, default=list)
    next_step = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    next_step_date = DateField(required=False, allow_null=True, default=None,
                               help_text="ISO 2026-12-06 or Jalali 1405/09/15; today or later")


class OutcomeOutSerializer(serializers.Serializer):
    contact = serializers.IntegerField()
    stop = serializers.IntegerField()
    check_in = serializers.IntegerField()


def answer_pairs(stop: TourStop, rows: list[dict]) -> list[tuple]:
    """(question, answer) pairs for the contact log: a question of the stop's script, or a text asked ad hoc."""
    script = stop_script(stop)
    questions = {question.pk: question for question in (script.questions.all() if script else [])}
    pairs, errors = [], {}
    for index, row in enumerate(rows):
        answer = normalize_text(row.get("answer") or "")
        if not answer:
            continue
        if row.get("question"):
            question = questions.get(row["question"])
            if question is None:
                errors[f"answers[{index}].question"] = [_("No such question in this visit's script.")]
                continue
            pairs.append((question, answer))
        else:
            text = normalize_text(row.get("question_text") or "")
            if not text:
                errors[f"answers[{index}].question_text"] = [_("Write the question, or name a script question.")]
                continue
            pairs.append((text, answer))
    if errors:
        raise serializers.ValidationError(errors)
    return pairs


class StopOutcomeApi(APIView):
    """The outcome of a visit, logged into the CRM's contact log and linked to the stop's check-in."""

    @extend_schema(summary="Record a visit's outcome (notes, the script's answers, next step)",
                   parameters=[KEY_HEADER], request=OutcomeInSerializer, responses={201: OutcomeOutSerializer})
    def post(self, request, pk):
        require_perms(request, "field.add_checkin", "marketing.add_contact")
        stop = workable_stop(request.user, pk)
        incoming = OutcomeInSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        values = incoming.validated_data
        answers = answer_pairs(stop, values["answers"])
        if not values["notes"].strip() and not answers:
            raise serializers.ValidationError({"notes": [_("Write what was said, or answer a question.")]})
        contact = services_visits.visit_outcome_record(
            stop=stop, acting_user=request.user, outcome=values["outcome"], notes=values["notes"], answers=answers,
            next_step=values["next_step"], next_step_date=values["next_step_date"],
            submission_key=request.headers.get("Idempotency-Key") or None)
        check_in = CheckIn.objects.get(contact=contact)
        return Response({"contact": contact.pk, "stop": stop.pk, "check_in": check_in.pk},
                        status=status.HTTP_201_CREATED)


class SkipInSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


class StopSkipOutSerializer(serializers.Serializer):
    stop = serializers.IntegerField()
    status = serializers.CharField()


class StopSkipApi(APIView):
    """Skipping a stop (closed shop, no time left), with a reason noted in the CRM's contact log."""

    @extend_schema(summary="Skip a stop", request=SkipInSerializer, responses={200: StopSkipOutSerializer})
    def post(self, request, pk):
        require_perms(request, "field.add_checkin")
        stop = workable_stop(request.user, pk)
        incoming = SkipInSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        stop = services_visits.stop_skip(stop=stop, acting_user=request.user,
                                         reason=incoming.validated_data["reason"])
        return Response({"stop": stop.pk, "status": stop.status})
