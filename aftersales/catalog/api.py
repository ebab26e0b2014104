"""The bulk API through which the external serial-and-tracking system pushes units and events."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
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


class UnitMatchSerializer(serializers.Serializer):
    unit = serializers.IntegerField(help_text="The unit's id (GET /api/units/{id}/)")
    serial = serializers.CharField(help_text="The serial as it was registered")
    brand = serializers.CharField(help_text="Brand code")
    product_model = serializers.IntegerField()
    product_model_name = serializers.CharField()
    status = serializers.CharField()
    owner = serializers.IntegerField(allow_null=True)
    kind = serializers.CharField(help_text="The kind of number that matched: serial, warranty_card, sale_invoice, "
                                           "delivery_note, subscription, component…")
    kind_label = serializers.CharField()
    number = serializers.CharField(help_text="The matching number as it was registered")


class UnitLookupResultSerializer(serializers.Serializer):
    number = serializers.CharField()
    matches = UnitMatchSerializer(many=True)


class CanViewUnits(permissions.BasePermission):
    def has_permission(self, request, view):
        return request.user.has_perm("catalog.view_productunit")


class UnitLookupApi(APIView):
    """Find units by any number they are known by (issue 20, F25/F35): serial, warranty card, sale invoice,
    delivery note or subscription number, typed with any digits (Persian, Arabic, Latin) and separators.

    Exact matches only (the serial registry is national: like the units list, a number finds a unit for
    any staff member allowed to view units). A number may name several units (one invoice for three
    units): all are listed, for the caller to choose. An empty number is refused with 400.
    """

    permission_classes = [permissions.IsAuthenticated, CanViewUnits]

    @extend_schema(
        parameters=[OpenApiParameter("number", str, required=True,
                                     description="Serial, warranty card, sale invoice, delivery note or subscription number")],
        responses=UnitLookupResultSerializer,
    )
    def get(self, request):
        from .identifiers import identifier_key
        from .lookup import unit_lookup

        number = request.query_params.get("number", "")
        if not identifier_key(number) or "\x00" in number:
            raise serializers.ValidationError({"number": [_("Enter a serial, warranty card, invoice or subscription number.")]})
        if len(number) > 100:
            raise serializers.ValidationError({"number": [_("The number is too long.")]})
        matches = [{
            "unit": match.unit.pk, "serial": match.unit.serial, "brand": match.unit.brand.code,
            "product_model": match.unit.product_model_id, "product_model_name": match.unit.product_model.name,
            "status": match.unit.status, "owner": match.unit.owner_id, "kind": match.kind,
            "kind_label": str(match.label), "number": match.number,
        } for match in unit_lookup(number)]
        return Response({"number": number, "matches": matches})
