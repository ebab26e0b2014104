from django.urls import path

from . import views_commission as views

# Agents in a tree and their commission (F42).
urlpatterns = [
    path("agents/", views.agent_tree, name="agent-tree"),
    path("agents/new/", views.agent_create, name="agent-create"),
    path("agents/<int:pk>/", views.agent_detail, name="agent-detail"),
    path("agents/<int:pk>/move/", views.agent_move, name="agent-move"),
    path("agents/<int:pk>/active/", views.agent_active, name="agent-active"),
    path("commission/rules/", views.rule_list, name="commission-rules"),
    path("commission/rules/<int:pk>/", views.rule_edit, name="commission-rule-edit"),
    path("commission/", views.commission_period, name="commission-period"),
    path("commission/calculate/", views.commission_calculate, name="commission-calculate"),
    path("commission/approve/", views.commission_approve, name="commission-approve-all"),
    path("commission/statements/<int:pk>/", views.statement_detail, name="commission-statement"),
    path("commission/statements/<int:pk>/approve/", views.commission_approve, name="commission-approve"),
    path("commission/statements/<int:pk>/pdf/", views.statement_pdf, name="commission-statement-pdf"),
]
