from django.urls import path

from . import views

app_name = "stock"
urlpatterns = [
    path("", views.levels, name="levels"),
    path("ledger/", views.ledger, name="ledger"),
    path("<slug:action>/", views.move, name="move"),
]
