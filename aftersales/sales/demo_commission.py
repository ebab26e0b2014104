"""Demo data of the commission part of sales, written through its services: a small agents' tree (a
provincial agent, two city agents, a sub-agent) on demo companies, commission rules with an override,
a few invoices of the agents' parties this month, and this and last month's statements calculated
(last month's approved)."""

import datetime
from decimal import Decimal


def seed(*, size: str, rng) -> list[str]:
    """Write this part's demo records; return short phrases of what was written."""
    from django.contrib.auth import get_user_model
    from django.core.exceptions import ValidationError
    from django.utils import timezone

    from aftersales.catalog.models import ProductGroup, ProductModel
    from aftersales.customers.models import Customer

    from . import services_commission as services
    from .models import Agent
    from .selectors_commission import current_period, previous_period

    if Agent.objects.exists():
        return []
    users = get_user_model().objects
    manager = users.filter(username="marketing").first() or users.filter(is_superuser=True).order_by("pk").first()
    center_user = users.filter(username="center").first() or manager
    if manager is None:
        return ["agents: no demo logins, skipped"]
    center = center_user.centers.order_by("code").first() if center_user.centers.exists() else None
    if center is None:
        from aftersales.organization.models import ServiceCenter

        center = ServiceCenter.objects.order_by("code").first()
    if center is None:
        return ["agents: no center, skipped"]

    mobiles = iter(("09121470001", "09121470002", "09121470003", "09121470004", "09121470005", "09121470006"))

    def party(name: str):
        customer = Customer.objects.filter(company_name=name, merged_into__isnull=True).first()
        return customer or Customer.objects.create(kind="legal", company_name=name, mobile=next(mobiles))

    provincial = services.agent_create(customer=party("بازرگانی پارس‌تهران"), center=center,
                                       code="AG-THR", acting_user=manager)
    karaj = services.agent_create(customer=party("نمایندگی البرز کالا"), center=center,
                                  parent=provincial, code="AG-KRJ", acting_user=manager)
    rey = services.agent_create(customer=party("فروشگاه لوازم خانگی ری"), center=center,
                                parent=provincial, code="AG-REY", acting_user=manager)
    sub = services.agent_create(customer=party("فروشگاه نور شهریار"), center=center, parent=karaj,
                                code="AG-SHR", acting_user=manager)
    year_start = datetime.date(timezone.localdate().year - 1, 1, 1)
    group = ProductGroup.objects.filter(models__isnull=False).order_by("pk").first()
    rules = [("own", 1, None, 0, "2"), ("own", 2, None, 0, "3"), ("own", 2, None, 500_000_000, "4"),
             ("own", 3, None, 0, "5"), ("override", 1, None, 0, "1"), ("override", 2, None, 0, "0.5")]
    if group is not None:
        rules.append(("own", 2, group, 0, "3.5"))
    for kind, level, rule_group, tier, rate in rules:
        services.commission_rule_save(kind=kind, level=level, product_group=rule_group, tier_from=tier,
                                      rate=Decimal(rate), valid_from=year_start, valid_to=None, acting_user=manager)
    invoices = 0
    try:
        from .services_documents import invoice_issue
    except ImportError:  # the documents' part is not there: agents and rules only
        invoice_issue = None
    models = list(ProductModel.objects.order_by("pk")[:4])
    if invoice_issue is not None and models:
        for agent in (provincial, karaj, rey, sub, sub):
            lines = [{"product_model": rng.choice(models), "quantity": rng.randint(1, 5)} for _ in range(2)]
            try:
                invoice_issue(center=center, customer=agent.customer, lines=lines, acting_user=manager)
                invoices += 1
            except ValidationError:  # a model without a price in the demo's price list
                continue
    year, month = current_period()
    services.commission_calculate(year=year, month=month, acting_user=manager)
    last_year, last_month = previous_period(year, month)
    for statement in services.commission_calculate(year=last_year, month=last_month, acting_user=manager):
        services.commission_approve(statement=statement, acting_user=manager)
    return [f"4 agents in a 3-level tree, {len(rules)} commission rules, {invoices} agents' invoices, "
            f"this and last month's commission (last month approved)"]
