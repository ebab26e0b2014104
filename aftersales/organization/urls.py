from django.urls import path

from . import views

app_name = "organization"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("profile/", views.profile, name="profile"),
    path("centers/", views.center_list, name="center-list"),
    path("centers/export.xlsx", views.center_export, name="center-export"),
    path("centers/<int:pk>/", views.center_detail, name="center-detail"),
    path("centers/<int:pk>/edit/", views.center_edit, name="center-edit"),
]
