from aftersales.core.persian import digits_only
from aftersales.desk.registry import Resource, register

from .forms import CardIssueForm
from .models import PolicyVersion, WarrantyCard, WarrantyPolicy
from .services import warranty_card_issue

register(Resource(
    model=WarrantyPolicy, slug="warranty-policies", list_fields=["name", "code", "is_active"],
    form_fields=["code", "name", "is_active"], menu_group="warranty", menu_order=40,
    children=[("versions", ["effective_from", "duration_months", "start_event", "requires_activation",
                            "free_periodic_services"]), ("models", ["product_model"])],
))
register(Resource(
    model=PolicyVersion, slug="warranty-policy-versions",
    list_fields=["policy", "effective_from", "duration_months", "start_event", "requires_activation"],
    form_fields=["policy", "effective_from", "duration_months", "start_event", "grace_months", "requires_activation",
                 "covers_parts", "covers_labour", "covers_transport", "covers_home_service", "free_periodic_services",
                 "periodic_interval_months", "paid_periodic_services", "paid_periodic_price"],
    filter_fields=["policy"], select_related=["policy"], menu_group="warranty", menu_order=50,
    children=[("component_terms", ["component_type", "duration_months", "covers_labour"])],
))


def _card_issue(*, instance, acting_user):
    return warranty_card_issue(unit=instance.unit, acting_user=acting_user)


# A card is issued for a unit, its number drawn by the numbering service, and dated by its activation
# (which fixes the policy version by the purchase date): nothing else writes it, so no edit, no PUT.
register(Resource(
    model=WarrantyCard, slug="warranty-cards",
    list_fields=["number", "unit", "status", "purchase_date", "activated_at", "channel"],
    form_fields=["unit"],
    filter_fields=["status", "channel"], select_related=["unit"],
    search=lambda cards, query: cards.filter(number=digits_only(query)),
    create=_card_issue, editable=False, form_class=CardIssueForm, menu_group="warranty", menu_order=30,
))
