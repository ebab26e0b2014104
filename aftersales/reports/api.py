"""Reports over REST: ``GET /api/reports/`` lists those the caller may open, ``GET /api/reports/<slug>/``
runs one (JSON, or ``?format=xlsx|pdf|csv``) with the same filters, scoping and services as its page.
Bad filters are a 400 naming each field; an unknown report, or one the caller's role does not open, 404."""

from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import JSONRenderer
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from . import render, selectors
from .filters import FilterError
from .registry import reports_for

_FILTERS = [
    OpenApiParameter("from", str, description="First day, Jalali 1405/01/01 or ISO 2026-03-21"),
    OpenApiParameter("to", str, description="Last day (included), Jalali or ISO"),
    OpenApiParameter("period", str, enum=["today", "yesterday", "this_week", "last_week", "this_month",
                                          "last_month", "this_season", "this_year", "last_12_months"]),
    OpenApiParameter("center", int), OpenApiParameter("province", str), OpenApiParameter("product_group", int),
    OpenApiParameter("model", int), OpenApiParameter("technician", int),
    OpenApiParameter("marketer", int, description="who logged the contacts (the contacts report)"),
    OpenApiParameter("warranty", str, enum=["yes", "no"]), OpenApiParameter("kind", str),
    OpenApiParameter("group_by", str, description="day, week, month, season, year, or a dimension the report offers"),
    OpenApiParameter("format", str, enum=["json", "xlsx", "pdf", "csv"]),
]


def _require(request):
    if not request.user.has_perm("reports.view_reports"):
        raise PermissionDenied


class ReportSummarySerializer(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()
    subject = serializers.CharField()
    description = serializers.CharField()
    group_by = serializers.ListField(child=serializers.CharField())


class ReportListApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="reports_list", responses=ReportSummarySerializer(many=True), tags=["reports"])
    def get(self, request):
        _require(request)
        return Response([{"slug": report.slug, "title": str(report.title), "subject": str(report.subject),
                          "description": str(report.description),
                          "group_by": ["day", "week", "month", "season", "year", *report.group_by]}
                         for report in reports_for(request.user)])


class _FormatIsOurs(DefaultContentNegotiation):
    """``?format=`` names the report's file format (xlsx, pdf, csv), not one of DRF's renderers."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class ReportApi(APIView):
    permission_classes = [IsAuthenticated]
    renderer_classes = [JSONRenderer]
    content_negotiation_class = _FormatIsOurs

    @extend_schema(operation_id="reports_run", parameters=_FILTERS, tags=["reports"],
                   responses={200: OpenApiResponse(OpenApiTypes.OBJECT, description="tables, chart and notes"),
                              400: OpenApiResponse(OpenApiTypes.OBJECT, description="a message per filter")})
    def get(self, request, slug):
        _require(request)
        try:
            report = selectors.report_get(slug, request.user)
        except selectors.UnknownReport:
            raise Http404 from None
        fmt = request.query_params.get("format", "json")
        if fmt not in ("json", *render.CONTENT_TYPES):
            return Response({"format": [_("Choose json, xlsx, pdf or csv.")]}, status=status.HTTP_400_BAD_REQUEST)
        try:
            filters, result = selectors.report_run(report, request.query_params, request.user)
        except FilterError as error:
            return Response(error.errors, status=status.HTTP_400_BAD_REQUEST)
        if fmt == "json":
            return Response(render.as_json(report, filters, result))
        maker = {"xlsx": render.as_xlsx, "csv": render.as_csv, "pdf": render.as_pdf}[fmt]
        response = HttpResponse(maker(report, filters, result), content_type=render.CONTENT_TYPES[fmt])
        response["Content-Disposition"] = f'attachment; filename="{render.filename(report, filters, fmt)}"'
        return response
