"""Marketing plans over REST (F46): the same selectors and services as the pages.

Reads are scoped to the caller's centers (another team's plan is a 404) and a marketer sees only their own
targets; a refused write is a 400 with Persian field errors (a target row's as ``targets[2].value``).
Achievement is computed on every read, never stored.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from aftersales.core.api import (DateField, ScopedChoicesMixin, model_field, page_parameter, paged_schema,
                                 require_perms)

from . import services_targets
from .models import Target, TargetPlan
from .selectors_targets import achievement, elapsed_share, plan_list, plan_targets

MAX_ID = 2**63 - 1



class TargetSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="target.pk")
    metric = serializers.ChoiceField(source="target.metric", choices=Target.Metric.choices)
    marketer = serializers.IntegerField(source="target.marketer_id", allow_null=True)
    region = serializers.IntegerField(source="target.region_id", allow_null=True)
    territory = serializers.IntegerField(source="target.territory_id", allow_null=True)
    party_type = serializers.IntegerField(source="target.party_type_id", allow_null=True)
    value = serializers.IntegerField(help_text="The target: rials before VAT, or a count")
    achieved = serializers.IntegerField(help_text="Achieved so far, computed live")
    percent = serializers.FloatField()
    expected = serializers.IntegerField(help_text="What the straight line from the plan's start asks for by today")
    ahead = serializers.BooleanField()


class TargetPlanSerializer(serializers.ModelSerializer):
    elapsed = serializers.SerializerMethodField(help_text="Share of the plan's days gone by today (0–1)")
    targets = serializers.SerializerMethodField()

    class Meta:
        model = TargetPlan
        fields = ["id", "name", "center", "start_date", "end_date", "note", "created_at", "elapsed", "targets"]

    def get_elapsed(self, plan) -> float:
        return round(elapsed_share(plan), 4)

    @extend_schema_field(TargetSerializer(many=True))
    def get_targets(self, plan) -> list[dict]:
        user = self.context["request"].user
        return TargetSerializer(achievement(plan, plan_targets(plan, user)), many=True).data


class TargetInSerializer(ScopedChoicesMixin, serializers.Serializer):
    metric = serializers.ChoiceField(choices=Target.Metric.choices)
    marketer = model_field(Target, "marketer", required=False, allow_null=True, default=None,
                           help_text="A member of the plan's team; empty: the whole team")
    region = model_field(Target, "region", required=False, allow_null=True, default=None,
                         help_text="A province covers its cities and their districts")
    territory = model_field(Target, "territory", required=False, allow_null=True, default=None)
    party_type = model_field(Target, "party_type", required=False, allow_null=True, default=None)
    value = serializers.IntegerField(min_value=1, max_value=services_targets.MAX_VALUE)


class TargetPlanInSerializer(ScopedChoicesMixin, serializers.Serializer):
    name = model_field(TargetPlan, "name")
    center = model_field(TargetPlan, "center")
    start_date = DateField()
    end_date = DateField()
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)
    targets = TargetInSerializer(many=True, allow_empty=False, max_length=services_targets.MAX_TARGETS)


class TargetPlanListApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="targets_list", parameters=[
        OpenApiParameter("q", str, description="Part of the plan's name"),
        OpenApiParameter("current", bool, description="Only the plans running today"), page_parameter()],
        responses=paged_schema("TargetPlanPage", TargetPlanSerializer),
        summary="Marketing plans of your teams with their targets and achievement, paged")
    def get(self, request):
        require_perms(request, "field.view_targetplan")
        params = request.query_params
        plans = plan_list(user=request.user, query=params.get("q", "").replace("\x00", "").strip()[:100],
                          current=params.get("current") in ("1", "true", "True", "yes"))
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(plans, request, view=self)
        return paginator.get_paginated_response(
            TargetPlanSerializer(page, many=True, context={"request": request}).data)

    @extend_schema(request=TargetPlanInSerializer, responses={201: TargetPlanSerializer},
                   parameters=[OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER,
                                                description="A retry with the same key returns the same plan")],
                   summary="Make a marketing plan with its targets")
    def post(self, request):
        require_perms(request, "field.add_targetplan")
        incoming = TargetPlanInSerializer(data=request.data, context={"request": request})
        incoming.is_valid(raise_exception=True)
        values = dict(incoming.validated_data)
        values["targets"] = [dict(row) for row in values["targets"]]
        plan = services_targets.target_plan_create(acting_user=request.user,
                                                   submission_key=request.headers.get("Idempotency-Key") or None,
                                                   **values)
        return Response(TargetPlanSerializer(plan, context={"request": request}).data, status=status.HTTP_201_CREATED)


class TargetPlanApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=TargetPlanSerializer, summary="One marketing plan with its targets and achievement")
    def get(self, request, pk):
        require_perms(request, "field.view_targetplan")
        if not 0 < int(pk) <= MAX_ID:
            raise Http404
        plan = get_object_or_404(plan_list(user=request.user), pk=pk)
        return Response(TargetPlanSerializer(plan, context={"request": request}).data)
