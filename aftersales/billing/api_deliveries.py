"""Delivery documents over REST: the warehouse system sends a delivery, then asks for its invoice (F30)."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from aftersales.catalog.models import ServiceItem
from aftersales.core.api import model_field
from aftersales.customers.models import Customer
from aftersales.organization.models import ServiceCenter
from aftersales.organization.scoping import scope_queryset

from . import deliveries
from .models import DeliveryDocument, DeliveryLine


class DeliveryLineSerializer(serializers.Serializer):
    service = serializers.CharField(max_length=ServiceItem._meta.get_field("code").max_length,
                                    help_text="Service code of the service list")
    quantity = model_field(DeliveryLine, "quantity", min_value=1, default=1)
    unit_price = model_field(DeliveryLine, "unit_price", min_value=0, required=False, allow_null=True, default=None,
                             help_text="Rials; the service's labour price when left out")
    serial = model_field(DeliveryLine, "serial", required=False, allow_blank=True, default="")


class DeliverySerializer(serializers.Serializer):
    center = serializers.IntegerField(help_text="Service center id (one of the caller's centers)")
    number = model_field(DeliveryDocument, "number", help_text="The delivery number in the warehouse system")
    delivered_on = serializers.CharField(max_length=40, help_text="ISO 2026-12-06 or Jalali 1405/09/15")
    customer_mobile = serializers.CharField(max_length=40)
    customer_name = model_field(Customer, "last_name", required=False, allow_blank=True, default="",
                                label=gettext_lazy("customer's name"))
    lines = DeliveryLineSerializer(many=True)


class DeliveryOutSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    center = serializers.IntegerField()
    customer = serializers.IntegerField()
    delivered_on = serializers.DateField()
    lines = serializers.ListField(child=serializers.IntegerField(), help_text="Ids of the delivery's lines")


class DeliveryInvoiceSerializer(serializers.Serializer):
    submission_key = serializers.CharField(required=False, allow_blank=True, default="",
                                           help_text="Send the same key again (a retry) and get the same invoice back")


class InvoiceOutSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    total = serializers.IntegerField()


class DeliveryApi(APIView):
    """Receive a delivery document with the services sold. 201 with the document and its line ids;
    the same delivery sent again gives the same answer. 400 with Persian field errors."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=DeliverySerializer, responses={201: DeliveryOutSerializer})
    def post(self, request):
        if not request.user.has_perm("billing.add_deliverydocument"):
            raise PermissionDenied
        incoming = DeliverySerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        values = incoming.validated_data
        center = scope_queryset(ServiceCenter.objects.filter(is_active=True), request.user).filter(pk=values["center"]).first()
        if center is None:
            raise serializers.ValidationError({"center": [_("You do not work at this service center.")]})
        delivery = deliveries.delivery_receive(
            center=center, number=values["number"], delivered_on=values["delivered_on"],
            customer_mobile=values["customer_mobile"], customer_name=values["customer_name"],
            lines=[dict(line) for line in values["lines"]], acting_user=request.user)
        return Response({"id": delivery.pk, "number": delivery.number, "center": delivery.center_id,
                         "customer": delivery.customer_id, "delivered_on": delivery.delivered_on,
                         "lines": list(delivery.lines.values_list("pk", flat=True))}, status=status.HTTP_201_CREATED)


class DeliveryInvoiceApi(APIView):
    """Issue the invoice of a delivery's services. 201 with the invoice; 400 when nothing is left to
    invoice (``code`` "empty" or "billed")."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=DeliveryInvoiceSerializer, responses={201: InvoiceOutSerializer})
    def post(self, request, pk):
        if not request.user.has_perm("billing.add_invoice"):
            raise PermissionDenied
        delivery = get_object_or_404(scope_queryset(DeliveryDocument.objects.all(), request.user), pk=pk)
        incoming = DeliveryInvoiceSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        key = request.headers.get("Idempotency-Key") or incoming.validated_data["submission_key"] or None
        invoice = deliveries.delivery_invoice_issue(delivery=delivery, acting_user=request.user, submission_key=key)
        return Response({"id": invoice.pk, "number": invoice.number, "total": invoice.total},
                        status=status.HTTP_201_CREATED)
