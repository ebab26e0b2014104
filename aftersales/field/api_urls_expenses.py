"""REST API of the expenses part of field marketing, mounted under ``/api/``."""

urlpatterns = []
