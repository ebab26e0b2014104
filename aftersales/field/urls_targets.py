"""Pages of the targets part of field marketing (F46)."""

from django.urls import path

from . import views_targets

urlpatterns = [
    path("targets/", views_targets.target_plan_list_view, name="target-plan-list"),
    path("targets/new/", views_targets.target_plan_create_view, name="target-plan-create"),
    path("targets/mine/", views_targets.my_targets_view, name="my-targets"),
    path("targets/<int:pk>/", views_targets.target_plan_detail, name="target-plan-detail"),
    path("targets/<int:pk>/edit/", views_targets.target_plan_edit, name="target-plan-edit"),
]
