"""The workshop over REST: reception from another system (a call center, a dealer) and workflow steps."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from aftersales.catalog.models import FaultCode
from aftersales.core.api import model_field
from aftersales.core.validators import validate_promised_date
from aftersales.customers.models import Customer
from aftersales.organization.models import ServiceCenter
from aftersales.organization.scoping import scope_queryset

from . import selectors, services
from .models import RepairOrder


class ReceptionSerializer(serializers.Serializer):
    center = serializers.IntegerField(help_text="Service center id (one of the caller's centers)")
    # Lengths, choices, dates and the product model as the models have them (stored on every database).
    customer_mobile = model_field(Customer, "mobile", required=True, allow_blank=False)
    customer_name = model_field(Customer, "last_name", required=False, allow_blank=True, default="",
                                label=gettext_lazy("customer's name"), help_text="The customer's full name, for a new customer")
    serial = model_field(RepairOrder, "serial", required=False, allow_blank=True, default="")
    product_model = model_field(RepairOrder, "product_model", required=False, allow_null=True, default=None)
    kind = model_field(RepairOrder, "kind", default=RepairOrder.Kind.IN_CENTER)
    description = model_field(RepairOrder, "description")
    fault_codes = serializers.ListField(child=model_field(FaultCode, "code"), required=False, default=list)
    accessories = model_field(RepairOrder, "accessories", required=False, allow_blank=True, default="")
    condition = model_field(RepairOrder, "condition", required=False, allow_blank=True, default="")
    promised_on = model_field(RepairOrder, "promised_on", validators=[validate_promised_date], required=False,
                              allow_null=True, default=None, help_text="ISO 2026-12-06 or Jalali 1405/09/15")
    address = model_field(RepairOrder, "address", required=False, allow_blank=True, default="")
    appointment_at = model_field(RepairOrder, "appointment_at", required=False, allow_null=True, default=None,
                                 help_text="A home call's visit, ISO 8601 (2026-12-06T10:00:00+03:30): to come, "
                                           "within the working day, in a free slot of the technician")
    assignee = serializers.IntegerField(required=False, allow_null=True, default=None,
                                        help_text="A home call's technician: a user id of the center's staff")
    submission_key = serializers.CharField(required=False, allow_blank=True, default="",
                                           help_text="Send the same key again (a retry) and get the same order back")


class OrderSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    tracking_code = serializers.CharField()
    tracking_url = serializers.SerializerMethodField()
    center = serializers.IntegerField(source="center_id")
    kind = serializers.CharField()
    customer = serializers.IntegerField(source="customer_id")
    serial = serializers.CharField()
    product_model = serializers.IntegerField(source="product_model_id", allow_null=True)
    state = serializers.CharField(source="state.code")
    state_name = serializers.CharField(source="state.name")
    version = serializers.IntegerField()
    is_warranty = serializers.BooleanField()
    warranty_state = serializers.CharField()
    warranty_end = serializers.DateField(allow_null=True)
    estimate_amount = serializers.IntegerField(allow_null=True)
    estimate_status = serializers.CharField()
    assignee = serializers.IntegerField(source="assignee_id", allow_null=True)
    received_at = serializers.DateTimeField()
    due_at = serializers.DateTimeField(allow_null=True)
    promised_on = serializers.DateField(allow_null=True)


    def get_tracking_url(self, order) -> str:
        return services.tracking_url(order)


def _order_data(order) -> dict:
    """The order as ``OrderSerializer`` documents it, built directly (the reception path is hot)."""
    return {
        "id": order.pk, "number": order.number, "tracking_code": order.tracking_code,
        "tracking_url": services.tracking_url(order), "center": order.center_id, "kind": order.kind,
        "customer": order.customer_id, "serial": order.serial, "product_model": order.product_model_id,
        "state": order.state.code, "state_name": order.state.name, "version": order.version,
        "is_warranty": order.is_warranty, "warranty_state": order.warranty_state, "warranty_end": order.warranty_end,
        "estimate_amount": order.estimate_amount, "estimate_status": order.estimate_status,
        "assignee": order.assignee_id, "received_at": order.received_at, "due_at": order.due_at,
        "promised_on": order.promised_on,
    }


class StepSerializer(serializers.Serializer):
    code = serializers.SlugField()
    version = serializers.IntegerField(required=False, help_text="The version you saw; a stale one is refused")
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class ReceptionApi(APIView):
    """Receive a unit for repair. 201 with the order (number, tracking code and link); the tracking SMS
    goes out by the messaging rules. 400 with Persian field errors for bad input."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=ReceptionSerializer, responses={201: OrderSerializer})
    def post(self, request):
        if not request.user.has_perm("repairs.add_repairorder"):
            raise PermissionDenied
        incoming = ReceptionSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        values = incoming.validated_data
        center = scope_queryset(ServiceCenter.objects.filter(is_active=True), request.user).filter(pk=values["center"]).first()
        if center is None:
            raise serializers.ValidationError({"center": [_("You do not work at this service center.")]})
        codes = {code.code: code for code in FaultCode.objects.filter(code__in=values["fault_codes"])}
        unknown = [code for code in values["fault_codes"] if code not in codes]
        if unknown:
            raise serializers.ValidationError({"fault_codes": [_("Unknown fault codes: %(codes)s.") % {"codes": "، ".join(unknown)}]})
        assignee = None
        if values["assignee"] is not None:
            assignee = get_user_model().objects.filter(pk=values["assignee"], is_active=True, centers=center).first()
            if assignee is None:
                raise serializers.ValidationError({"assignee": [_("Choose a technician of this service center.")]})
        key = request.headers.get("Idempotency-Key") or values["submission_key"] or None
        order = services.reception_create(
            center=center, customer_mobile=values["customer_mobile"], customer_name=values["customer_name"],
            acting_user=request.user, description=values["description"], serial=values["serial"],
            product_model=values["product_model"], kind=values["kind"], accessories=values["accessories"],
            condition=values["condition"], promised_on=values["promised_on"], address=values["address"],
            faults=[(codes[code], "") for code in values["fault_codes"]], submission_key=key,
            appointment_at=values["appointment_at"], assignee=assignee,
        )
        return Response(_order_data(order), status=status.HTTP_201_CREATED)


class OrderApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=OrderSerializer)
    def get(self, request, pk):
        if not request.user.has_perm("repairs.view_repairorder"):
            raise PermissionDenied
        return Response(_order_data(get_object_or_404(selectors.orders_for(request.user), pk=pk)))


class OrderStepApi(APIView):
    """Take a workflow step; 400 with the reason when the state, role, condition or version forbids it."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=StepSerializer, responses=OrderSerializer)
    def post(self, request, pk):
        if not request.user.has_perm("repairs.change_repairorder"):
            raise PermissionDenied
        order = get_object_or_404(selectors.orders_for(request.user), pk=pk)
        incoming = StepSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        values = incoming.validated_data
        order = services.order_transition(order=order, code=values["code"], acting_user=request.user,
                                          comment=values["comment"], version=values.get("version"))
        return Response(_order_data(order))
