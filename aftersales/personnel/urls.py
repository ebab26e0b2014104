from django.urls import path

from . import views

app_name = "personnel"
urlpatterns = [
    path("staff/<int:pk>/skills/", views.skill_set, name="skill-set"),
    path("staff/<int:pk>/skills/<int:skill_pk>/remove/", views.skill_remove, name="skill-remove"),
]
