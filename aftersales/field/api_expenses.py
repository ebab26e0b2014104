"""Visit expenses over REST (F58): the same selectors and services as the pages.

Reads are scoped to the caller's centers (a marketer reads their own; another center's expense is a
404); filing is a multipart POST with the receipt's photo, safe to retry under ``Idempotency-Key``; a
refused write is a 400 with Persian field errors.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from aftersales.core.api import DateField, ScopedChoicesMixin, page_parameter, paged_schema, require_perms
from aftersales.core.filters import id_or_none
from aftersales.organization.models import User

from . import services_expenses
from .models import Tour, TourStop, VisitExpense
from .selectors_expenses import expense_list

MAX_ID = 2**63 - 1
MAX_AMOUNT = 10**15



def _get(request, pk) -> VisitExpense:
    if not 0 < int(pk) <= MAX_ID:
        raise Http404
    return get_object_or_404(expense_list(user=request.user), pk=pk)


class AmountField(serializers.IntegerField):
    """Rials typed with any digits and thousands separators («۱٬۲۰۰٬۰۰۰»), as a phone's form sends them."""

    def to_internal_value(self, data):
        from aftersales.core.forms import number_text

        return super().to_internal_value(number_text(data))


class VisitExpenseSerializer(serializers.ModelSerializer):
    receipt_url = serializers.SerializerMethodField(help_text="The receipt's photo, for those who may read the expense")

    class Meta:
        model = VisitExpense
        fields = ["id", "center", "marketer", "tour", "stop", "spent_on", "kind", "amount", "description", "status",
                  "decided_by", "decided_at", "refusal_reason", "created_at", "receipt_url"]

    def get_receipt_url(self, expense) -> str | None:
        if not expense.receipt:
            return None
        from django.urls import reverse

        return reverse("field:expense-receipt", args=[expense.pk])


class VisitExpenseInSerializer(ScopedChoicesMixin, serializers.Serializer):
    spent_on = DateField(help_text="The day the money was spent (Jalali 1405/09/07 or ISO); not in the future")
    kind = serializers.ChoiceField(choices=VisitExpense.Kind.choices)
    amount = AmountField(min_value=1, max_value=MAX_AMOUNT, help_text="Rials")
    description = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)
    receipt = serializers.ImageField(required=False, allow_null=True, default=None,
                                     help_text="Photo of the receipt; required above the receipt threshold")
    tour = serializers.PrimaryKeyRelatedField(queryset=Tour.objects.all(), required=False, allow_null=True,
                                              default=None, help_text="One of your tours")
    stop = serializers.PrimaryKeyRelatedField(queryset=TourStop.objects.all(), required=False, allow_null=True,
                                              default=None, help_text="A visit of one of your tours")


class VisitExpenseRefuseSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300, help_text="Why the expense is refused; the marketer reads it")


_PARAMETERS = [
    OpenApiParameter("marketer", int, description="The marketer's user id"),
    OpenApiParameter("status", str, enum=list(VisitExpense.Status.values)),
    OpenApiParameter("kind", str, enum=list(VisitExpense.Kind.values)),
    OpenApiParameter("month", str, description="A Jalali month, 1405-09"),
    OpenApiParameter("tour", int, description="The tour's id"),
]


class ExpenseListApi(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    queryset = VisitExpense.objects.all()

    @extend_schema(operation_id="visit_expenses_list", parameters=[*_PARAMETERS, page_parameter()],
                   responses=paged_schema("VisitExpensePage", VisitExpenseSerializer),
                   summary="Visit expenses of your offices (your own as a marketer), filtered, paged")
    def get(self, request):
        require_perms(request, "field.view_visitexpense")
        params = request.query_params
        expenses = expense_list(
            user=request.user, marketer=id_or_none(params.get("marketer", ""), User),
            status=params.get("status", "") if params.get("status") in VisitExpense.Status.values else "",
            kind=params.get("kind", "") if params.get("kind") in VisitExpense.Kind.values else "",
            month=params.get("month", "").replace("\x00", "")[:10], tour=id_or_none(params.get("tour", ""), Tour))
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(expenses, request, view=self)
        return paginator.get_paginated_response(VisitExpenseSerializer(page, many=True).data)

    @extend_schema(operation_id="visit_expenses_create",
                   request={"multipart/form-data": VisitExpenseInSerializer, "application/json": VisitExpenseInSerializer},
                   responses={201: VisitExpenseSerializer},
                   parameters=[OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER,
                                                description="A retry with the same key returns the same expense")],
                   summary="File one of your visit expenses with the receipt's photo; it awaits approval")
    def post(self, request):
        require_perms(request, "field.add_visitexpense")
        incoming = VisitExpenseInSerializer(data=request.data, context={"request": request})
        incoming.is_valid(raise_exception=True)
        expense = services_expenses.expense_submit(acting_user=request.user,
                                                   submission_key=request.headers.get("Idempotency-Key") or None,
                                                   **incoming.validated_data)
        return Response(VisitExpenseSerializer(expense).data, status=status.HTTP_201_CREATED)


class ExpenseApi(APIView):
    permission_classes = [IsAuthenticated]
    queryset = VisitExpense.objects.all()

    @extend_schema(operation_id="visit_expenses_retrieve", responses=VisitExpenseSerializer, summary="One visit expense")
    def get(self, request, pk):
        require_perms(request, "field.view_visitexpense")
        return Response(VisitExpenseSerializer(_get(request, pk)).data)

    @extend_schema(operation_id="visit_expenses_withdraw", responses={204: None},
                   summary="Withdraw your own expense while it awaits approval")
    def delete(self, request, pk):
        require_perms(request, "field.add_visitexpense")
        services_expenses.expense_withdraw(expense=_get(request, pk), acting_user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ExpenseApproveApi(APIView):
    permission_classes = [IsAuthenticated]
    queryset = VisitExpense.objects.all()

    @extend_schema(operation_id="visit_expenses_approve", request=None, responses=VisitExpenseSerializer,
                   summary="Approve a pending expense of your centers (not your own)")
    def post(self, request, pk):
        require_perms(request, "field.approve_visitexpense")
        expense = services_expenses.expense_approve(expense=_get(request, pk), acting_user=request.user)
        return Response(VisitExpenseSerializer(expense).data)


class ExpenseRefuseApi(APIView):
    permission_classes = [IsAuthenticated]
    queryset = VisitExpense.objects.all()

    @extend_schema(operation_id="visit_expenses_refuse", request=VisitExpenseRefuseSerializer, responses=VisitExpenseSerializer,
                   summary="Refuse a pending expense of your centers (not your own) with a reason")
    def post(self, request, pk):
        require_perms(request, "field.approve_visitexpense")
        expense = _get(request, pk)
        incoming = VisitExpenseRefuseSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        expense = services_expenses.expense_refuse(expense=expense, acting_user=request.user,
                                                   **incoming.validated_data)
        return Response(VisitExpenseSerializer(expense).data)
