from django.urls import path

from . import views

app_name = "desk"

urlpatterns = [
    path("<slug:slug>/", views.record_list, name="list"),
    path("<slug:slug>/export.xlsx", views.record_export, name="export"),
    path("<slug:slug>/new/", views.record_create, name="create"),
    path("<slug:slug>/<int:pk>/", views.record_detail, name="detail"),
    path("<slug:slug>/<int:pk>/edit/", views.record_edit, name="edit"),
]
