from . import urls_expenses, urls_targets, urls_tours, urls_visits

app_name = "field"

# Targets; places, routes and tours; the marketer's day and check-ins; visit expenses.
urlpatterns = [*urls_targets.urlpatterns, *urls_tours.urlpatterns, *urls_visits.urlpatterns,
               *urls_expenses.urlpatterns]
