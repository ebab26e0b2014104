"""REST API of the visits part of field marketing, mounted under ``/api/``."""

from django.urls import path

from . import api_visits as api

urlpatterns = [
    path("field/today/", api.TodayApi.as_view(), name="api-field-today"),
    path("check-ins/", api.CheckInListApi.as_view(), name="api-field-check-in-list"),
    path("tour-stops/<int:pk>/outcome/", api.StopOutcomeApi.as_view(), name="api-field-stop-outcome"),
    path("tour-stops/<int:pk>/skip/", api.StopSkipApi.as_view(), name="api-field-stop-skip"),
]
