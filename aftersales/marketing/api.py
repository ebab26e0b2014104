"""Campaigns over REST (F55, issue 13): the same services as the pages."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from aftersales.core.api import ModelPermissions
from aftersales.messaging.models import MessageTemplate

from . import services
from .models import Campaign

_WRITTEN = ["name", "template", "body", "audience", "group", "province", "product_group", "days_before", "repeat",
            "send_at"]


class CampaignSerializer(serializers.ModelSerializer):
    template = serializers.PrimaryKeyRelatedField(
        queryset=MessageTemplate.objects.all(), required=False, allow_null=True, default=None,
        help_text="A marketing template's id; or leave it out and write `body`. Service templates are refused.")
    body = serializers.CharField(required=False, allow_blank=True, default="",
                                 help_text="The campaign's own SMS text, with {customer_name}, {mobile}, {date}, {link}")

    class Meta:
        model = Campaign
        fields = ["id", *_WRITTEN, "status", "recipients", "skipped", "last_run_on", "created_at"]
        read_only_fields = ["status", "recipients", "skipped", "last_run_on", "created_at"]


class _CampaignApiBase(APIView):
    permission_classes = [ModelPermissions]
    queryset = Campaign.objects.none()  # for ModelPermissions: the model whose permissions apply


class CampaignListApi(_CampaignApiBase):
    @extend_schema(responses=CampaignSerializer(many=True), summary="Campaigns, newest first")
    def get(self, request):
        campaigns = Campaign.objects.select_related("template")[:200]
        return Response(CampaignSerializer(campaigns, many=True).data)

    @extend_schema(request=CampaignSerializer, responses={201: CampaignSerializer},
                   summary="Write a draft campaign: a marketing template or its own text, exactly one")
    def post(self, request):
        serializer = CampaignSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        fields = {name: serializer.validated_data[name] for name in _WRITTEN if name in serializer.validated_data}
        campaign = services.campaign_create(acting_user=request.user, **fields)
        return Response(CampaignSerializer(campaign).data, status=status.HTTP_201_CREATED)


class CampaignApi(_CampaignApiBase):
    @extend_schema(responses=CampaignSerializer, summary="One campaign")
    def get(self, request, pk):
        return Response(CampaignSerializer(get_object_or_404(Campaign.objects.select_related("template"), pk=pk)).data)
