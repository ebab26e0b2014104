"""Appointments, appointment plans and daily reports over REST (F49, F56): the same services and scoping as the
pages; bad input is a 400 with Persian field errors."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from aftersales.core import rowscope
from aftersales.core.api import DateField, JalaliDateTimeField, ModelPermissions
from aftersales.core.jalali import parse_datetime
from aftersales.core.validators import validate_plausible_date
from aftersales.organization.scoping import scope_queryset

from . import day as selectors
from . import services
from .models import Appointment, AppointmentPlan, DailyReport, Party


class _Scoped(serializers.Serializer):
    """An input whose choices of records are only those the caller may see (another center's id is invalid)."""

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            rowscope.scope_choices(fields, request.user)
        return fields


class DateTimeField(serializers.DateTimeField):
    """An instant as ISO 8601 or a Jalali «1405/09/14 10:30» (any digits), in Tehran's time."""

    default_error_messages = {"invalid": _("Enter a valid date and time (Jalali 1405/09/14 10:30 or ISO "
                                           "2026-12-05T10:30:00+03:30).")}

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.validators.append(validate_plausible_date)

    def to_internal_value(self, value):
        if isinstance(value, str):
            try:
                return parse_datetime(value)
            except (ValueError, OverflowError):
                pass
        return super().to_internal_value(value)


def _marketer_field(**kwargs):
    from aftersales.organization.models import User

    return serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True), required=False,
                                              allow_null=True, default=None, **kwargs)


# --- appointments -------------------------------------------------------------------------------------------

class AppointmentOutSerializer(serializers.ModelSerializer):
    party_name = serializers.CharField(source="party.__str__", read_only=True)
    at_jalali = JalaliDateTimeField(source="at")

    class Meta:
        model = Appointment
        fields = ["id", "party", "party_name", "plan", "kind", "at", "at_jalali", "marketer", "status", "notes",
                  "contact"]
        read_only_fields = fields


class _PartyField(serializers.PrimaryKeyRelatedField):
    """A party's id; one beyond any id is "not found" like any other, not an overflow."""

    def to_internal_value(self, data):
        try:
            return super().to_internal_value(data)
        except OverflowError:
            self.fail("does_not_exist", pk_value=data)


class AppointmentInSerializer(_Scoped):
    party = _PartyField(queryset=Party.objects.all(), help_text="The party's id")
    at = DateTimeField(help_text="ISO 8601 or Jalali «1405/09/14 10:30» (Tehran time)")
    kind = serializers.ChoiceField(choices=AppointmentPlan.Kind.choices, default=AppointmentPlan.Kind.VISIT)
    plan = serializers.PrimaryKeyRelatedField(queryset=AppointmentPlan.objects.all(), required=False, allow_null=True,
                                              default=None, help_text="One of the party's plans (its kind applies)")
    marketer = _marketer_field(help_text="Empty: the plan's, else the party's marketer")
    notes = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


_RANGE = [OpenApiParameter("from", str, description="First day (Jalali 1405/09/01 or ISO)"),
          OpenApiParameter("to", str, description="Last day, included"),
          OpenApiParameter("marketer", int, description="A marketer's id (managers)")]


def _range(request) -> dict:
    """The ``from``/``to``/``marketer`` filters of a list, refused as field errors when malformed."""
    values, errors = {}, {}
    for name, key in (("from", "start"), ("to", "end")):
        text = request.query_params.get(name, "").strip()
        if text:
            try:
                values[key] = DateField().run_validation(text)
            except serializers.ValidationError as error:
                errors[name] = error.detail
    text = request.query_params.get("marketer", "").strip()
    if text:
        from aftersales.organization.models import User

        marketer = User.objects.filter(pk=text).first() if text.isdigit() else None
        if marketer is None:
            errors["marketer"] = [_("No such marketer.")]
        values["marketer"] = marketer
    if errors:
        raise serializers.ValidationError(errors)
    return values


class AppointmentListApi(APIView):
    permission_classes = [ModelPermissions]
    queryset = Appointment.objects.none()

    @extend_schema(parameters=_RANGE, responses=AppointmentOutSerializer(many=True),
                   summary="Appointments the caller may see (a manager's centers', else their own), by time")
    def get(self, request):
        appointments = selectors.appointment_list(request.user, **_range(request))[:1000]
        return Response(AppointmentOutSerializer(appointments, many=True).data)

    @extend_schema(request=AppointmentInSerializer, responses={201: AppointmentOutSerializer},
                   summary="Book an appointment with a party; outside its plan's period, in the past or over a full "
                           "plan is a 400")
    def post(self, request):
        incoming = AppointmentInSerializer(data=request.data, context={"request": request})
        incoming.is_valid(raise_exception=True)
        appointment = services.appointment_book(acting_user=request.user, **incoming.validated_data)
        return Response(AppointmentOutSerializer(appointment).data, status=status.HTTP_201_CREATED)


class AppointmentCancelApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses=AppointmentOutSerializer, summary="Cancel a booked appointment")
    def post(self, request, pk):
        if not request.user.has_perm("crm.change_appointment"):
            raise PermissionDenied
        appointment = get_object_or_404(selectors.appointment_list(request.user), pk=pk)
        appointment = services.appointment_cancel(appointment=appointment, acting_user=request.user)
        return Response(AppointmentOutSerializer(appointment).data)


