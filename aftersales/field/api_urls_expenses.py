"""REST API of the expenses part of field marketing, mounted under ``/api/`` (F58)."""

from django.urls import path

from . import api_expenses as api

urlpatterns = [
    path("visit-expenses/", api.ExpenseListApi.as_view(), name="api-field-expenses"),
    path("visit-expenses/<int:pk>/", api.ExpenseApi.as_view(), name="api-field-expense"),
    path("visit-expenses/<int:pk>/approve/", api.ExpenseApproveApi.as_view(), name="api-field-expense-approve"),
    path("visit-expenses/<int:pk>/refuse/", api.ExpenseRefuseApi.as_view(), name="api-field-expense-refuse"),
]
