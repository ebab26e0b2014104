"""Agents, commission rules and commission statements over REST (F42): the same services as the pages."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from aftersales.catalog.models import ProductGroup
from aftersales.core.api import DateField, page_parameter, paged_schema
from aftersales.core.filters import id_or_none
from aftersales.customers.models import Customer
from aftersales.organization.models import ServiceCenter
from aftersales.organization.scoping import scope_queryset

from . import selectors_commission as selectors
from . import services_commission as services
from .models import Agent, CommissionRule, CommissionStatement

PAGE = page_parameter()
ID = {"min_value": 1, "max_value": 2**63 - 1}


def _require(request, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied


def _page(request, view, rows, serializer):
    paginator = PageNumberPagination()
    page = paginator.paginate_queryset(rows, request, view=view)
    return paginator.get_paginated_response(serializer(page, many=True).data)


# --- Agents ---

class AgentOutSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    customer = serializers.IntegerField(source="customer_id")
    customer_name = serializers.CharField(source="customer.display_name")
    center = serializers.IntegerField(source="center_id")
    parent = serializers.IntegerField(source="parent_id", allow_null=True)
    level = serializers.IntegerField()
    path = serializers.CharField(help_text="The ids from the root down, zero-padded, each followed by /")
    is_active = serializers.BooleanField()


class AgentInSerializer(serializers.Serializer):
    customer = serializers.IntegerField(help_text="The party's (customer's) id", **ID)
    center = serializers.IntegerField(help_text="The managing office: one of the caller's centers", **ID)
    parent = serializers.IntegerField(required=False, allow_null=True, default=None,
                                      help_text="The parent agent's id; null for a root (level 1)", **ID)
    code = serializers.CharField(max_length=30)


class AgentListApi(APIView):
    """The caller's agents in tree order; adding one."""

    @extend_schema(operation_id="agents_list", summary="Agents in tree order (by path)",
                   parameters=[OpenApiParameter("parent", OpenApiTypes.INT,
                                                description="Only the children of this agent"), PAGE],
                   responses=paged_schema("AgentPage", AgentOutSerializer))
    def get(self, request):
        _require(request, "sales.view_agent")
        agents = selectors.agents_visible(request.user)
        if request.query_params.get("parent"):
            parent = id_or_none(request.query_params["parent"], Agent)
            agents = agents.filter(parent=parent) if parent else agents.none()
        return _page(request, self, agents.order_by("path"), AgentOutSerializer)

    @extend_schema(summary="Make a party an agent, under a parent or as a root", request=AgentInSerializer,
                   responses={201: AgentOutSerializer})
    def post(self, request):
        _require(request, "sales.add_agent")
        incoming = AgentInSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        values = incoming.validated_data
        errors = {}
        customer = Customer.objects.filter(pk=values["customer"], merged_into__isnull=True).first()
        if customer is None:
            errors["customer"] = [_("No such party.")]
        center = scope_queryset(ServiceCenter.objects.filter(is_active=True), request.user).filter(
            pk=values["center"]).first()
        if center is None:
            errors["center"] = [_("Choose one of your centers.")]
        parent = None
        if values["parent"]:
            parent = selectors.agents_visible(request.user).filter(pk=values["parent"]).first()
            if parent is None:
                errors["parent"] = [_("No such agent.")]
        if errors:
            raise serializers.ValidationError(errors)
        agent = services.agent_create(customer=customer, center=center, parent=parent, code=values["code"],
                                      acting_user=request.user)
        return Response(AgentOutSerializer(selectors.agents_visible(request.user).get(pk=agent.pk)).data,
                        status=status.HTTP_201_CREATED)


class AgentApi(APIView):
    @extend_schema(summary="One agent", responses=AgentOutSerializer)
    def get(self, request, pk):
        _require(request, "sales.view_agent")
        try:
            agent = selectors.agent_get(user=request.user, pk=pk)
        except Agent.DoesNotExist:
            raise Http404 from None
        return Response(AgentOutSerializer(agent).data)


# --- Rules ---

class RuleSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    kind = serializers.ChoiceField(choices=CommissionRule.Kind.choices)
    level = serializers.IntegerField(min_value=1, max_value=9)
    product_group = serializers.IntegerField(required=False, allow_null=True, default=None,
                                             help_text="A product group's id; null for every group", **ID)
    tier_from = serializers.IntegerField(min_value=0, max_value=10**15, default=0,
                                         help_text="Rials the month's sales must reach")
    rate = serializers.DecimalField(max_digits=5, decimal_places=2, min_value=0, max_value=100)
    valid_from = DateField()
    valid_to = DateField(required=False, allow_null=True, default=None)


def _rule_data(rule: CommissionRule) -> dict:
    return {"id": rule.pk, "kind": rule.kind, "level": rule.level, "product_group": rule.product_group_id,
            "tier_from": rule.tier_from, "rate": str(rule.rate), "valid_from": rule.valid_from.isoformat(),
            "valid_to": rule.valid_to.isoformat() if rule.valid_to else None}


