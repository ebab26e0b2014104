from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from aftersales.core.views import healthz
from aftersales.catalog.api import UnitLookupApi, UnitPushApi
from aftersales.desk.api import router as desk_router
from aftersales.organization.api import CenterViewSet, ProfileApi
from aftersales.organization.api_auth import TokenObtainApi, TokenRevokeApi
from aftersales.repairs.api import OrderApi, OrderEstimateApi, OrderEstimateOverrideApi, OrderStepApi, ReceptionApi
from aftersales.warranty.api import CardActivationApi, WarrantyStatusApi
from aftersales.marketing.api import CampaignApi, CampaignListApi
from aftersales.feedback import views as feedback_views
from aftersales.repairs import views as repairs_views
from aftersales.repairs.api_requests import ServiceRequestConfirmApi, ServiceRequestDeclineApi, ServiceRequestListApi
from aftersales.repairs.api_schedule import ScheduleApi
from aftersales.warranty.views import public_check, self_activate, self_activate_confirm
from aftersales.billing.api import InvoiceIssueApi
from aftersales.billing.api_deliveries import DeliveryApi, DeliveryInvoiceApi
from aftersales.reports.api import ReportApi, ReportListApi
from aftersales.crm.api_board import StageListApi, StagePartiesApi
from aftersales.crm.api_parties import (CreditAssessmentListApi, LeadApi, LeadListApi, PartyConvertApi, PartyMergeApi,
                                        PartyMoveApi)
from aftersales.crm.api_panel import CallerLookupApi, PartyPanelApi
from aftersales.crm.api_contacts import ContactListApi, ScriptApi, ScriptListApi
from aftersales.crm.api_day import (AppointmentCancelApi, AppointmentListApi, DailyReportCommentApi, DailyReportListApi,
                                     PlanListApi)
from aftersales.workflow.api import WorkflowExportApi, WorkflowImportApi, WorkflowListApi, WorkflowPublishApi

router = DefaultRouter()
router.register("centers", CenterViewSet, basename="center")
router.registry.extend(desk_router().registry)

