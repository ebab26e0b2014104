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

# Leads and customers in the CRM: the list, a new lead, the party's page, stage moves, merging, credit (F31, F43, F45).
from . import views_parties  # noqa: E402

urlpatterns += [
    path("parties/", views_parties.party_list_view, name="party-list"),
    path("leads/new/", views_parties.lead_create_view, name="lead-create"),
    path("customers/<int:customer_pk>/enter/", views_parties.party_enter, name="party-enter"),
    path("parties/<int:pk>/", views_parties.party_detail, name="party-detail"),
    path("parties/<int:pk>/edit/", views_parties.party_edit, name="party-edit"),
    path("parties/<int:pk>/move/", views_parties.party_move, name="party-move"),
    path("parties/<int:pk>/convert/", views_parties.party_convert, name="party-convert"),
    path("parties/<int:pk>/merge/", views_parties.party_merge, name="party-merge"),
    path("parties/<int:pk>/credit/", views_parties.credit_assess, name="credit-assess"),
]

# The contact-time panel, the caller lookup and the pop-up of a ringing call (F50).
from . import views_panel  # noqa: E402

urlpatterns += [
    path("panel/<int:customer_pk>/", views_panel.panel, name="panel"),
    path("caller/", views_panel.caller_search, name="caller-search"),
    path("caller/<str:phone>/", views_panel.caller, name="caller"),
    path("calls/poll/", views_panel.calls_poll, name="calls-poll"),
]

# Logging a visit or a call on the phone, with a script's questions answered; the Q&A scripts (F54, F56).
from . import views_contacts, views_scripts  # noqa: E402

urlpatterns += [
    path("log/", views_contacts.contact_log, name="contact-log"),
    path("log/parties/", views_contacts.contact_party_search, name="contact-party-search"),
    path("log/scripts/", views_contacts.contact_scripts, name="contact-scripts"),
    path("log/questions/", views_contacts.contact_questions, name="contact-questions"),
    path("log/adhoc/", views_contacts.contact_adhoc, name="contact-adhoc"),
    path("log/done/<int:pk>/", views_contacts.contact_done, name="contact-done"),
    path("scripts/", views_scripts.script_list, name="script-list"),
    path("scripts/new/", views_scripts.script_create, name="script-create"),
    path("scripts/<int:pk>/", views_scripts.script_edit, name="script-edit"),
    path("scripts/<int:pk>/active/", views_scripts.script_active, name="script-active"),
]
