from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from aftersales.core.api import JalaliDateTimeField, ModelPermissions, ModelSerializer

from . import selectors, services
from .models import ServiceCenter, User


class CenterSerializer(ModelSerializer):
    created_at_jalali = JalaliDateTimeField(source="created_at")

    class Meta:
        model = ServiceCenter
        fields = [
            "id", "code", "name", "province", "city", "address", "postal_code", "phone",
            "is_active", "created_at", "created_at_jalali",
        ]
        read_only_fields = ["id", "code", "created_at"]


class CenterViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Service centers the caller may see; managers may change their own."""

    serializer_class = CenterSerializer
    permission_classes = [ModelPermissions]
    queryset = ServiceCenter.objects.all()
    filterset_fields = ["province", "city", "is_active"]

    def get_queryset(self):
        return selectors.center_list(user=self.request.user, query=self.request.query_params.get("q", ""))

    def perform_update(self, serializer):
        serializer.instance = services.center_update(
            center=serializer.instance, acting_user=self.request.user, data=serializer.validated_data
        )


class ProfileSerializer(ModelSerializer):
    centers = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    roles = serializers.SlugRelatedField(source="groups", slug_field="name", many=True, read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "first_name", "last_name", "email", "mobile", "national_code", "centers", "roles"]
        read_only_fields = ["id", "username"]


class ProfileApi(APIView):
    """The caller's own profile."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=ProfileSerializer)
    def get(self, request):
        return Response(ProfileSerializer(request.user).data)

    @extend_schema(request=ProfileSerializer, responses=ProfileSerializer)
    def patch(self, request):
        serializer = ProfileSerializer(request.user, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        with transaction.atomic():
            user = services.user_profile_update(user=request.user, data=serializer.validated_data)
        return Response(ProfileSerializer(user).data)
