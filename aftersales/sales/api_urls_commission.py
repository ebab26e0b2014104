from django.urls import path

from . import api_commission as api

# Agents, commission rules and statements (F42).
urlpatterns = [
    path("agents/", api.AgentListApi.as_view(), name="api-agents"),
    path("agents/<int:pk>/", api.AgentApi.as_view(), name="api-agent"),
    path("commission-rules/", api.RuleListApi.as_view(), name="api-commission-rules"),
    path("commission-statements/", api.StatementListApi.as_view(), name="api-commission-statements"),
    path("commission-statements/<int:pk>/", api.StatementApi.as_view(), name="api-commission-statement"),
    path("commission-statements/<int:pk>/approve/", api.StatementApproveApi.as_view(),
         name="api-commission-statement-approve"),
]
