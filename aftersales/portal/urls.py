from django.urls import path

from . import views, views_account

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
    path("units/register/", views_account.unit_register, name="unit-register"),
    path("complaints/", views_account.complaint_list, name="complaints"),
    path("complaints/new/", views_account.complaint_new, name="complaint-new"),
    path("messages/", views_account.message_list, name="messages"),
    path("me/", views_account.me, name="me"),
    path("me/addresses/", views_account.address_add, name="address-add"),
    path("me/addresses/<int:pk>/remove/", views_account.address_remove, name="address-remove"),
    path("me/advertising-sms/", views_account.marketing_opt_out, name="opt-out"),
]
