"""Pages of delivery documents (F30) and technician statements (F24)."""

urlpatterns = []
