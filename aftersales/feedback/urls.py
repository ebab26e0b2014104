from django.urls import path

from . import views

app_name = "feedback"

urlpatterns = [
    path("complaints/<int:pk>/answer/", views.complaint_answer, name="complaint-answer"),
    path("complaints/<int:pk>/assign/", views.complaint_assign, name="complaint-assign"),
    path("complaints/<int:pk>/repair-order/", views.complaint_link_order, name="complaint-link-order"),
    path("surveys/", views.results, name="results"),
]
