"""Pages of the expenses part of field marketing."""

urlpatterns = []
