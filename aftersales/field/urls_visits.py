"""Pages of the visits part of field marketing."""

urlpatterns = []
