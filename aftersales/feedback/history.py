"""What feedback adds to a unit's or customer's service history: the survey answer of each order (F15, F27)."""

from django.utils.translation import gettext as _

from aftersales.core.persian import localize_digits


def order_survey_facts(request, orders) -> dict:
    """``{order_pk: [(label, text)]}``: the answered satisfaction survey sent after each order, in one query."""
    from .models import Survey

    refs = {f"repairs.repairorder:{order.pk}": order.pk for order in orders}
    facts: dict = {}
    for survey in Survey.objects.filter(ref__in=list(refs), answered_at__isnull=False).only(
            "ref", "score", "recommend", "comment"):
        parts = []
        if survey.score is not None:
            parts.append(_("satisfaction %(score)s of 5") % {"score": localize_digits(survey.score)})
        if survey.recommend is not None:
            parts.append(_("would recommend %(score)s of 10") % {"score": localize_digits(survey.recommend)})
        if survey.comment:
            parts.append(f"«{survey.comment}»")
        facts.setdefault(refs[survey.ref], []).append((_("survey answer"), " · ".join(parts) or "—"))
    return facts
