from django.urls import path

from . import views

app_name = "messaging"

urlpatterns = [
    path("inbound/<str:token>/", views.inbound_webhook, name="inbound-webhook"),
]
