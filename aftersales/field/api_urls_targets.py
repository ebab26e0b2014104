"""REST API of the targets part of field marketing, mounted under ``/api/``."""

from django.urls import path

from . import api_targets as api

urlpatterns = [
    path("targets/", api.TargetPlanListApi.as_view(), name="api-field-target-plan-list"),
    path("targets/<int:pk>/", api.TargetPlanApi.as_view(), name="api-field-target-plan"),
]