# --- plans --------------------------------------------------------------------------------------------------

class AppointmentPlanSerializer(serializers.ModelSerializer):
    party_name = serializers.CharField(source="party.__str__", read_only=True)
    booked = serializers.IntegerField(read_only=True, help_text="Appointments booked or done")
    done = serializers.IntegerField(read_only=True)
    cancelled = serializers.IntegerField(read_only=True)
    to_book = serializers.SerializerMethodField(help_text="Planned − booked")

    class Meta:
        model = AppointmentPlan
        fields = ["id", "party", "party_name", "kind", "count", "start_date", "end_date", "marketer", "booked", "done",
                  "cancelled", "to_book"]
        read_only_fields = fields

    def get_to_book(self, plan) -> int:
        return max(0, plan.count - plan.booked)


class AppointmentPlanInSerializer(_Scoped):
    party = serializers.PrimaryKeyRelatedField(queryset=Party.objects.all())
    kind = serializers.ChoiceField(choices=AppointmentPlan.Kind.choices, default=AppointmentPlan.Kind.VISIT)
    count = serializers.IntegerField(min_value=1, max_value=100)
    start_date = DateField(help_text="Jalali 1405/09/01 or ISO")
    end_date = DateField()
    marketer = _marketer_field(help_text="Empty: the party's marketer")


class PlanListApi(APIView):
    permission_classes = [ModelPermissions]
    queryset = AppointmentPlan.objects.none()

    @extend_schema(parameters=_RANGE, responses=AppointmentPlanSerializer(many=True),
                   summary="Appointment plans in force in a period, with planned, booked, done and cancelled counts")
    def get(self, request):
        values = _range(request)
        plans = scope_queryset(AppointmentPlan.objects.all(), request.user)
        if not selectors.is_team_manager(request.user):
            plans = plans.filter(Q(marketer=request.user) | Q(party__marketer=request.user))
        elif values.get("marketer") is not None:
            plans = plans.filter(marketer=values["marketer"])
        if values.get("start"):
            plans = plans.filter(end_date__gte=values["start"])
        if values.get("end"):
            plans = plans.filter(start_date__lte=values["end"])
        plans = selectors.plan_counts(plans).select_related("party__customer").order_by("-start_date", "pk")[:1000]
        return Response(AppointmentPlanSerializer(plans, many=True).data)

    @extend_schema(request=AppointmentPlanInSerializer, responses={201: AppointmentPlanSerializer},
                   summary="Plan N visits or calls with a party between two days")
    def post(self, request):
        incoming = AppointmentPlanInSerializer(data=request.data, context={"request": request})
        incoming.is_valid(raise_exception=True)
        plan = services.plan_create(acting_user=request.user, **incoming.validated_data)
        plan = selectors.plan_counts(AppointmentPlan.objects.filter(pk=plan.pk)).select_related("party__customer").get()
        return Response(AppointmentPlanSerializer(plan).data, status=status.HTTP_201_CREATED)


# --- daily reports ------------------------------------------------------------------------------------------

class DailyReportSerializer(serializers.ModelSerializer):
    user_name = serializers.CharField(source="user.__str__", read_only=True)
    counts = serializers.SerializerMethodField(help_text="The day's visits, calls, answers, moves, appointments, "
                                                         "read live from the log")

    class Meta:
        model = DailyReport
        fields = ["id", "user", "user_name", "center", "day", "note", "filed_at", "counts", "manager_comment",
                  "commented_by", "commented_at"]
        read_only_fields = fields

    def get_counts(self, report) -> dict[str, int]:
        return selectors.marketer_day(report.user, report.day)["counts"]


class DailyReportInSerializer(serializers.Serializer):
    day = DateField(help_text="The day reported (Jalali or ISO); not one still to come")
    note = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")


class CommentInSerializer(serializers.Serializer):
    comment = serializers.CharField(max_length=4000, allow_blank=True)


class DailyReportListApi(APIView):
    permission_classes = [ModelPermissions]
    queryset = DailyReport.objects.none()

    @extend_schema(parameters=_RANGE, responses=DailyReportSerializer(many=True),
                   summary="Filed daily reports: a manager's centers' (crm.comment_dailyreport), else the caller's own")
    def get(self, request):
        reports = selectors.daily_report_list(request.user, **_range(request))[:200]
        return Response(DailyReportSerializer(reports, many=True).data)

    @extend_schema(request=DailyReportInSerializer, responses={201: DailyReportSerializer},
                   summary="File (or refile) the caller's own report of a day")
    def post(self, request):
        incoming = DailyReportInSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        report = services.daily_report_file(user=request.user, acting_user=request.user, **incoming.validated_data)
        return Response(DailyReportSerializer(report).data, status=status.HTTP_201_CREATED)


class DailyReportCommentApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=CommentInSerializer, responses=DailyReportSerializer,
                   summary="The manager's comment on a marketer's report")
    def post(self, request, pk):
        if not request.user.has_perm("crm.comment_dailyreport"):
            raise PermissionDenied
        report = get_object_or_404(selectors.daily_report_list(request.user), pk=pk)
        incoming = CommentInSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        report = services.daily_report_comment(report=report, comment=incoming.validated_data["comment"],
                                               acting_user=request.user)
        return Response(DailyReportSerializer(report).data)
