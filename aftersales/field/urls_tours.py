"""Pages of the tours part of field marketing: places, routes, tours and their days (F48, F47, F02)."""

from django.urls import path

from . import views_tours as views

urlpatterns = [
    path("places/", views.place_list_view, name="place-list"),
    path("places/new/", views.place_create_view, name="place-create"),
    path("places/<int:pk>/edit/", views.place_edit, name="place-edit"),
    path("routes/", views.route_list_view, name="route-list"),
    path("routes/new/", views.route_create_view, name="route-create"),
    path("routes/<int:pk>/", views.route_detail, name="route-detail"),
    path("routes/<int:pk>/edit/", views.route_edit, name="route-edit"),
    path("routes/<int:pk>/places/", views.route_place_add, name="route-place-add"),
    path("routes/<int:pk>/places/up/", views.route_place_move, {"action": "up"}, name="route-place-up"),
    path("routes/<int:pk>/places/down/", views.route_place_move, {"action": "down"}, name="route-place-down"),
    path("routes/<int:pk>/places/remove/", views.route_place_move, {"action": "remove"}, name="route-place-remove"),
    path("tours/", views.tour_list_view, name="tour-list"),
    path("tours/new/", views.tour_create_view, name="tour-create"),
    path("tours/<int:pk>/", views.tour_detail, name="tour-detail"),
    path("tours/<int:pk>/edit/", views.tour_edit, name="tour-edit"),
    path("tours/<int:pk>/stops/", views.tour_stops_add, name="tour-stops-add"),
    path("tours/<int:pk>/publish/", views.tour_publish, name="tour-publish"),
    path("tours/days/<int:pk>/", views.tour_day, name="tour-day"),
    path("tours/days/<int:pk>/optimise/", views.tour_day_optimise, name="tour-day-optimise"),
    path("tours/stops/<int:pk>/pin/", views.tour_stop_action, {"action": "pin"}, name="tour-stop-pin"),
    path("tours/stops/<int:pk>/unpin/", views.tour_stop_action, {"action": "unpin"}, name="tour-stop-unpin"),
    path("tours/stops/<int:pk>/move/", views.tour_stop_action, {"action": "move"}, name="tour-stop-move"),
    path("tours/stops/<int:pk>/remove/", views.tour_stop_action, {"action": "remove"}, name="tour-stop-remove"),
]
