"""The units of after-sales service contracts over REST (F25): the same selectors and services as the pages.

Every read is scoped to the caller's centers (a contract of another office is a 404); every write goes
through ``services_coverage``; a refused write is a 400 with Persian field errors.
"""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from aftersales.core.api import page_parameter, paged_schema, require_perms
from aftersales.organization.scoping import scope_queryset

from . import selectors_coverage as selectors
from . import services_coverage as services
from .models import Contract, ContractUnit



def _id_or_404(pk) -> int:
    if not 0 < int(pk) < 2**63:  # beyond any id: SQLite cannot even compare it
        raise Http404
    return int(pk)


def _contract_or_404(request, pk) -> Contract:
    contracts = Contract.objects.filter(kind=Contract.Kind.SERVICE)
    return get_object_or_404(scope_queryset(contracts, request.user), pk=_id_or_404(pk))


class TermsSerializer(serializers.Serializer):
    visits_included = serializers.IntegerField(help_text="0: unlimited")
    visits_used = serializers.IntegerField()
    visits_left = serializers.IntegerField(allow_null=True, help_text="null: unlimited")
    parts_covered = serializers.BooleanField()
    response_hours = serializers.IntegerField(allow_null=True)


class ContractUnitSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    unit = serializers.IntegerField(source="unit_id")
    serial = serializers.CharField(source="unit.serial")
    product_model = serializers.CharField(source="unit.product_model.name")
    visits_used = serializers.IntegerField()


class ContractUnitInSerializer(serializers.Serializer):
    serial = serializers.CharField(max_length=100, help_text="The unit's serial, with any digits and separators")


class ContractUnitsBulkInSerializer(serializers.Serializer):
    serials = serializers.ListField(child=serializers.CharField(max_length=100), min_length=1,
                                    max_length=services.BULK_LIMIT)


class ContractUnitsBulkSerializer(serializers.Serializer):
    added = ContractUnitSerializer(many=True)


class VisitInSerializer(serializers.Serializer):
    reference = serializers.CharField(max_length=60, required=False, allow_blank=True,
                                      help_text="What the visit is for (e.g. order:12): one visit per reference")


class ServiceContractSerializer(serializers.Serializer):
    contract_unit = serializers.IntegerField(source="pk")
    contract = serializers.IntegerField(source="contract_id")
    number = serializers.CharField(source="contract.number")
    title = serializers.CharField(source="contract.title")
    party = serializers.CharField(source="contract.customer.display_name")
    start_date = serializers.DateField(source="contract.start_date")
    end_date = serializers.DateField(source="contract.end_date")
    terms = serializers.SerializerMethodField()

    def get_terms(self, covered) -> TermsSerializer:
        contract = covered.contract
        left = max(contract.visits_included - covered.visits_used, 0) if contract.visits_included else None
        return TermsSerializer({"visits_included": contract.visits_included, "visits_used": covered.visits_used,
                                "visits_left": left, "parts_covered": contract.parts_covered,
                                "response_hours": contract.response_hours}).data


class UnitServiceContractSerializer(serializers.Serializer):
    serial = serializers.CharField()
    unit = serializers.IntegerField(allow_null=True)
    service_contract = ServiceContractSerializer(allow_null=True,
                                                 help_text="The active service contract covering the unit today")


class ContractUnitListApi(APIView):
    """The units a service contract covers; and one more, by its serial."""

    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="contract_units_list",
                   parameters=[OpenApiParameter("q", OpenApiTypes.STR, description="Part of a serial"),
                               page_parameter()],
                   responses=paged_schema("ContractUnitPage", ContractUnitSerializer),
                   summary="Units under a service contract (scoped to your offices), searched by serial, paged")
    def get(self, request, pk):
        require_perms(request, "sales.view_contractunit")
        contract = _contract_or_404(request, pk)
        rows = selectors.contract_units(user=request.user, contract=contract, query=request.query_params.get("q", ""))
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response(ContractUnitSerializer(page, many=True).data)

    @extend_schema(request=ContractUnitInSerializer, responses={201: ContractUnitSerializer},
                   summary="Put a unit under the service contract by its serial: 400 for an unknown serial or a "
                           "unit under another active contract in these dates")
    def post(self, request, pk):
        require_perms(request, "sales.add_contractunit")
        contract = _contract_or_404(request, pk)
        incoming = ContractUnitInSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        covered = services.contract_unit_add(contract=contract, serial_or_unit=incoming.validated_data["serial"],
                                             acting_user=request.user)
        return Response(ContractUnitSerializer(covered).data, status=status.HTTP_201_CREATED)


class ContractUnitsBulkApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=ContractUnitsBulkInSerializer, responses={201: ContractUnitsBulkSerializer},
                   summary="Put many units under the service contract, all or none: a 400 names each bad serial "
                           "by its position (serials.<n>)")
    def post(self, request, pk):
        require_perms(request, "sales.add_contractunit")
        contract = _contract_or_404(request, pk)
        incoming = ContractUnitsBulkInSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        serials = [serial.replace("\n", " ") for serial in incoming.validated_data["serials"]]
        result = services.contract_units_add_bulk(contract=contract, serials="\n".join(serials),
                                                  acting_user=request.user)
        if not result.ok:
            raise serializers.ValidationError(
                {"serials": {str(line - 1): [message] for line, _serial, message in result.errors}})
        return Response(ContractUnitsBulkSerializer({"added": result.added}).data, status=status.HTTP_201_CREATED)


class ContractUnitApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={204: None}, summary="Take a unit off the service contract")
    def delete(self, request, pk, unit_pk):
        require_perms(request, "sales.delete_contractunit")
        contract = _contract_or_404(request, pk)
        covered = get_object_or_404(ContractUnit, contract=contract, pk=_id_or_404(unit_pk))
        services.contract_unit_remove(contract_unit=covered, acting_user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ContractUnitVisitApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=VisitInSerializer, responses=ContractUnitSerializer,
                   summary="Count a visit of the unit under its contract: 400 beyond the visits included")
    def post(self, request, pk):
        require_perms(request, "sales.change_contractunit")
        covered = get_object_or_404(scope_queryset(ContractUnit.objects.all(), request.user), pk=_id_or_404(pk))
        incoming = VisitInSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        covered = services.contract_visit_use(contract_unit=covered, acting_user=request.user,
                                              reference=incoming.validated_data.get("reference", ""))
        return Response(ContractUnitSerializer(covered).data)


class UnitServiceContractApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=UnitServiceContractSerializer,
                   summary="The active after-sales service contract (of your offices) covering the unit with this "
                           "serial today, with its terms; null when none")
    def get(self, request, serial):
        require_perms(request, "sales.view_contractunit")
        try:
            unit = services.unit_by_serial(serial)
        except ValidationError:
            unit = None
        covered = selectors.service_contract_for(unit, on=timezone.localdate(), user=request.user) if unit else None
        return Response(UnitServiceContractSerializer(
            {"serial": serial, "unit": unit.pk if unit else None, "service_contract": covered}).data)
