from django.urls import path  # noqa: F401 (each part of the CRM appends its pages below)

app_name = "crm"

urlpatterns = [
]
