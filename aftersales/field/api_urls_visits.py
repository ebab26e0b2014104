"""REST API of the visits part of field marketing, mounted under ``/api/``."""

urlpatterns = []
