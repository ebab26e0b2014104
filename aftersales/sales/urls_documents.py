from django.urls import path

from . import views_documents as views

urlpatterns = [
    path("proformas/", views.proforma_list, name="proforma-list"),
    path("proformas/new/", views.proforma_new, name="proforma-new"),
    path("proformas/<int:pk>/invoice/", views.proforma_invoice, name="proforma-invoice"),
    path("invoices/", views.invoice_list, name="invoice-list"),
    path("invoices/new/", views.invoice_new, name="invoice-new"),
    path("invoices/<int:pk>/credit/", views.invoice_credit, name="invoice-credit"),
    path("invoices/<int:pk>/receipt/", views.invoice_receipt, name="invoice-receipt"),
    path("credit-notes/", views.credit_list, name="credit-list"),
    path("documents/<int:pk>/", views.document_detail, name="document"),
    path("documents/<int:pk>/pdf/", views.document_pdf, name="document-pdf"),
    path("receipts/<int:pk>/void/", views.receipt_void, name="receipt-void"),
    path("receivables/", views.receivables, name="receivables"),
    path("receivables/<int:customer_pk>/", views.receivable_detail, name="receivable-detail"),
]
