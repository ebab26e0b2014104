from django.urls import path

from . import api_documents as api

urlpatterns = [
    path("sales/proformas/", api.ProformaListApi.as_view(), name="api-sales-proformas"),
    path("sales/proformas/<int:pk>/", api.ProformaApi.as_view(), name="api-sales-proforma"),
    path("sales/proformas/<int:pk>/invoice/", api.ProformaInvoiceApi.as_view(), name="api-sales-proforma-invoice"),
    path("sales/invoices/", api.InvoiceListApi.as_view(), name="api-sales-invoices"),
    path("sales/invoices/<int:pk>/", api.InvoiceApi.as_view(), name="api-sales-invoice"),
    path("sales/invoices/<int:pk>/credit-notes/", api.InvoiceCreditNotesApi.as_view(),
         name="api-sales-invoice-credit-notes"),
    path("sales/receipts/", api.ReceiptListApi.as_view(), name="api-sales-receipts"),
    path("sales/debts/", api.DebtListApi.as_view(), name="api-sales-debts"),
]
