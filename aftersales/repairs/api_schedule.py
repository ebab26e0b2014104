"""The home visits schedule over REST (issue 13): the visits and the free slots of a center's home-service
technicians between two dates, for a call center or a dispatcher's app booking into a real gap."""

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from aftersales.core.api import DateField
from aftersales.organization.models import ServiceCenter
from aftersales.organization.scoping import scope_queryset

from . import schedule as home

MAX_DAYS = 31


class ScheduleQuerySerializer(serializers.Serializer):
    center = serializers.IntegerField(required=False, help_text="Service center id; the caller's first center if left out")
    technician = serializers.IntegerField(required=False, help_text="Only this technician's row (a user id)")
    start = DateField(required=False, help_text="From (Jalali 1405/09/12 or ISO); today if left out")
    end = DateField(required=False, help_text=f"To, inclusive; six days after `from` if left out; at most {MAX_DAYS} days")

    def get_fields(self):
        fields = super().get_fields()
        fields["from"], fields["to"] = fields.pop("start"), fields.pop("end")  # reserved words in Python
        return fields


class ScheduleTechnicianSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class ScheduleVisitSerializer(serializers.Serializer):
    order = serializers.IntegerField()
    number = serializers.CharField()
    technician = serializers.IntegerField(allow_null=True)
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    customer = serializers.CharField()
    area = serializers.CharField()
    address = serializers.CharField()
    state = serializers.CharField()
    state_name = serializers.CharField()
    is_closed = serializers.BooleanField(help_text="Done or cancelled: no longer holds its time")


class ScheduleSlotSerializer(serializers.Serializer):
    technician = serializers.IntegerField()
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()


class ScheduleSerializer(serializers.Serializer):
    center = serializers.IntegerField()
    start = serializers.DateField()
    end = serializers.DateField()
    visit_minutes = serializers.IntegerField()
    day_start = serializers.CharField()
    day_end = serializers.CharField()
    technicians = ScheduleTechnicianSerializer(many=True)
    visits = ScheduleVisitSerializer(many=True)
    free_slots = ScheduleSlotSerializer(many=True)

    def get_fields(self):
        fields = super().get_fields()
        fields["from"], fields["to"] = fields.pop("start"), fields.pop("end")
        return fields


class ScheduleApi(APIView):
    """The home visits (with an appointment) of a center's home-service technicians and their free slots,
    day by day from `from` to `to`, in the caller's centers only. 400 with Persian field errors for a
    center that is not the caller's, bad dates or too long a range."""

    permission_classes = [IsAuthenticated]

    @extend_schema(parameters=[ScheduleQuerySerializer], responses=ScheduleSerializer)
    def get(self, request):
        if not request.user.has_perm("repairs.view_repairorder"):
            raise PermissionDenied
        incoming = ScheduleQuerySerializer(data=request.query_params)
        incoming.is_valid(raise_exception=True)
        values = incoming.validated_data
        centers = scope_queryset(ServiceCenter.objects.filter(is_active=True), request.user).order_by("code")
        center = centers.filter(pk=values["center"]).first() if "center" in values else centers.first()
        if center is None:
            raise serializers.ValidationError({"center": [_("You do not work at this service center.")]})
        technician = None
        if "technician" in values:
            technician = get_user_model().objects.filter(pk=values["technician"], centers=center).first()
            if technician is None:
                raise serializers.ValidationError({"technician": [_("Choose a technician of this service center.")]})
        start = values.get("from") or timezone.localdate()
        end = values.get("to") or start + datetime.timedelta(days=6)
        if end < start:
            raise serializers.ValidationError({"to": [_("The end date is before the start date.")]})
        if (end - start).days >= MAX_DAYS:
            raise serializers.ValidationError({"to": [_("At most %(days)s days at a time.") % {"days": MAX_DAYS}]})
        plan = home.home_schedule(user=request.user, center=center, start=start, days=(end - start).days + 1,
                                  technician=technician)
        length = home.visit_length()
        visits, free = [], []
        for row in plan.rows:
            for day in row.days:
                visits += [{"order": visit.pk, "number": visit.number, "technician": visit.assignee_id,
                            "start": visit.appointment_at, "end": visit.appointment_at + length,
                            "customer": str(visit.customer), "area": visit.area, "address": visit.address,
                            "state": visit.state.code, "state_name": visit.state.name,
                            "is_closed": visit.state.is_final} for visit in day.visits]
                if row.technician is not None:
                    free += [{"technician": row.technician.pk, "start": cell.start, "end": cell.end}
                             for cell in day.free_cells]
        return Response({
            "center": center.pk, "from": start, "to": end, "visit_minutes": length.seconds // 60,
            "day_start": home.day_start().strftime("%H:%M"), "day_end": home.day_end().strftime("%H:%M"),
            "technicians": [{"id": row.technician.pk, "name": str(row.technician)} for row in plan.rows
                            if row.technician is not None],
            "visits": visits, "free_slots": free,
        })
