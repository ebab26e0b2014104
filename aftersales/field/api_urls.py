"""The REST API of field marketing, mounted under ``/api/``."""

from . import api_urls_expenses, api_urls_targets, api_urls_tours, api_urls_visits

urlpatterns = [*api_urls_targets.urlpatterns, *api_urls_tours.urlpatterns, *api_urls_visits.urlpatterns,
               *api_urls_expenses.urlpatterns]
