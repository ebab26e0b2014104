from django.urls import path

from . import views, views_parts, views_requests, views_schedule

app_name = "repairs"

urlpatterns = [
    path("reception/", views.reception, name="reception"),
    path("reception/warranty/", views.reception_warranty, name="reception-warranty"),
    path("reception/customer/", views.reception_customer, name="reception-customer"),
    path("cartable/", views.my_cartable, name="cartable"),
    path("performance/", views.performance, name="performance"),
    path("requests/<int:pk>/", views_requests.request_detail, name="request"),
    path("requests/<int:pk>/confirm/", views_requests.request_confirm, name="request-confirm"),
    path("requests/<int:pk>/decline/", views_requests.request_decline, name="request-decline"),
    path("requests/<int:pk>/photos/<int:photo_pk>/", views_requests.request_photo, name="request-photo"),
    path("schedule/", views_schedule.schedule, name="schedule"),
    path("schedule/today/", views_schedule.schedule_today, name="schedule-today"),
    path("orders/", views.order_list, name="order-list"),
    path("orders/export.xlsx", views.order_export, name="order-export"),
    path("orders/<int:pk>/", views.order_detail, name="order"),
    path("orders/<int:pk>/step/", views.order_step, name="order-step"),
    path("orders/<int:pk>/estimate/", views.order_estimate, name="order-estimate"),
    path("orders/<int:pk>/estimate/phone/", views.order_estimate_by_phone, name="order-estimate-phone"),
    path("orders/<int:pk>/estimate/seen/", views.order_estimate_seen, name="order-estimate-seen"),
    path("orders/<int:pk>/estimate/override/", views.order_estimate_override, name="order-estimate-override"),
    path("orders/<int:pk>/faults/", views.order_fault, name="order-fault"),
    path("orders/<int:pk>/operations/", views.order_operation, name="order-operation"),
    path("orders/<int:pk>/parts/", views.order_part, name="order-part"),
    path("parts/", views_parts.parts_queue, name="parts-queue"),
    path("orders/<int:pk>/issue-slip/", views_parts.issue_slip, name="order-issue-slip"),
    path("parts/<int:pk>/<slug:action>/", views_parts.part_action, name="part-action"),
    path("orders/<int:pk>/refer/", views.order_refer, name="order-refer"),
    path("orders/<int:pk>/take/", views.order_take, name="order-take"),
    path("orders/<int:pk>/photos/<int:photo_pk>/", views.order_photo, name="order-photo"),
    path("orders/<int:pk>/handback-receipt/", views.order_handback_receipt, name="order-handback-receipt"),
    path("orders/<int:pk>/receipt/", views.order_receipt, name="order-receipt"),
    path("orders/<int:pk>/receipt-<str:size>.pdf", views.order_receipt_pdf, name="order-receipt-pdf"),
]
