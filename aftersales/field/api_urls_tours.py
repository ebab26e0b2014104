"""REST API of the tours part of field marketing, mounted under ``/api/``: routes, places, tours (F48, F47, F02)."""

from django.urls import path

from . import api_tours as api

urlpatterns = [
    path("routes/", api.RouteListApi.as_view(), name="api-field-route-list"),
    path("routes/<int:pk>/", api.RouteApi.as_view(), name="api-field-route"),
    path("places/", api.PlaceListApi.as_view(), name="api-field-place-list"),
    path("places/<int:pk>/", api.PlaceApi.as_view(), name="api-field-place"),
    path("tours/", api.TourListApi.as_view(), name="api-field-tour-list"),
    path("tours/<int:pk>/", api.TourApi.as_view(), name="api-field-tour"),
    path("tours/<int:pk>/days/<str:date>/optimise/", api.TourDayOptimiseApi.as_view(),
         name="api-field-tour-day-optimise"),
    path("tours/<int:pk>/stops/", api.TourStopsApi.as_view(), name="api-field-tour-stops"),
]
