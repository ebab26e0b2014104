from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.report_list, name="list"),
    path("<slug:slug>/", views.report_detail, name="detail"),
    path("<slug:slug>/orders/", views.report_drill, name="drill"),
    path("<slug:slug>/export.<str:fmt>", views.report_export, name="export"),
    path("<slug:slug>/filters/", views.filter_save, name="filter-save"),
    path("<slug:slug>/filters/<int:pk>/delete/", views.filter_delete, name="filter-delete"),
    path("<slug:slug>/email/", views.report_email, name="email"),
    path("<slug:slug>/subscriptions/", views.subscribe, name="subscribe"),
    path("<slug:slug>/subscriptions/<int:pk>/cancel/", views.unsubscribe, name="unsubscribe"),
]
