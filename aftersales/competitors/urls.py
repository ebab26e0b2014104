from django.urls import path

from . import views

app_name = "competitors"
urlpatterns = [path("compare/", views.compare, name="compare")]
