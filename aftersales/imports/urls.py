from django.urls import path

from . import views

app_name = "imports"

urlpatterns = [
    path("", views.import_home, name="home"),
    path("<slug:kind>/upload/", views.import_upload, name="upload"),
    path("<slug:kind>/template.xlsx", views.import_template, name="template"),
    path("jobs/<int:pk>/", views.import_job, name="job"),
    path("jobs/<int:pk>/commit/", views.import_commit, name="commit"),
]
