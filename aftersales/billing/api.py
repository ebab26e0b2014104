"""Service invoices of repair orders over REST: the same issue as the desk's invoice page (F14, F32)."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from aftersales.repairs.selectors import orders_for

from . import services
from .api_deliveries import InvoiceOutSerializer


class InvoiceIssueSerializer(serializers.Serializer):
    orders = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=2**31 - 1), min_length=1,
                                   max_length=50,
                                   help_text="Ids of repair orders of one customer at one center")
    transport = serializers.IntegerField(min_value=0, max_value=services.MAX_AMOUNT, required=False, default=0,
                                         help_text="Rials")
    discount = serializers.IntegerField(min_value=0, max_value=services.MAX_AMOUNT, required=False, default=0,
                                        help_text="Rials")
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    submission_key = serializers.CharField(required=False, allow_blank=True, default="",
                                           help_text="Send the same key again (a retry) and get the same invoice back")


class InvoiceIssueApi(APIView):
    """Issue the service invoice of one or more repair orders. 201 with the invoice; 400 with Persian
    errors: nothing left to invoice (``code`` "empty"), or (field ``orders``) an order invoiced above
    the estimate its customer approved beyond the tolerance — get a revised estimate approved, or a
    manager's allowance (``POST /api/repairs/orders/{id}/estimate/override/``)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=InvoiceIssueSerializer, responses={201: InvoiceOutSerializer})
    def post(self, request):
        if not request.user.has_perm("billing.add_invoice"):
            raise PermissionDenied
        incoming = InvoiceIssueSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        values = incoming.validated_data
        orders = list(orders_for(request.user).filter(pk__in=values["orders"]))
        if len(orders) != len(set(values["orders"])):
            raise serializers.ValidationError({"orders": [_("Unknown repair order.")]})
        key = request.headers.get("Idempotency-Key") or values["submission_key"] or None
        invoice = services.invoice_issue(orders=orders, acting_user=request.user, transport=values["transport"],
                                         discount=values["discount"], note=values["note"], submission_key=key)
        return Response({"id": invoice.pk, "number": invoice.number, "total": invoice.total},
                        status=status.HTTP_201_CREATED)
