from django.urls import path

from . import api_contracts as api

urlpatterns = [
    path("contracts/", api.ContractListApi.as_view(), name="api-contract-list"),
    path("contracts/<int:pk>/", api.ContractApi.as_view(), name="api-contract"),
    path("cheques/", api.ChequeListApi.as_view(), name="api-cheque-list"),
    path("cheques/<int:pk>/", api.ChequeApi.as_view(), name="api-cheque"),
    path("cheques/<int:pk>/deposit/", api.ChequeDepositApi.as_view(), name="api-cheque-deposit"),
    path("cheques/<int:pk>/clear/", api.ChequeClearApi.as_view(), name="api-cheque-clear"),
    path("cheques/<int:pk>/return/", api.ChequeReturnApi.as_view(), name="api-cheque-return"),
    path("alarms/", api.AlarmListApi.as_view(), name="api-alarm-list"),
]
