"""Pages of the expenses part of field marketing (F58)."""

from django.urls import path

from . import views_expenses as views

urlpatterns = [
    path("expenses/", views.expense_list_view, name="expense-list"),
    path("expenses/mine/", views.expense_mine, name="expense-mine"),
    path("expenses/new/", views.expense_create, name="expense-create"),
    path("expenses/queue/", views.expense_queue, name="expense-queue"),
    path("expenses/totals/", views.expense_totals_view, name="expense-totals"),
    path("expenses/export.xlsx", views.expense_export, name="expense-export"),
    path("expenses/<int:pk>/", views.expense_detail, name="expense-detail"),
    path("expenses/<int:pk>/receipt/", views.expense_receipt, name="expense-receipt"),
    path("expenses/<int:pk>/approve/", views.expense_decide, {"action": "approve"}, name="expense-approve"),
    path("expenses/<int:pk>/refuse/", views.expense_decide, {"action": "refuse"}, name="expense-refuse"),
    path("expenses/<int:pk>/withdraw/", views.expense_withdraw, name="expense-withdraw"),
]
