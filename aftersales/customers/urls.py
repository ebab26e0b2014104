from django.urls import path

from . import views

app_name = "customers"

urlpatterns = [path("<int:pk>/merge/<int:duplicate_pk>/", views.merge, name="merge")]
