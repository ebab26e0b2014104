"""Pages of the tours part of field marketing."""

urlpatterns = []
