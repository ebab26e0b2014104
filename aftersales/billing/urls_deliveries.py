"""Pages of delivery documents (F30) and technician statements (F24)."""

from django.urls import path

from . import views_deliveries as views

urlpatterns = [
    path("deliveries/", views.delivery_list, name="delivery-list"),
    path("deliveries/<int:pk>/", views.delivery_detail, name="delivery"),
    path("deliveries/<int:pk>/invoice/", views.delivery_invoice, name="delivery-invoice"),
    path("statements/", views.statement, name="statement"),
    path("statements/pdf/", views.statement_pdf, name="statement-pdf"),
]
