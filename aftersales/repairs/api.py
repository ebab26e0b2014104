"""The workshop over REST: reception from another system (a call center, a dealer) and workflow steps."""

from django.conf import settings
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

from aftersales.catalog.models import FaultCode, ServiceItem, SparePart
from aftersales.core.api import model_field
from aftersales.core.rowcache import row_cached
from aftersales.core.validators import validate_promised_date
from aftersales.customers.models import Customer
from aftersales.organization.models import ServiceCenter
from aftersales.organization.scoping import center_ids, spans_all_centers

from . import estimates, selectors, services
from .models import EstimateLine, RepairOrder


class ReceptionSerializer(serializers.Serializer):
    center = serializers.IntegerField(help_text="Service center id (one of the caller's centers)")
    # Lengths, choices, dates and the product model as the models have them (stored on every database).
    customer_mobile = model_field(Customer, "mobile", required=True, allow_blank=False)
    customer_name = model_field(Customer, "last_name", required=False, allow_blank=True, default="",
                                label=gettext_lazy("customer's name"), help_text="The customer's full name, for a new customer")
    customer_national_code = model_field(
        Customer, "national_code", required=False, allow_blank=True, default="",
        help_text="Stored on a new customer, added to a known one who has none; a different one on record is refused")
    brought_by_name = model_field(RepairOrder, "brought_by_name", required=False, allow_blank=True, default="",
                                  help_text="Who brought the unit, when not the customer")
    brought_by_mobile = model_field(RepairOrder, "brought_by_mobile", required=False, allow_blank=True, default="")
    serial = model_field(RepairOrder, "serial", required=False, allow_blank=True, default="",
                         help_text="The unit's serial or any number of it: warranty card, sale invoice, delivery note, "
                                   "subscription (any digits and separators)")
    unit = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1, max_value=2**63 - 1,
                                    help_text="When the number names several units (GET /api/units/lookup/): the id "
                                              "of the one received")
    product_model = model_field(RepairOrder, "product_model", required=False, allow_null=True, default=None, cached=True)
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
    brought_by_name = serializers.CharField()
    brought_by_mobile = serializers.CharField()
    state = serializers.CharField(source="state.code")
    state_name = serializers.CharField(source="state.name")
    version = serializers.IntegerField()
    is_warranty = serializers.BooleanField()
    warranty_state = serializers.CharField()
    warranty_end = serializers.DateField(allow_null=True)
    estimate_amount = serializers.IntegerField(allow_null=True)
    estimate_status = serializers.CharField()
    estimate_approved_amount = serializers.IntegerField(allow_null=True, help_text="The total the customer approved")
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
        "brought_by_name": order.brought_by_name, "brought_by_mobile": order.brought_by_mobile,
        "state": order.state.code, "state_name": order.state.name, "version": order.version,
        "is_warranty": order.is_warranty, "warranty_state": order.warranty_state, "warranty_end": order.warranty_end,
        "estimate_amount": order.estimate_amount, "estimate_status": order.estimate_status,
        "estimate_approved_amount": order.estimate_approved_amount,
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
        # The center as read at most a minute ago (core.rowcache: a round trip less on every reception).
        center = row_cached(ServiceCenter, values["center"])
        if center is None or not center.is_active or not (spans_all_centers(request.user)
                                                          or center.pk in center_ids(request.user)):
            raise serializers.ValidationError({"center": [_("You do not work at this service center.")]})
        codes = ({code.code: code for code in FaultCode.objects.filter(code__in=values["fault_codes"])}
                 if values["fault_codes"] else {})
        unknown = [code for code in values["fault_codes"] if code not in codes]
        if unknown:
            raise serializers.ValidationError({"fault_codes": [_("Unknown fault codes: %(codes)s.") % {"codes": "، ".join(unknown)}]})
        assignee = None
        if values["assignee"] is not None:
            assignee = get_user_model().objects.filter(pk=values["assignee"], is_active=True, centers=center).first()
            if assignee is None:
                raise serializers.ValidationError({"assignee": [_("Choose a technician of this service center.")]})
        unit = None
        if values["unit"] is not None:  # one of the units the number names (issue 20)
            from aftersales.catalog.lookup import unit_lookup

            unit = next((m.unit for m in unit_lookup(values["serial"]) if m.unit.pk == values["unit"]), None)
            if unit is None:
                raise serializers.ValidationError({"unit": [_("Choose one of the units this number names.")]})
        key = request.headers.get("Idempotency-Key") or values["submission_key"] or None
        order = services.reception_create(unit=unit,
            center=center, customer_mobile=values["customer_mobile"], customer_name=values["customer_name"],
            acting_user=request.user, description=values["description"], serial=values["serial"],
            product_model=values["product_model"], kind=values["kind"], accessories=values["accessories"],
            condition=values["condition"], promised_on=values["promised_on"], address=values["address"],
            faults=[(codes[code], "") for code in values["fault_codes"]], submission_key=key,
            appointment_at=values["appointment_at"], assignee=assignee,
            customer_national_code=values["customer_national_code"], brought_by_name=values["brought_by_name"],
            brought_by_mobile=values["brought_by_mobile"], require_model=True,
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


class EstimateLineSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=EstimateLine.Kind.choices, required=False, default=EstimateLine.Kind.LABOUR)
    description = serializers.CharField(max_length=300, required=False, allow_blank=True, default="",
                                        help_text="Left empty: the service's or part's name")
    quantity = serializers.IntegerField(min_value=1, max_value=1000, required=False, default=1)
    unit_price = serializers.IntegerField(min_value=0, max_value=estimates.MAX_AMOUNT, required=False, allow_null=True,
                                          default=None,
                                          help_text="Rials; left out: the service's labour price or the part's price")
    service = serializers.CharField(max_length=40, required=False, allow_blank=True, default="",
                                    help_text="Service code of the service list")
    part = serializers.CharField(max_length=40, required=False, allow_blank=True, default="", help_text="Spare part code")
    amount = serializers.IntegerField(read_only=True)


