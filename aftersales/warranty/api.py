from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aftersales.core import jalali
from aftersales.core.api import model_field
from aftersales.customers.models import Customer

from .models import WarrantyCard
from .status import warranty_status


class CoverageSerializer(serializers.Serializer):
    state = serializers.CharField()
    state_label = serializers.CharField()
    start = serializers.DateField(allow_null=True)
    end = serializers.DateField(allow_null=True)
    start_jalali = serializers.CharField(allow_null=True)
    end_jalali = serializers.CharField(allow_null=True)
    rule = serializers.CharField()
    void_reason = serializers.CharField()
    covers_parts = serializers.BooleanField()
    covers_labour = serializers.BooleanField()


class ComponentCoverageSerializer(CoverageSerializer):
    component_type_id = serializers.IntegerField()
    component_name = serializers.CharField()
    serial = serializers.CharField()


class StatusSerializer(serializers.Serializer):
    serial = serializers.CharField()
    on = serializers.DateField()
    product = CoverageSerializer()
    components = ComponentCoverageSerializer(many=True)


def _coverage(coverage) -> dict:
    data = dict(coverage.__dict__)
    data["state_label"] = coverage.state_label()
    data["start_jalali"] = jalali.format_date(coverage.start, latin_digits=True) or None
    data["end_jalali"] = jalali.format_date(coverage.end, latin_digits=True) or None
    return data


def status_data(status) -> dict:
    return {"serial": status.serial, "on": status.on, "product": _coverage(status.product),
            "components": [_coverage(component) for component in status.components]}


class WarrantyStatusApi(APIView):
    """The warranty status of a serial (and of each component) on a date: always 200, with state
    ``not_registered`` for an unknown serial. Serials may be typed with any digits, spaces or dashes."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[OpenApiParameter("serial", str, required=True), OpenApiParameter("on", str, description="ISO date; today by default"),
                    OpenApiParameter("brand", str)],
        responses=StatusSerializer,
    )
    def get(self, request):
        from django.utils.dateparse import parse_date

        serial = request.query_params.get("serial", "")
        if not serial.strip():
            raise serializers.ValidationError({"serial": [_("Enter a serial number.")]})
        brand = request.query_params.get("brand")
        on = request.query_params.get("on")
        try:
            day = parse_date(on) if on else None
        except ValueError:
            day = None
        if on and day is None:
            raise serializers.ValidationError({"on": [_("Enter the date as YYYY-MM-DD.")]})
        status = warranty_status(serial=serial, on=day, brand_code=brand)
        # The serializer documents the shape; DRF's encoder writes the plain data faster (dates as ISO).
        return Response(status_data(status))


class CardActivationSerializer(serializers.Serializer):
    number = serializers.CharField(max_length=40, help_text="The 12-digit card number (Persian or Latin digits, spaces allowed)")
    purchase_date = model_field(WarrantyCard, "purchase_date", required=True, allow_null=False,
                                help_text="ISO 2026-03-30 or Jalali 1405/01/10")
    installation_date = model_field(WarrantyCard, "installation_date", required=False)
    owner_mobile = model_field(Customer, "mobile", required=False,
                               help_text="The buyer's mobile; the customer is found or created")
    owner_name = model_field(Customer, "last_name", required=False, label=gettext_lazy("name"),
                             help_text="The buyer's full name, for a new customer")


class CardActivationApi(APIView):
    """Activate a warranty card from a dealer's system (channel "dealer").

    400 with field errors, in Persian, for a mistyped number, a card already activated (with its
    date), a voided unit, or an impossible date.
    """

    permission_classes = [IsAuthenticated]

    @extend_schema(request=CardActivationSerializer, responses=StatusSerializer)
    def post(self, request):
        from django.core.exceptions import PermissionDenied

        from .models import WarrantyCard
        from .services import owner_for_mobile, warranty_card_activate
        from .status import unit_warranty_status

        if not request.user.has_perm("warranty.change_warrantycard"):
            raise PermissionDenied
        data = CardActivationSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        dates = {name: values[name] for name in ("purchase_date", "installation_date") if values.get(name)}
        owner = None
        if values.get("owner_mobile"):
            owner = owner_for_mobile(mobile=values["owner_mobile"], name=values.get("owner_name", ""), acting_user=request.user)
        card = warranty_card_activate(number=values["number"], channel=WarrantyCard.Channel.DEALER,
                                      acting_user=request.user, owner=owner, **dates)
        return Response(status_data(unit_warranty_status(card.unit)))
