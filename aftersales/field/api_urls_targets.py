"""REST API of the targets part of field marketing, mounted under ``/api/``."""

urlpatterns = []
