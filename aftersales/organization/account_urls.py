from django.urls import path

from . import account_views

app_name = "accounts"

urlpatterns = [
    path("2fa/", account_views.twofactor_enrol, name="twofactor-enrol"),
    path("2fa/qr.svg", account_views.twofactor_qr, name="twofactor-qr"),
    path("2fa/verify/", account_views.twofactor_verify, name="twofactor-verify"),
    path("password/", account_views.PasswordChangeView.as_view(), name="password-change"),
    path("password/done/", account_views.PasswordChangeDoneView.as_view(), name="password-change-done"),
]
