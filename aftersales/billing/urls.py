from django.urls import path

from . import views, views_deliveries

app_name = "billing"
urlpatterns = [
    path("", views.invoice_list, name="invoice-list"),
    path("new/", views.invoice_new, name="invoice-new"),
    path("<int:pk>/", views.invoice_detail, name="invoice"),
    path("<int:pk>/pdf/", views.invoice_pdf, name="invoice-pdf"),
    path("<int:pk>/pay/", views.invoice_pay, name="invoice-pay"),
    path("<int:pk>/credit/", views.invoice_credit, name="invoice-credit"),
    path("claims/", views.claim_list, name="claim-list"),
    path("claims/new/", views.claim_new, name="claim-new"),
    path("claims/<int:pk>/", views.claim_detail, name="claim"),
    path("deliveries/", views_deliveries.delivery_list, name="delivery-list"),
    path("deliveries/<int:pk>/", views_deliveries.delivery_detail, name="delivery"),
    path("deliveries/<int:pk>/invoice/", views_deliveries.delivery_invoice, name="delivery-invoice"),
    path("statements/", views_deliveries.statement, name="statement"),
    path("statements/pdf/", views_deliveries.statement_pdf, name="statement-pdf"),
]
