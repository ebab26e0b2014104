"""Workflows over REST: the list, export of a workflow as a file, import of one, and publishing (issue 14).

Every refusal is a 400 whose fields say what to fix (``reason``, ``moves``, ``definition``/``file``) and
whose ``code`` says why (stale, problems, moves, reason, format, format_version, subject).
"""

import json

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from . import definition as services
from .models import Workflow

PERMISSION = "workflow.change_workflow"
MAX_FILE_BYTES = 1_000_000
_FIELD_OF_CODE = {"reason": "reason", "moves": "moves", "problems": "definition", "shape": "definition",
                  "subject": "definition", "format": "definition", "format_version": "definition",
                  "version": "number"}


def _require(request) -> None:
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied


def _refusal(error: DjangoValidationError, *, definition_field: str = "definition") -> Response:
    """A service's refusal as a 400 naming the field to fix, with its code and what a program needs."""
    code = getattr(error, "code", None)
    field = _FIELD_OF_CODE.get(code, "non_field_errors")
    if field == "definition":
        field = definition_field
    detail = {field: error.messages, "code": code or "invalid"}
    params = getattr(error, "params", None) or {}
    if code == "moves":
        detail["states"] = params.get("states", {})
    elif code == "problems":
        detail["problems"] = params.get("problems", [])
    elif code == "stale":
        detail["version"] = params.get("version")
        detail["by"] = params.get("by")
        detail["at"] = params["at"].isoformat() if params.get("at") else None
        detail["reason"] = params.get("reason")
    return Response(detail, status=status.HTTP_400_BAD_REQUEST)


class WorkflowListSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    subject = serializers.CharField(help_text="app_label.model of the records it moves, or empty")
    subject_name = serializers.CharField()
    is_active = serializers.BooleanField()
    version = serializers.IntegerField(help_text="The published version")
    states = serializers.IntegerField(help_text="States in use")
    records_in_flight = serializers.IntegerField(help_text="Records in a state that is not final")


class VersionSerializer(serializers.Serializer):
    workflow = serializers.CharField(source="workflow.code")
    number = serializers.IntegerField()
    published_at = serializers.DateTimeField()
    published_by = serializers.CharField(source="published_by.username", allow_null=True, default=None)
    reason = serializers.CharField()
    moves = serializers.DictField(child=serializers.CharField(),
                                  help_text="Removed state code → state its records were moved to")


class PublishSerializer(serializers.Serializer):
    definition = serializers.JSONField(help_text="The workflow definition, as the export file has it")
    reason = serializers.CharField(max_length=1000, allow_blank=True, help_text="Why: kept with the version")
    base_version = serializers.IntegerField(min_value=0, help_text="The published version the edits started from; "
                                                                   "an older one is refused (code stale)")
    moves = serializers.DictField(child=serializers.CharField(), required=False, default=dict,
                                  help_text="For each removed state that holds records: the state code to move them to")


class ImportSerializer(serializers.Serializer):
    definition = serializers.JSONField(required=False, help_text="The exported definition (or send ``file``)")
    file = serializers.FileField(required=False, help_text="The exported JSON file (multipart)")
    reason = serializers.CharField(max_length=1000, allow_blank=True)
    base_version = serializers.IntegerField(min_value=0, required=False, allow_null=True, default=None,
                                            help_text="For a workflow this site has: the version you looked at")
    moves = serializers.JSONField(required=False, default=dict,
                                  help_text="For each removed state that holds records: the state to move them to")

    def validate_file(self, value):
        if value is not None and value.size > MAX_FILE_BYTES:
            raise serializers.ValidationError(_("The file is too large for a workflow (up to 1 MB)."))
        return value

    def validate_moves(self, value):
        if isinstance(value, str):
            try:
                value = json.loads(value) if value.strip() else {}
            except ValueError:
                value = None
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            raise serializers.ValidationError(
                _("Give each removed state the code of the state to move its records to."))
        return value

    def validate(self, attrs):
        if attrs.get("file") is None and attrs.get("definition") is None:
            raise serializers.ValidationError({"file": [_("Choose the workflow file to import.")]})
        return attrs


def _list_row(workflow) -> dict:
    subject = workflow.subject
    model = subject.model_class() if subject else None
    in_flight = 0
    if model is not None:
        in_flight = model.objects.filter(state__workflow=workflow, state__is_final=False).count()
    return {"code": workflow.code, "name": workflow.name,
            "subject": f"{subject.app_label}.{subject.model}" if subject else "",
            "subject_name": workflow.subject_label, "is_active": workflow.is_active, "version": workflow.version,
            "states": workflow.state_count, "records_in_flight": in_flight}


class WorkflowListApi(APIView):
    """Every workflow: what it moves, its published version, its states and the records in it."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=WorkflowListSerializer(many=True))
    def get(self, request):
        _require(request)
        workflows = (Workflow.objects.select_related("subject")
                     .annotate(state_count=Count("states", filter=Q(states__is_active=True))).order_by("name"))
        return Response([_list_row(workflow) for workflow in workflows])


class WorkflowExportApi(APIView):
    """The published workflow as a file (JSON) to import on another site."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={(200, "application/json"): OpenApiResponse(
        OpenApiTypes.OBJECT, description="The definition: format, format_version, code, name, subject, version, "
                                         "states, transitions (sent as an attachment)")})
    def get(self, request, code):
        _require(request)
        workflow = get_object_or_404(Workflow, code=code)
        name, body = services.workflow_export(workflow)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


class WorkflowImportApi(APIView):
    """Import an exported workflow: a new one by its code, or a new version of the one with that code.

    The same checks as publishing; a file of another product or of a newer version is refused.
    """

    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(request={"application/json": ImportSerializer, "multipart/form-data": ImportSerializer},
                   responses={201: VersionSerializer})
    def post(self, request):
        _require(request)
        incoming = ImportSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        values = incoming.validated_data
        upload = values.get("file")
        data = upload.read() if upload is not None else values["definition"]
        try:
            version = services.workflow_import(data=data, acting_user=request.user, reason=values["reason"],
                                               moves=values["moves"], base_version=values["base_version"])
        except DjangoValidationError as error:
            return _refusal(error, definition_field="file" if upload is not None else "definition")
        return Response(VersionSerializer(version).data, status=status.HTTP_201_CREATED)


class WorkflowPublishApi(APIView):
    """Publish a definition as the workflow's next version (records of removed states moved per ``moves``)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=PublishSerializer, responses={201: VersionSerializer})
    def post(self, request, code):
        _require(request)
        workflow = get_object_or_404(Workflow, code=code)
        incoming = PublishSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        values = incoming.validated_data
        try:
            version = services.workflow_publish(
                workflow=workflow, definition=values["definition"], acting_user=request.user,
                reason=values["reason"], base_version=values["base_version"], moves=values["moves"])
        except DjangoValidationError as error:
            return _refusal(error)
        return Response(VersionSerializer(version).data, status=status.HTTP_201_CREATED)
