"""Pages of the visits part of field marketing."""

from django.urls import path

from . import views_visits

urlpatterns = [
    path("today/", views_visits.today, name="today"),
]
