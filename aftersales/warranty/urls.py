from django.urls import path

from . import views

app_name = "warranty"

urlpatterns = [
    path("cards/batch/", views.batch_cards, name="batch"),
    path("cards/batch/<str:batch>/<int:page>.pdf", views.batch_pdf, name="batch-pdf"),
    path("cards/<str:number>/", views.card_view, name="card"),
    path("cards/<str:number>.pdf", views.card_pdf, name="card-pdf"),
    path("cards/<str:number>/activate/", views.card_activate, name="card-activate"),
    path("units/<int:unit_pk>/card/", views.card_issue, name="card-issue"),
    path("units/<int:unit_pk>/periodic/", views.periodic_record, name="periodic-record"),
    path("units/<int:unit_pk>/owner/", views.owner_transfer, name="owner-transfer"),
    path("proofs/<int:pk>/", views.proof_photo, name="proof-photo"),
]
