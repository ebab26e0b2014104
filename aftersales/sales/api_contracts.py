"""Contracts, cheques and alarms over REST (F51, F52): the same selectors and services as the pages.

Reads are scoped to the caller's centers (another center's record is a 404); a refused write is a 400
with Persian field errors (an instalment row's as ``instalments[2].due_date``).
"""

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from aftersales.core.api import (DateField, ScopedChoicesMixin, model_field, page_parameter, paged_schema,
                                 require_perms)
from aftersales.core.persian import to_ascii_digits

from . import services_cheques, services_contracts
from .models import Alarm, Cheque, Contract, Instalment, SalesDocument
from .selectors_contracts import alarm_list, cheque_list, contract_list

MAX_ID = 2**63 - 1



def _int(params, name) -> int | None:
    value = to_ascii_digits(params.get(name, "")).strip()
    return int(value) if value.isdigit() and len(value) < 10 else None


def _get(queryset, pk):
    if not 0 < int(pk) <= MAX_ID:
        raise Http404
    return get_object_or_404(queryset, pk=pk)


def _page(request, view, queryset, serializer):
    paginator = PageNumberPagination()
    page = paginator.paginate_queryset(queryset, request, view=view)
    return paginator.get_paginated_response(serializer(page, many=True).data)


class InstalmentSerializer(serializers.ModelSerializer):
    owed = serializers.IntegerField(read_only=True)

    class Meta:
        model = Instalment
        fields = ["id", "due_date", "amount", "paid", "owed"]


class InstalmentInSerializer(serializers.Serializer):
    due_date = DateField()
    amount = serializers.IntegerField(min_value=1, max_value=MAX_ID)


class ContractSerializer(serializers.ModelSerializer):
    class Meta:
        model = Contract
        fields = ["id", "center", "number", "kind", "title", "customer", "start_date", "end_date", "value", "status",
                  "responsible", "alarm_days_before", "visits_included", "parts_covered", "response_hours", "note",
                  "created_at"]


class ContractDetailSerializer(ContractSerializer):
    instalments = InstalmentSerializer(many=True, read_only=True)
    documents = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta(ContractSerializer.Meta):
        fields = [*ContractSerializer.Meta.fields, "instalments", "documents"]


class ContractInSerializer(ScopedChoicesMixin, serializers.Serializer):
    center = model_field(Contract, "center")
    number = serializers.CharField(required=False, allow_blank=True, default="", max_length=40,
                                   help_text="Empty: the next number of the office's series")
    kind = model_field(Contract, "kind")
    title = model_field(Contract, "title")
    customer = model_field(Contract, "customer", help_text="The party's (customer's) id")
    start_date = DateField()
    end_date = DateField()
    value = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    responsible = model_field(Contract, "responsible")
    alarm_days_before = serializers.IntegerField(required=False, default=7, min_value=0, max_value=365)
    visits_included = serializers.IntegerField(required=False, default=0, min_value=0, max_value=999)
    parts_covered = serializers.BooleanField(required=False, default=False)
    response_hours = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1,
                                              max_value=9999)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)
    instalments = InstalmentInSerializer(many=True, allow_empty=False, max_length=120)


class ChequeSerializer(serializers.ModelSerializer):
    receipt = serializers.SerializerMethodField()

    class Meta:
        model = Cheque
        fields = ["id", "center", "customer", "contract", "sayad_number", "bank", "amount", "due_date", "state",
                  "returned_reason", "state_changed_on", "responsible", "received_at", "receipt"]

    def get_receipt(self, cheque) -> int | None:
        receipt = getattr(cheque, "receipt", None)
        return receipt.pk if receipt is not None else None


class ChequeInSerializer(ScopedChoicesMixin, serializers.Serializer):
    center = model_field(Cheque, "center")
    customer = model_field(Cheque, "customer", help_text="The drawer's (party's) id")
    sayad_number = serializers.CharField(max_length=40, help_text="16 digits")
    bank = serializers.CharField(max_length=60)
    amount = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    due_date = DateField()
    responsible = model_field(Cheque, "responsible")
    contract = model_field(Cheque, "contract", required=False, allow_null=True, default=None)
    instalment = serializers.PrimaryKeyRelatedField(queryset=Instalment.objects.all(), required=False, allow_null=True,
                                                    default=None, help_text="The instalment the cheque pays")
    document = serializers.PrimaryKeyRelatedField(queryset=SalesDocument.objects.all(), required=False,
                                                  allow_null=True, default=None,
                                                  help_text="The sales invoice the cheque pays")

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None:
            from aftersales.organization.scoping import scope_queryset

            fields["instalment"].queryset = scope_queryset(Instalment.objects.all(), request.user)
            fields["document"].queryset = scope_queryset(SalesDocument.objects.all(), request.user)
        return fields


class ChequeReturnSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200)
    returned_on = DateField(required=False, allow_null=True, default=None)


class AlarmSerializer(serializers.ModelSerializer):
    class Meta:
        model = Alarm
        fields = ["id", "key", "kind", "text", "due_date", "contract", "cheque", "fired_at", "seen_at"]


_CONTRACT_PARAMETERS = [
    OpenApiParameter("kind", str, enum=list(Contract.Kind.values)),
    OpenApiParameter("status", str, enum=list(Contract.Status.values)),
    OpenApiParameter("party", int, description="The party's (customer's) id"),
    OpenApiParameter("ends_within", int, description="Active contracts ending within this many days"),
    OpenApiParameter("q", str, description="Number, title or party's name"),
]


class ContractListApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="contracts_list", parameters=[*_CONTRACT_PARAMETERS, page_parameter()],
                   responses=paged_schema("ContractPage", ContractSerializer),
                   summary="Contracts of your offices, filtered, paged")
    def get(self, request):
        require_perms(request, "sales.view_contract")
        params = request.query_params
        contracts = contract_list(
            user=request.user, kind=params.get("kind", "") if params.get("kind") in Contract.Kind.values else "",
            status=params.get("status", "") if params.get("status") in Contract.Status.values else "",
            customer=_int(params, "party"), ends_within=_int(params, "ends_within"),
            query=params.get("q", "").replace("\x00", "").strip())
        return _page(request, self, contracts, ContractSerializer)

    @extend_schema(request=ContractInSerializer, responses={201: ContractDetailSerializer},
                   parameters=[OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER,
                                                description="A retry with the same key returns the same contract")],
                   summary="Sign a contract with its instalment plan (the plan adds up to the value)")
    def post(self, request):
        require_perms(request, "sales.add_contract")
        incoming = ContractInSerializer(data=request.data, context={"request": request})
        incoming.is_valid(raise_exception=True)
        values = dict(incoming.validated_data)
        values["number"] = values.get("number") or None
        contract = services_contracts.contract_create(acting_user=request.user,
                                                      submission_key=request.headers.get("Idempotency-Key") or None,
                                                      **values)
        return Response(ContractDetailSerializer(contract).data, status=status.HTTP_201_CREATED)


class ContractApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=ContractDetailSerializer, summary="One contract with its instalments and invoices")
    def get(self, request, pk):
        require_perms(request, "sales.view_contract")
        return Response(ContractDetailSerializer(_get(contract_list(user=request.user), pk)).data)


class ChequeListApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="cheques_list", parameters=[
        OpenApiParameter("state", str, enum=list(Cheque.State.values)),
        OpenApiParameter("party", int, description="The drawer's (customer's) id"),
        OpenApiParameter("due_within", int, description="Open cheques falling due within this many days"),
        OpenApiParameter("contract", int), OpenApiParameter("q", str), page_parameter()],
        responses=paged_schema("ChequePage", ChequeSerializer), summary="Cheques of your offices, filtered, paged")
    def get(self, request):
        require_perms(request, "sales.view_cheque")
        params = request.query_params
        cheques = cheque_list(
            user=request.user, state=params.get("state", "") if params.get("state") in Cheque.State.values else "",
            customer=_int(params, "party"), due_within=_int(params, "due_within"), contract=_int(params, "contract"),
            query=params.get("q", "").replace("\x00", "").strip())
        return _page(request, self, cheques, ChequeSerializer)

    @extend_schema(request=ChequeInSerializer, responses={201: ChequeSerializer},
                   summary="Receive a cheque; one paying an instalment or an invoice records its receipt")
    def post(self, request):
        require_perms(request, "sales.add_cheque")
        incoming = ChequeInSerializer(data=request.data, context={"request": request})
        incoming.is_valid(raise_exception=True)
        cheque = services_cheques.cheque_receive(acting_user=request.user, **incoming.validated_data)
        return Response(ChequeSerializer(cheque).data, status=status.HTTP_201_CREATED)


class ChequeApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=ChequeSerializer, summary="One cheque")
    def get(self, request, pk):
        require_perms(request, "sales.view_cheque")
        return Response(ChequeSerializer(_get(cheque_list(user=request.user), pk)).data)


class ChequeDepositApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses=ChequeSerializer, summary="Mark a received cheque deposited")
    def post(self, request, pk):
        require_perms(request, "sales.change_cheque")
        cheque = services_cheques.cheque_deposit(cheque=_get(cheque_list(user=request.user), pk),
                                                 acting_user=request.user)
        return Response(ChequeSerializer(cheque).data)


class ChequeClearApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses=ChequeSerializer, summary="Mark a deposited cheque cleared")
    def post(self, request, pk):
        require_perms(request, "sales.change_cheque")
        cheque = services_cheques.cheque_clear(cheque=_get(cheque_list(user=request.user), pk),
                                               acting_user=request.user)
        return Response(ChequeSerializer(cheque).data)


class ChequeReturnApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=ChequeReturnSerializer, responses=ChequeSerializer,
                   summary="Mark a cheque returned: its receipt is voided and the drawer's credit marked")
    def post(self, request, pk):
        require_perms(request, "sales.change_cheque")
        cheque = _get(cheque_list(user=request.user), pk)
        incoming = ChequeReturnSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        cheque = services_cheques.cheque_return(cheque=cheque, acting_user=request.user, **incoming.validated_data)
        return Response(ChequeSerializer(cheque).data)


class AlarmListApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="alarms_list", parameters=[
        OpenApiParameter("unseen", bool, description="Only the alarms not marked seen"), page_parameter()],
        responses=paged_schema("AlarmPage", AlarmSerializer), summary="Your contract and cheque alarms, newest first")
    def get(self, request):
        unseen = request.query_params.get("unseen") in ("1", "true", "True", "yes")
        return _page(request, self, alarm_list(user=request.user, unseen=unseen), AlarmSerializer)
