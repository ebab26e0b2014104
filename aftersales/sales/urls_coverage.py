from django.urls import path

from . import views_coverage

urlpatterns = [
    path("service-contracts/", views_coverage.service_contracts, name="coverage-contracts"),
    path("contracts/<int:pk>/units/", views_coverage.contract_units, name="coverage-units"),
    path("contracts/<int:pk>/units/add/", views_coverage.contract_unit_add, name="coverage-unit-add"),
    path("contracts/<int:pk>/units/bulk/", views_coverage.contract_units_bulk, name="coverage-units-bulk"),
    path("contracts/<int:pk>/units/<int:unit_pk>/remove/", views_coverage.contract_unit_remove,
         name="coverage-unit-remove"),
    path("contract-units/<int:pk>/visit/", views_coverage.contract_unit_visit, name="coverage-unit-visit"),
]
