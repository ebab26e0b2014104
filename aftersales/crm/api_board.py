"""The stages of a marketing workflow over REST (F44): each stage with the count of the parties the caller may
see, and one keyset page of a stage. Moving a party is ``POST /api/parties/<pk>/move/`` (the parties' API)."""

from urllib.parse import urlencode

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from aftersales.core.api import JalaliDateTimeField, ModelPermissions
from aftersales.core.jalali import format_date

from . import board as selectors
from .models import Party

_FILTER_PARAMETERS = [
    OpenApiParameter("marketer", OpenApiTypes.INT, description="Only the parties of this marketer (a user id)"),
    OpenApiParameter("rating", OpenApiTypes.STR, enum=Party.Rating.values, description="Only this rating"),
    OpenApiParameter("party_type", OpenApiTypes.INT, description="Only this party type (id)"),
    OpenApiParameter("kind", OpenApiTypes.STR, enum=["lead", "customer"], description="Only leads, or only customers"),
]


class StageSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    order = serializers.IntegerField()
    is_initial = serializers.BooleanField()
    is_final = serializers.BooleanField()
    sla_hours = serializers.IntegerField(allow_null=True, help_text="A party is overdue after this many hours here")
    count = serializers.IntegerField(help_text="Parties in the stage that the caller may see (filters applied)")


class StageCardSerializer(serializers.ModelSerializer):
    """A card of the board: who, lead or customer, type, rating, days in the stage, next step, marketer."""

    id = serializers.IntegerField(source="pk", help_text="The party's id, which is its customer's")
    name = serializers.CharField(source="customer.display_name")
    is_lead = serializers.BooleanField(source="customer.is_lead")
    party_type_name = serializers.CharField(source="party_type.name")
    days_in_stage = serializers.IntegerField()
    state_entered_at_jalali = JalaliDateTimeField(source="state_entered_at")
    next_step_date_jalali = serializers.SerializerMethodField()
    marketer_name = serializers.SerializerMethodField()

    class Meta:
        model = Party
        fields = ["id", "name", "is_lead", "party_type", "party_type_name", "rating", "score", "state", "version",
                  "state_entered_at", "state_entered_at_jalali", "days_in_stage", "due_at", "next_step",
                  "next_step_date", "next_step_date_jalali", "marketer", "marketer_name"]

    def get_next_step_date_jalali(self, party) -> str | None:
        return format_date(party.next_step_date, latin_digits=True) if party.next_step_date else None

    def get_marketer_name(self, party) -> str:
        return (party.marketer.get_full_name() or party.marketer.username) if party.marketer else ""


class _StagesApiBase(APIView):
    permission_classes = [ModelPermissions]
    queryset = Party.objects.none()  # for ModelPermissions: reading needs crm.view_party

    def filters(self, request) -> selectors.BoardFilters:
        return selectors.board_filters(request.query_params, strict=True)


class StageListApi(_StagesApiBase):
    @extend_schema(
        summary="The stages of a marketing workflow, each with the count of the parties the caller may see",
        parameters=[OpenApiParameter("workflow", OpenApiTypes.STR, required=True,
                                     description="The workflow's code, e.g. sales-pipeline"), *_FILTER_PARAMETERS],
        responses=inline_serializer("StageList", {
            "workflow": inline_serializer("StageListWorkflow", {"code": serializers.CharField(),
                                                                "name": serializers.CharField()}),
            "stages": StageSerializer(many=True)}))
    def get(self, request):
        code = (request.query_params.get("workflow") or "").strip()
        if not code:
            raise ValidationError({"workflow": [_("Name the workflow (its code, e.g. sales-pipeline).")]})
        workflow = selectors.marketing_workflows().filter(code=code).first()
        if workflow is None:
            raise ValidationError({"workflow": [_("No marketing workflow has this code.")]})
        filters = self.filters(request)
        stages = selectors.board_stages(workflow)
        counts = selectors.stage_counts(request.user, stages, filters)
        rows = [{"id": state.pk, "code": state.code, "name": state.name, "order": state.order,
                 "is_initial": state.is_initial, "is_final": state.is_final, "sla_hours": state.sla_hours,
                 "count": counts[state.pk]} for state in stages]
        return Response({"workflow": {"code": workflow.code, "name": workflow.name},
                         "stages": StageSerializer(rows, many=True).data})


class StagePartiesApi(_StagesApiBase):
    @extend_schema(
        summary="One page of a stage's parties, the longest in the stage first (keyset paging)",
        parameters=[
            OpenApiParameter("after", OpenApiTypes.STR, description="`next_after` of the previous page; "
                                                                    "left out: the first page"),
            OpenApiParameter("limit", OpenApiTypes.INT, description=f"Cards per page (1–{selectors.MAX_PAGE_SIZE}, "
                                                                    f"default {selectors.PAGE_SIZE})"),
            *_FILTER_PARAMETERS],
        responses=inline_serializer("StagePartiesPage", {
            "stage": serializers.IntegerField(),
            "results": StageCardSerializer(many=True),
            "next_after": serializers.CharField(allow_null=True, help_text="Pass as `after` for the next page"),
            "next": serializers.URLField(allow_null=True)}))
    def get(self, request, state_pk):
        state = selectors.marketing_stage(state_pk)
        if state is None:
            raise Http404
        filters = self.filters(request)
        raw_limit = (request.query_params.get("limit") or "").strip()
        if not raw_limit:
            limit = selectors.PAGE_SIZE
        elif raw_limit.isdigit() and 1 <= int(raw_limit) <= selectors.MAX_PAGE_SIZE:
            limit = int(raw_limit)
        else:
            raise ValidationError({"limit": [_("Ask for 1 to %(most)s cards.") % {"most": selectors.MAX_PAGE_SIZE}]})
        page = selectors.stage_page(request.user, state, filters, after=request.query_params.get("after", ""),
                                    size=limit)
        following = None
        if page.after:
            query = {**filters.query(), "after": page.after}
            if raw_limit:
                query["limit"] = limit
            following = request.build_absolute_uri(
                reverse("api-crm-stage-parties", args=[state.pk]) + "?" + urlencode(query))
        return Response({"stage": state.pk, "results": StageCardSerializer(page.cards, many=True).data,
                         "next_after": page.after or None, "next": following})
