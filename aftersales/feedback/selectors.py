"""Reads on the customer's voice: survey results by center, technician and product."""

import datetime

from django.db.models import Avg, Count, F, Q

from aftersales.organization.scoping import scope_queryset

from .models import Survey

GROUPS = {
    "center": ("center", ["center__name"]),
    "technician": ("technician", ["technician__first_name", "technician__last_name", "technician__username"]),
    "product": ("product_model", ["product_model__name"]),
}


def survey_results(*, user, by: str = "center", start: datetime.date | None = None, end: datetime.date | None = None):
    """Per center, technician or product model: surveys sent, answered, average score and NPS.

    NPS = % promoters (9–10) − % detractors (0–6) among answers with a recommend score.
    """
    key, labels = GROUPS[by]
    surveys = scope_queryset(Survey.objects.all(), user)
    if start:
        surveys = surveys.filter(created_at__date__gte=start)
    if end:
        surveys = surveys.filter(created_at__date__lte=end)
    rows = (
        surveys.filter(**{f"{key}__isnull": False})
        .values(key, *labels)
        .annotate(
            sent=Count("pk"), answered=Count("pk", filter=Q(answered_at__isnull=False)), average=Avg("score"),
            rated=Count("pk", filter=Q(recommend__isnull=False)),
            promoters=Count("pk", filter=Q(recommend__gte=9)), detractors=Count("pk", filter=Q(recommend__lte=6)),
        )
        .order_by(F("average").desc(nulls_last=True), *labels)
    )
    results = []
    for row in rows:
        name = " ".join(row[label] for label in labels[:2] if row[label]) or row[labels[-1]]
        nps = round(100 * (row["promoters"] - row["detractors"]) / row["rated"]) if row["rated"] else None
        results.append({"id": row[key], "name": name, "sent": row["sent"], "answered": row["answered"],
                        "average": round(row["average"], 2) if row["average"] is not None else None, "nps": nps})
    return results
