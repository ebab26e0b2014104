"""The customers' service requests over REST (issue 22), for the receptionist's other tools: the pending
requests of the caller's centers, and confirming one into a repair order or declining it. The same
services as the staff pages (``repairs.requests``); 400 with Persian field errors for bad input."""

from django.contrib.auth import get_user_model
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from aftersales.core.api import model_field, page_parameter, paged_schema, require_perms
from aftersales.core.validators import validate_promised_date

from .api import OrderSerializer, _order_data
from .models import RepairOrder, ServiceRequest
from .requests import (
    RECEIVE_PERMISSION, service_request_confirm, service_request_decline, service_requests_for,
    service_requests_pending,
)

MAX_ID = 2**63 - 1


class ServiceRequestSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=ServiceRequest.Status.choices)
    kind = serializers.ChoiceField(choices=ServiceRequest.KINDS)
    customer = serializers.IntegerField(source="customer_id")
    customer_name = serializers.CharField(source="customer.__str__")
    customer_mobile = serializers.CharField(source="customer.mobile")
    unit = serializers.IntegerField(source="unit_id", allow_null=True)
    product_model = serializers.SerializerMethodField(help_text="The unit's model, else the model the customer chose")
    product = serializers.SerializerMethodField()
    serial = serializers.CharField(help_text="The unit's serial, else the one the customer typed")
    description = serializers.CharField()
    region = serializers.IntegerField(source="region_id")
    region_name = serializers.CharField(source="region.__str__")
    address = serializers.CharField()
    postal_code = serializers.CharField()
    preferred_on = serializers.DateField(allow_null=True)
    window = serializers.ChoiceField(choices=ServiceRequest.Window.choices)
    center = serializers.IntegerField(source="center_id")
    order = serializers.IntegerField(source="order_id", allow_null=True, help_text="The order it was confirmed as")
    decline_reason = serializers.CharField()
    created_at = serializers.DateTimeField()
    decided_at = serializers.DateTimeField(allow_null=True)

    def get_product_model(self, request) -> int | None:
        return request.product.pk if request.product is not None else None

    def get_product(self, request) -> str:
        return str(request.product or "")


class ServiceRequestConfirmSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ServiceRequest.KINDS, required=False, allow_null=True, default=None,
                                   help_text="Left out: the kind the customer asked for")
    description = serializers.CharField(required=False, allow_null=True, allow_blank=True, default=None,
                                        help_text="Left out: the customer's own description")
    promised_on = model_field(RepairOrder, "promised_on", validators=[validate_promised_date], required=False,
                              allow_null=True, default=None, help_text="ISO 2026-12-06 or Jalali 1405/09/15")
    appointment_at = model_field(RepairOrder, "appointment_at", required=False, allow_null=True, default=None,
                                 help_text="A home visit's appointment, ISO 8601 (2026-12-06T10:00:00+03:30): to "
                                           "come, within the working day, in a free slot of the technician")
    assignee = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1, max_value=MAX_ID,
                                        help_text="A home visit's technician: a user id of the center's staff")


class ServiceRequestDeclineSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300, help_text="Sent to the customer by SMS")


def _request(request, pk) -> ServiceRequest:
    require_perms(request, RECEIVE_PERMISSION)
    if not 0 < int(pk) <= MAX_ID:
        raise Http404
    return get_object_or_404(service_requests_for(request.user), pk=pk)


class ServiceRequestListApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="repairs_requests_list", parameters=[page_parameter()],
                   responses=paged_schema("ServiceRequestPage", ServiceRequestSerializer),
                   summary="Customers' service requests waiting at the caller's centers, oldest first, paged")
    def get(self, request):
        require_perms(request, RECEIVE_PERMISSION)
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(service_requests_pending(request.user), request, view=self)
        return paginator.get_paginated_response(ServiceRequestSerializer(page, many=True).data)


class ServiceRequestConfirmApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="repairs_requests_confirm", request=ServiceRequestConfirmSerializer,
                   responses={201: OrderSerializer},
                   summary="Confirm a pending request into a repair order (received as at the desk); a request "
                           "already decided is a 400")
    def post(self, request, pk):
        service_request = _request(request, pk)
        incoming = ServiceRequestConfirmSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        values = incoming.validated_data
        assignee = None
        if values["assignee"] is not None:
            assignee = get_user_model().objects.filter(pk=values["assignee"], is_active=True,
                                                       centers=service_request.center_id).first()
            if assignee is None:
                raise serializers.ValidationError({"assignee": [_("Choose a technician of this service center.")]})
        order = service_request_confirm(
            request=service_request, acting_user=request.user, kind=values["kind"], description=values["description"],
            promised_on=values["promised_on"], appointment_at=values["appointment_at"], assignee=assignee)
        return Response(_order_data(order), status=status.HTTP_201_CREATED)


class ServiceRequestDeclineApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="repairs_requests_decline", request=ServiceRequestDeclineSerializer,
                   responses=ServiceRequestSerializer,
                   summary="Decline a pending request with the reason the customer is texted")
    def post(self, request, pk):
        service_request = _request(request, pk)
        incoming = ServiceRequestDeclineSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        declined = service_request_decline(request=service_request, acting_user=request.user,
                                           reason=incoming.validated_data["reason"])
        return Response(ServiceRequestSerializer(service_requests_for(request.user).get(pk=declined.pk)).data)
