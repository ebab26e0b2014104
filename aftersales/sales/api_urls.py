"""The REST API of sales, mounted under ``/api/``."""

from . import api_urls_commission, api_urls_contracts, api_urls_coverage, api_urls_documents

urlpatterns = [*api_urls_documents.urlpatterns, *api_urls_contracts.urlpatterns, *api_urls_commission.urlpatterns,
               *api_urls_coverage.urlpatterns]
