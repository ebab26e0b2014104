"""The customer portal's REST API, mounted under ``/api/portal/`` (issue 22)."""

from django.urls import path

from . import api, api_account

app_name = "portal-api"

urlpatterns = [
    path("sign-in/", api.SignInApi.as_view(), name="sign-in"),
    path("sign-in/confirm/", api.SignInConfirmApi.as_view(), name="sign-in-confirm"),
    path("register/", api_account.RegisterApi.as_view(), name="register"),
    path("sign-out/", api.SignOutApi.as_view(), name="sign-out"),
    path("units/", api.UnitListApi.as_view(), name="units"),
    path("units/<int:pk>/", api.UnitApi.as_view(), name="unit"),
    path("repairs/", api.RepairListApi.as_view(), name="repairs"),
    path("repairs/<int:pk>/", api.RepairApi.as_view(), name="repair"),
    path("repairs/<int:pk>/estimate/", api.EstimateAnswerApi.as_view(), name="repair-estimate"),
    path("service-requests/", api.ServiceRequestListApi.as_view(), name="service-requests"),
    path("service-requests/<int:pk>/cancel/", api.ServiceRequestCancelApi.as_view(), name="service-request-cancel"),
    path("purchases/", api_account.PurchaseApi.as_view(), name="purchases"),
    path("complaints/", api_account.ComplaintListApi.as_view(), name="complaints"),
    path("messages/", api_account.MessageListApi.as_view(), name="messages"),
    path("me/", api_account.MeApi.as_view(), name="me"),
    path("me/addresses/", api_account.AddressListApi.as_view(), name="addresses"),
    path("me/addresses/<int:pk>/", api_account.AddressApi.as_view(), name="address"),
]
