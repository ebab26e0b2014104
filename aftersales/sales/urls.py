from . import urls_commission, urls_contracts, urls_coverage, urls_documents

app_name = "sales"

# Proformas, invoices and receipts; contracts, cheques and alarms; agents and commission.
urlpatterns = [*urls_documents.urlpatterns, *urls_contracts.urlpatterns, *urls_commission.urlpatterns,
               *urls_coverage.urlpatterns]
