from django.urls import path

from . import views

app_name = "customers"

urlpatterns = [
    path("<int:pk>/merge/<int:duplicate_pk>/", views.merge, name="merge"),
    path("<int:pk>/phones/", views.phone_add, name="phone-add"),
    path("<int:pk>/addresses/", views.address_add, name="address-add"),
]
