from django.urls import path

from . import views_contracts

# Contracts, cheques and alarms (F51, F52).
urlpatterns = [
    path("contracts/", views_contracts.contract_list_view, name="contract-list"),
    path("contracts/new/", views_contracts.contract_create_view, name="contract-create"),
    path("contracts/<int:pk>/", views_contracts.contract_detail, name="contract-detail"),
    path("contracts/<int:pk>/edit/", views_contracts.contract_edit, name="contract-edit"),
    path("contracts/<int:pk>/end/", views_contracts.contract_status, {"action": "end"}, name="contract-end"),
    path("contracts/<int:pk>/cancel/", views_contracts.contract_status, {"action": "cancel"}, name="contract-cancel"),
    path("cheques/", views_contracts.cheque_list_view, name="cheque-list"),
    path("cheques/new/", views_contracts.cheque_receive_view, name="cheque-receive"),
    path("cheques/<int:pk>/", views_contracts.cheque_detail, name="cheque-detail"),
    path("cheques/<int:pk>/deposit/", views_contracts.cheque_move, {"action": "deposit"}, name="cheque-deposit"),
    path("cheques/<int:pk>/clear/", views_contracts.cheque_move, {"action": "clear"}, name="cheque-clear"),
    path("cheques/<int:pk>/return/", views_contracts.cheque_move, {"action": "return"}, name="cheque-return"),
    path("alarms/", views_contracts.alarm_list_view, name="alarm-list"),
    path("alarms/<int:pk>/seen/", views_contracts.alarm_seen, name="alarm-seen"),
]