class RuleListApi(APIView):
    """Commission rules; adding one (400 when its dates overlap a rule of the same key)."""

    @extend_schema(operation_id="commission_rules_list", summary="Commission rules", parameters=[PAGE],
                   responses=paged_schema("CommissionRulePage", RuleSerializer))
    def get(self, request):
        _require(request, "sales.view_commissionrule")
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(selectors.rule_list(), request, view=self)
        return paginator.get_paginated_response([_rule_data(rule) for rule in page])

    @extend_schema(summary="Add a commission rule", request=RuleSerializer, responses={201: RuleSerializer})
    def post(self, request):
        _require(request, "sales.add_commissionrule")
        incoming = RuleSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        values = dict(incoming.validated_data)
        if values["product_group"]:
            values["product_group"] = ProductGroup.objects.filter(pk=values["product_group"]).first()
            if values["product_group"] is None:
                raise serializers.ValidationError({"product_group": [_("No such product group.")]})
        rule = services.commission_rule_save(acting_user=request.user, **values)
        return Response(_rule_data(rule), status=status.HTTP_201_CREATED)


# --- Statements ---

class StatementLineSerializer(serializers.Serializer):
    document = serializers.IntegerField(source="document_id")
    document_number = serializers.CharField(source="document.number")
    document_kind = serializers.CharField(source="document.kind")
    issued_on = serializers.DateField(source="document.issued_on")
    source_agent = serializers.IntegerField(source="source_agent_id")
    product_group = serializers.IntegerField(source="product_group_id")
    rule = serializers.IntegerField(source="rule_id")
    rule_kind = serializers.CharField(source="rule.kind")
    base = serializers.IntegerField()
    rate = serializers.DecimalField(max_digits=5, decimal_places=2)
    amount = serializers.IntegerField()


class StatementSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    agent = serializers.IntegerField(source="agent_id")
    agent_code = serializers.CharField(source="agent.code")
    year = serializers.IntegerField()
    month = serializers.IntegerField()
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    sales = serializers.IntegerField()
    total = serializers.IntegerField()
    status = serializers.CharField()
    calculated_at = serializers.DateTimeField()
    approved_at = serializers.DateTimeField(allow_null=True)


class StatementDetailSerializer(StatementSerializer):
    lines = StatementLineSerializer(many=True)


class PeriodSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=1380, max_value=1500, help_text="Jalali year")
    month = serializers.IntegerField(min_value=1, max_value=12, help_text="Jalali month")


class StatementFilterSerializer(serializers.Serializer):
    year = serializers.IntegerField(required=False, min_value=1, max_value=9999)
    month = serializers.IntegerField(required=False, min_value=1, max_value=12)
    agent = serializers.IntegerField(required=False, **ID)
    status = serializers.ChoiceField(choices=CommissionStatement.Status.choices, required=False)


class StatementListApi(APIView):
    """Commission statements of the caller's agents; calculating a Jalali month."""

    @extend_schema(
        operation_id="commission_statements_list", summary="Commission statements, newest month first",
        parameters=[OpenApiParameter("year", OpenApiTypes.INT, description="Jalali year"),
                    OpenApiParameter("month", OpenApiTypes.INT, description="Jalali month"),
                    OpenApiParameter("agent", OpenApiTypes.INT),
                    OpenApiParameter("status", OpenApiTypes.STR, enum=CommissionStatement.Status.values), PAGE],
        responses=paged_schema("CommissionStatementPage", StatementSerializer))
    def get(self, request):
        _require(request, "sales.view_commissionstatement")
        filters = StatementFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        return _page(request, self, selectors.statement_list(user=request.user, **filters.validated_data),
                     StatementSerializer)

    @extend_schema(summary="Calculate a Jalali month's commission of the caller's agents (approved statements stay)",
                   request=PeriodSerializer, responses={200: StatementSerializer(many=True)})
    def post(self, request):
        _require(request, "sales.add_commissionstatement")
        incoming = PeriodSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        statements = services.commission_calculate(agents=list(selectors.agents_visible(request.user)),
                                                   acting_user=request.user, **incoming.validated_data)
        return Response(StatementSerializer(statements, many=True).data)


def _statement(request, pk):
    try:
        return selectors.statement_get(user=request.user, pk=pk)
    except CommissionStatement.DoesNotExist:
        raise Http404 from None


class StatementApi(APIView):
    @extend_schema(summary="One commission statement with every line that produced it",
                   responses=StatementDetailSerializer)
    def get(self, request, pk):
        _require(request, "sales.view_commissionstatement")
        return Response(StatementDetailSerializer(_statement(request, pk)).data)


class StatementApproveApi(APIView):
    @extend_schema(summary="Approve a calculated statement (it is never recalculated afterwards)", request=None,
                   responses=StatementSerializer)
    def post(self, request, pk):
        _require(request, "sales.approve_commissionstatement")
        statement = services.commission_approve(statement=_statement(request, pk), acting_user=request.user)
        return Response(StatementSerializer(statement).data)
