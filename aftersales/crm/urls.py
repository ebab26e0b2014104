from django.urls import path  # noqa: F401 (each part of the CRM appends its pages below)

app_name = "crm"

urlpatterns = [
]

# Appointments, plans, the marketer's day and the daily reports (F49, F56).
from . import views_day  # noqa: E402

urlpatterns += [
    path("parties/<int:pk>/plans/new/", views_day.plan_create, name="plan-create"),
    path("parties/<int:pk>/appointments/new/", views_day.appointment_book, name="appointment-book"),
    path("appointments/", views_day.appointment_calendar, name="appointment-calendar"),
    path("appointments/<int:pk>/cancel/", views_day.appointment_cancel, name="appointment-cancel"),
    path("plans/", views_day.plan_progress, name="plan-progress"),
    path("day/", views_day.day, name="day"),
    path("day/report/", views_day.daily_report_file, name="day-file"),
    path("reports/", views_day.report_list, name="report-list"),
    path("reports/<int:pk>/", views_day.report_detail, name="report-detail"),
    path("reports/<int:pk>/comment/", views_day.daily_report_comment, name="report-comment"),
]

# The kanban board of each marketing workflow (F44).
from . import views_board  # noqa: E402

urlpatterns += [
    path("board/", views_board.board, name="board"),
    path("board/<slug:code>/", views_board.board_workflow, name="board-workflow"),
    path("board/<slug:code>/move/", views_board.board_move, name="board-move"),
    path("board/<slug:code>/<int:state_pk>/", views_board.board_column, name="board-column"),
]
