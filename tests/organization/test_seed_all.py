import pytest
from django.core.management import call_command

from aftersales.catalog.models import ProductUnit, UnitEvent
from aftersales.competitors.models import PriceObservation
from aftersales.customers.models import Customer
from aftersales.personnel.models import StaffProfile

pytestmark = pytest.mark.django_db


def test_small_demo_has_products_serials_customers_staff_and_prices_once(capsys):
    call_command("seed_demo", "--size", "small")
    # The CRM's leads are customer rows too (is_lead): the 300 are the customers who bought, and the sales
    # demo's dealers and agents (legal entities) buy from the manufacturer.
    counts = (ProductUnit.objects.count(), UnitEvent.objects.count(), Customer.objects.filter(is_lead=False).count(),
              StaffProfile.objects.count(), PriceObservation.objects.count())
    assert counts[0] == 2000 and counts[1] >= 2000 and counts[3] > 0 and counts[4] > 0
    assert 300 <= counts[2] <= 320, counts  # the 300, and a few dealers and agents
    # Sold units are "sold", but for the demo repair orders' units (in repair, or handed back).
    sold = ProductUnit.objects.filter(sale_date__isnull=False, repair_orders__isnull=True)
    assert not sold.exclude(status="sold").exists()
    assert ProductUnit.objects.filter(repair_orders__isnull=False, status="in_repair").exists()
    for customer in Customer.objects.all():
        customer.full_clean()
    call_command("seed_demo", "--size", "small")
    assert (ProductUnit.objects.count(), UnitEvent.objects.count(), Customer.objects.filter(is_lead=False).count(),
            StaffProfile.objects.count(), PriceObservation.objects.count()) == counts