api_urlpatterns = [
    path("auth/token/", TokenObtainApi.as_view(), name="api-token"),
    path("auth/token/revoke/", TokenRevokeApi.as_view(), name="api-token-revoke"),
    path("me/", ProfileApi.as_view(), name="api-me"),
    path("serial-registry/push/", UnitPushApi.as_view(), name="api-units-push"),
    path("units/lookup/", UnitLookupApi.as_view(), name="api-units-lookup"),  # before the desk's units/<pk>/
    path("warranty/status/", WarrantyStatusApi.as_view(), name="api-warranty-status"),
    path("warranty/cards/activate/", CardActivationApi.as_view(), name="api-warranty-activate"),
    path("repairs/orders/", ReceptionApi.as_view(), name="api-repairs-reception"),
    path("repairs/schedule/", ScheduleApi.as_view(), name="api-repairs-schedule"),
    path("billing/deliveries/", DeliveryApi.as_view(), name="api-billing-deliveries"),
    path("billing/deliveries/<int:pk>/invoice/", DeliveryInvoiceApi.as_view(), name="api-billing-delivery-invoice"),
    path("repairs/orders/<int:pk>/", OrderApi.as_view(), name="api-repairs-order"),
    path("repairs/orders/<int:pk>/step/", OrderStepApi.as_view(), name="api-repairs-step"),
    path("repairs/orders/<int:pk>/estimate/", OrderEstimateApi.as_view(), name="api-repairs-estimate"),
    path("repairs/orders/<int:pk>/estimate/override/", OrderEstimateOverrideApi.as_view(),
         name="api-repairs-estimate-override"),
    path("repairs/requests/", ServiceRequestListApi.as_view(), name="api-repairs-requests"),
    path("repairs/requests/<int:pk>/confirm/", ServiceRequestConfirmApi.as_view(), name="api-repairs-request-confirm"),
    path("repairs/requests/<int:pk>/decline/", ServiceRequestDeclineApi.as_view(), name="api-repairs-request-decline"),
    path("billing/invoices/", InvoiceIssueApi.as_view(), name="api-billing-invoices"),
    path("marketing/campaigns/", CampaignListApi.as_view(), name="api-marketing-campaigns"),
    path("marketing/campaigns/<int:pk>/", CampaignApi.as_view(), name="api-marketing-campaign"),
    path("workflows/", WorkflowListApi.as_view(), name="api-workflows"),
    path("workflows/import/", WorkflowImportApi.as_view(), name="api-workflows-import"),
    path("workflows/<slug:code>/export/", WorkflowExportApi.as_view(), name="api-workflows-export"),
    path("workflows/<slug:code>/publish/", WorkflowPublishApi.as_view(), name="api-workflows-publish"),
    path("reports/", ReportListApi.as_view(), name="api-reports"),
    path("reports/<slug:slug>/", ReportApi.as_view(), name="api-report"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up script as a file: the CSP allows no inline script.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("crm/stages/", StageListApi.as_view(), name="api-crm-stages"),
    path("crm/stages/<int:state_pk>/parties/", StagePartiesApi.as_view(), name="api-crm-stage-parties"),
    path("crm/lookup/", CallerLookupApi.as_view(), name="api-crm-lookup"),
    path("crm/panel/<int:customer_pk>/", PartyPanelApi.as_view(), name="api-crm-panel"),
    path("contacts/", ContactListApi.as_view(), name="api-contacts"),
    path("scripts/", ScriptListApi.as_view(), name="api-scripts"),
    path("scripts/<int:pk>/", ScriptApi.as_view(), name="api-script"),
    path("leads/", LeadListApi.as_view(), name="api-leads"),
    path("leads/<int:pk>/", LeadApi.as_view(), name="api-lead"),
    path("parties/<int:pk>/move/", PartyMoveApi.as_view(), name="api-party-move"),
    path("parties/<int:pk>/convert/", PartyConvertApi.as_view(), name="api-party-convert"),
    path("parties/<int:pk>/merge/", PartyMergeApi.as_view(), name="api-party-merge"),
    path("credit-assessments/", CreditAssessmentListApi.as_view(), name="api-credit-assessments"),
    path("appointments/", AppointmentListApi.as_view(), name="api-appointments"),
    path("appointments/<int:pk>/cancel/", AppointmentCancelApi.as_view(), name="api-appointment-cancel"),
    path("appointment-plans/", PlanListApi.as_view(), name="api-appointment-plans"),
    path("daily-reports/", DailyReportListApi.as_view(), name="api-daily-reports"),
    path("daily-reports/<int:pk>/comment/", DailyReportCommentApi.as_view(), name="api-daily-report-comment"),
    path("portal/", include("aftersales.portal.api_urls")),  # the customers' own API: a portal key, no staff login
    path("", include("aftersales.sales.api_urls")),
    path("", include("aftersales.field.api_urls")),  # /api/targets/, /api/tours/, /api/visit-expenses/ …  # /api/sales/…, /api/contracts/, /api/cheques/, /api/commission-…
    *router.urls,
]

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("warranty/check", public_check, name="warranty-check"),
    path("warranty/activate", self_activate, name="warranty-activate"),
    path("feedback/", feedback_views.complaint_form, name="feedback-form"),
    path("feedback/thanks/", feedback_views.complaint_thanks, name="feedback-thanks"),
    path("s/<str:token>", feedback_views.survey, name="survey"),
    path("track/<str:code>", repairs_views.track, name="track"),
    path("warranty/activate/<str:token>", self_activate_confirm, name="warranty-activate-confirm"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("aftersales.organization.account_urls")),
    path("admin/", admin.site.urls),
    path("api/", include(api_urlpatterns)),
    path("data/", include("aftersales.desk.urls")),
    path("imports/", include("aftersales.imports.urls")),
    path("customers/", include("aftersales.customers.urls")),
    path("competitors/", include("aftersales.competitors.urls")),
    path("warranty/", include("aftersales.warranty.urls")),
    path("feedback/", include("aftersales.feedback.urls")),
    path("marketing/", include("aftersales.marketing.urls")),
    path("crm/", include("aftersales.crm.urls")),
    path("sales/", include("aftersales.sales.urls")),
    path("field/", include("aftersales.field.urls")),
    path("reports/", include("aftersales.reports.urls")),
    path("portal/", include("aftersales.portal.urls")),
    path("messaging/", include("aftersales.messaging.urls")),
    path("repairs/", include("aftersales.repairs.urls")),
    path("stock/", include("aftersales.stock.urls")),
    path("personnel/", include("aftersales.personnel.urls")),
    path("billing/", include("aftersales.billing.urls")),
    path("workflows/", include("aftersales.workflow.urls")),
    path("", include("aftersales.organization.urls")),
]

handler400 = "aftersales.core.views.bad_request"
handler403 = "aftersales.core.views.permission_denied"
handler404 = "aftersales.core.views.page_not_found"
handler500 = "aftersales.core.views.server_error"

admin.site.site_header = settings.ADMIN_SITE_HEADER
admin.site.site_title = settings.ADMIN_SITE_HEADER
admin.site.index_title = settings.ADMIN_INDEX_TITLE
