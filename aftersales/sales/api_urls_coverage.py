from django.urls import path

from . import api_coverage

urlpatterns = [
    path("contracts/<int:pk>/units/", api_coverage.ContractUnitListApi.as_view(), name="api-contract-units"),
    path("contracts/<int:pk>/units/bulk/", api_coverage.ContractUnitsBulkApi.as_view(),
         name="api-contract-units-bulk"),
    path("contracts/<int:pk>/units/<int:unit_pk>/", api_coverage.ContractUnitApi.as_view(),
         name="api-contract-unit"),
    path("contract-units/<int:pk>/visits/", api_coverage.ContractUnitVisitApi.as_view(),
         name="api-contract-unit-visit"),
    path("units/<str:serial>/service-contract/", api_coverage.UnitServiceContractApi.as_view(),
         name="api-unit-service-contract"),
]
