"""The bulk API through which the external serial-and-tracking system pushes units and events."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from .models import UnitEvent
from .services import units_push

MAX_ROWS = 5000


class PushComponentSerializer(serializers.Serializer):
    type = serializers.CharField(help_text="Component type code, e.g. COMPRESSOR")
    serial = serializers.CharField()


class PushUnitSerializer(serializers.Serializer):
    serial = serializers.CharField()
    brand = serializers.CharField(help_text="Brand code")
    model = serializers.CharField(help_text="Product model code (of that brand)")
    production_date = serializers.CharField(required=False, help_text="ISO 2026-11-28 or Jalali 1405/09/07")
    batch = serializers.CharField(required=False)
    factory = serializers.CharField(required=False)
    sale_invoice_no = serializers.CharField(required=False)
    delivery_note_no = serializers.CharField(required=False)
    subscription_no = serializers.CharField(required=False)
    dealer_code = serializers.CharField(required=False)
    dealer_name = serializers.CharField(required=False)
    sale_date = serializers.CharField(required=False)
    components = PushComponentSerializer(many=True, required=False)


class PushEventSerializer(serializers.Serializer):
    serial = serializers.CharField()
    brand = serializers.CharField(required=False)
    event_id = serializers.CharField(help_text="The event's id in the source system; pushing it again changes nothing")
    kind = serializers.ChoiceField(choices=UnitEvent.Kind.choices)
    occurred_at = serializers.CharField(help_text="ISO 8601 with offset, or Jalali 1405/09/07 14:30 (Tehran time)")
    reference = serializers.CharField(required=False)
    details = serializers.DictField(required=False)


class PushSerializer(serializers.Serializer):
    units = serializers.ListField(child=serializers.DictField(), required=False, default=list)
    events = serializers.ListField(child=serializers.DictField(), required=False, default=list)

    def validate(self, data):
        if len(data["units"]) + len(data["events"]) > MAX_ROWS:
            raise serializers.ValidationError(
                _("Send at most %(count)s rows in one push; split the batch.") % {"count": MAX_ROWS}
            )
        return data


class RowResultSerializer(serializers.Serializer):
    index = serializers.IntegerField()
    serial = serializers.CharField()
    status = serializers.ChoiceField(choices=["created", "updated", "unchanged", "error"])
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()), required=False)


class PushResultSerializer(serializers.Serializer):
    units = RowResultSerializer(many=True)
    events = RowResultSerializer(many=True)


class CanPushUnits(permissions.BasePermission):
    def has_permission(self, request, view):
        return request.user.has_perm("catalog.add_productunit") and request.user.has_perm("catalog.add_unitevent")


class UnitPushApi(APIView):
    """Push units and their events in batches (at most 5,000 rows).

    Units are matched on (brand, serial) and created or updated; events are idempotent on
    (serial, event_id). Every row is committed or refused on its own and gets a result with
    its index, status (created, updated, unchanged, error) and, on error, Persian messages per field.
    Rows of the two lists use the shapes of PushUnit and PushEvent.
    """

    permission_classes = [permissions.IsAuthenticated, CanPushUnits]

    @extend_schema(
        request=PushSerializer,
        responses=PushResultSerializer,
        examples=[OpenApiExample("One unit and its sale", value={
            "units": [{"serial": "RF520-0001", "brand": "SNOW", "model": "RF520", "production_date": "2026-01-10",
                       "components": [{"type": "COMPRESSOR", "serial": "CMP-77"}]}],
            "events": [{"serial": "RF520-0001", "event_id": "ev-1", "kind": "sold", "occurred_at": "2026-02-01T10:00:00+03:30"}],
        })],
    )
    def post(self, request):
        payload = PushSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        result = units_push(units=payload.validated_data["units"], events=payload.validated_data["events"], acting_user=request.user)
        return Response(result)