class EstimateSerializer(serializers.Serializer):
    lines = EstimateLineSerializer(many=True, required=False,
                                   help_text="The estimate's lines; or send ``amount`` alone (older clients)")
    amount = serializers.IntegerField(required=False, min_value=1, max_value=estimates.MAX_AMOUNT, write_only=True,
                                      help_text="A single-amount estimate, VAT included (no lines)")


class EstimateOutSerializer(serializers.Serializer):
    status = serializers.CharField()
    lines = EstimateLineSerializer(many=True)
    subtotal = serializers.IntegerField(allow_null=True)
    vat_percent = serializers.IntegerField()
    vat = serializers.IntegerField(allow_null=True)
    total = serializers.IntegerField(allow_null=True, help_text="What the customer pays, VAT included")
    approved_amount = serializers.IntegerField(allow_null=True, help_text="The total the customer approved")
    tolerance_percent = serializers.IntegerField()
    invoice_limit = serializers.IntegerField(allow_null=True,
                                             help_text="The most that may be invoiced (null: no approved estimate)")
    override_amount = serializers.IntegerField(allow_null=True)
    override_reason = serializers.CharField()
    invoiced_amount = serializers.IntegerField(allow_null=True)


class EstimateOverrideSerializer(serializers.Serializer):
    amount = serializers.IntegerField(min_value=1, max_value=estimates.MAX_AMOUNT,
                                      help_text="Rials, VAT included: the most that may be invoiced")
    reason = serializers.CharField(max_length=300)


def _estimate_data(order) -> dict:
    figures = estimates.estimate_figures(order)
    return {
        "status": order.estimate_status, "subtotal": figures.subtotal, "vat_percent": settings.BILLING_VAT_PERCENT,
        "vat": figures.vat, "total": figures.total, "approved_amount": order.estimate_approved_amount,
        "tolerance_percent": settings.REPAIRS_ESTIMATE_TOLERANCE_PERCENT, "invoice_limit": estimates.invoice_limit(order),
        "override_amount": order.estimate_override_amount, "override_reason": order.estimate_override_reason,
        "invoiced_amount": order.invoiced_amount,
        "lines": [{"kind": line.kind, "description": line.description, "quantity": line.quantity,
                   "unit_price": line.unit_price, "amount": line.amount,
                   "service": line.service_item.code if line.service_item_id else "",
                   "part": line.spare_part.code if line.spare_part_id else ""} for line in figures.lines],
    }


def _catalog(lines: list[dict]) -> list[dict]:
    """Lines with their service and part codes turned into catalog records; unknown codes refused."""
    services_by_code = {item.code: item for item in ServiceItem.objects.filter(code__in=[line["service"] for line in lines if line["service"]])}
    parts_by_code = {part.code: part for part in SparePart.objects.filter(code__in=[line["part"] for line in lines if line["part"]])}
    unknown = [line["service"] for line in lines if line["service"] and line["service"] not in services_by_code]
    unknown += [line["part"] for line in lines if line["part"] and line["part"] not in parts_by_code]
    if unknown:
        raise serializers.ValidationError({"lines": [_("Unknown service or part codes: %(codes)s.") % {"codes": "، ".join(unknown)}]})
    return [{"kind": line["kind"], "description": line["description"], "quantity": line["quantity"],
             "unit_price": line["unit_price"], "service_item": services_by_code.get(line["service"]),
             "spare_part": parts_by_code.get(line["part"])} for line in lines]


class OrderEstimateApi(APIView):
    """The order's cost estimate: its lines, VAT and total (what the customer pays), the amount the
    customer approved and the most that may be invoiced. PUT puts a new estimate to the customer
    (pending their answer); 400 with Persian errors."""

    permission_classes = [IsAuthenticated]

    def _order(self, request, perm):
        if not request.user.has_perm(perm):
            raise PermissionDenied
        return get_object_or_404(selectors.orders_for(request.user), pk=self.kwargs["pk"])

    @extend_schema(responses=EstimateOutSerializer)
    def get(self, request, pk):
        return Response(_estimate_data(self._order(request, "repairs.view_repairorder")))

    @extend_schema(request=EstimateSerializer, responses=EstimateOutSerializer)
    def put(self, request, pk):
        order = self._order(request, "repairs.change_repairorder")
        incoming = EstimateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        values = incoming.validated_data
        if "lines" in values:
            order = estimates.estimate_lines_set(order=order, lines=_catalog(values["lines"]), acting_user=request.user)
        elif "amount" in values:
            order = estimates.estimate_amount_set(order=order, amount=values["amount"], acting_user=request.user)
        else:
            raise serializers.ValidationError({"lines": [_("Add at least one line to the estimate.")]})
        return Response(_estimate_data(order))


class OrderEstimateOverrideApi(APIView):
    """A manager (``repairs.override_estimate``) allows invoicing the order up to an amount above the
    approved estimate, with the reason; kept in the order's history. 403 for other roles."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=EstimateOverrideSerializer, responses=EstimateOutSerializer)
    def post(self, request, pk):
        if not request.user.has_perm("repairs.view_repairorder"):
            raise PermissionDenied
        order = get_object_or_404(selectors.orders_for(request.user), pk=pk)
        incoming = EstimateOverrideSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        order = estimates.estimate_override(order=order, amount=incoming.validated_data["amount"],
                                            reason=incoming.validated_data["reason"], acting_user=request.user)
        return Response(_estimate_data(order))
