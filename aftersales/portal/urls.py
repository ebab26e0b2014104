from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("sign-in/", views.sign_in, name="sign-in"),
    path("sign-in/<str:token>/", views.code, name="code"),
    path("register/", views.register, name="register"),
    path("sign-out/", views.sign_out, name="sign-out"),
    path("units/", views.unit_list, name="units"),
    path("units/<int:pk>/", views.unit_detail, name="unit"),
    path("units/<int:pk>/card.pdf", views.unit_card_pdf, name="unit-card-pdf"),
    path("repairs/", views.repair_list, name="repairs"),
    path("repairs/<int:pk>/", views.repair_detail, name="repair"),
    path("repairs/<int:pk>/receipt.pdf", views.repair_receipt_pdf, name="repair-receipt-pdf"),
    path("invoices/<int:pk>.pdf", views.invoice_pdf, name="invoice-pdf"),
    path("service/", views.service_request, name="service"),
    path("service/<int:pk>/cancel/", views.service_request_cancel, name="service-cancel"),
]
