"""Pages of the targets part of field marketing."""

urlpatterns = []
