"""REST API of the tours part of field marketing, mounted under ``/api/``."""

urlpatterns = []
