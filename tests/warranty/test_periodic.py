import datetime

import pytest
from django.core.exceptions import ValidationError

from aftersales.warranty.models import PeriodicService, PolicyVersion
from aftersales.warranty.selectors import periodic_services_due, unit_entitlements
from aftersales.warranty.services import periodic_service_record, warranty_card_activate, warranty_card_issue
from aftersales.warranty.status import unit_warranty_status
from tests.helpers import nothing_written

pytestmark = pytest.mark.django_db

BOUGHT = datetime.date(2026, 3, 30)  # 1405/01/10


@pytest.fixture
def scheduled_unit(unit, policy):
    PolicyVersion.objects.filter(policy=policy).update(free_periodic_services=3, periodic_interval_months=6)
    from aftersales.warranty.status import policy_cache_clear

    policy_cache_clear()
    card = warranty_card_issue(unit=unit)
    warranty_card_activate(number=card.number, purchase_date=BOUGHT, channel="staff")
    return unit


def test_activation_plans_the_free_visits_every_six_jalali_months(scheduled_unit):
    due = list(scheduled_unit.periodic_services.values_list("due_on", flat=True))
    assert due == [datetime.date(2026, 10, 2), datetime.date(2027, 3, 30), datetime.date(2027, 10, 2)]  # 1405/07/10, 1406/01/10, 1406/07/10


def test_visits_are_upcoming_due_done_or_missed(scheduled_unit, technician_a):
    first, second, _third = scheduled_unit.periodic_services.all()
    assert first.state_on(datetime.date(2026, 6, 1)) == PeriodicService.State.UPCOMING
    assert first.state_on(datetime.date(2026, 9, 15)) == PeriodicService.State.DUE
    periodic_service_record(unit=scheduled_unit, acting_user=technician_a, on=datetime.date(2026, 10, 5))
    first.refresh_from_db()
    assert first.state_on(datetime.date(2027, 1, 1)) == PeriodicService.State.DONE
    assert second.state_on(datetime.date(2027, 6, 1)) == PeriodicService.State.MISSED  # overdue, not done


def test_a_visit_is_not_given_twice_or_outside_its_window(scheduled_unit, technician_a):
    periodic_service_record(unit=scheduled_unit, acting_user=technician_a, on=datetime.date(2026, 10, 5))
    with nothing_written(), pytest.raises(ValidationError):
        periodic_service_record(unit=scheduled_unit, acting_user=technician_a, on=datetime.date(2026, 10, 6))
    with nothing_written(), pytest.raises(ValidationError):
        periodic_service_record(unit=scheduled_unit, acting_user=technician_a, on=datetime.date(2026, 12, 1))


def test_entitlements_count_used_and_missed_free_services(scheduled_unit, technician_a):
    periodic_service_record(unit=scheduled_unit, acting_user=technician_a, on=datetime.date(2026, 10, 2))
    status = unit_warranty_status(scheduled_unit, on=datetime.date(2027, 6, 1))
    rights = unit_entitlements(scheduled_unit, status)
    assert (rights.free_services_total, rights.free_services_used, rights.free_services_missed, rights.free_services_left) == (3, 1, 1, 1)
    assert rights.covers_parts and rights.covers_labour


def test_reminder_list_holds_visits_due_soon(scheduled_unit):
    soon = periodic_services_due(within_days=10, on=datetime.date(2026, 9, 25))
    assert [visit.sequence for visit in soon] == [1]
    assert not periodic_services_due(within_days=10, on=datetime.date(2026, 6, 1)).exists()


def test_unit_page_shows_the_schedule_and_what_is_left(client, technician_a, scheduled_unit):
    client.force_login(technician_a)
    page = client.get(f"/data/units/{scheduled_unit.pk}/").content.decode()
    assert 'data-testid="periodic-services"' in page and "۱۴۰۵/۰۷/۱۰" in page  # 2026-10-02


def test_unit_timeline_lists_movements_card_and_visits_newest_first(scheduled_unit, technician_a, client):
    from django.utils import timezone

    from aftersales.catalog.services import unit_event_record
    from aftersales.warranty.selectors import unit_timeline

    unit_event_record(unit=scheduled_unit, kind="sold", occurred_at=timezone.make_aware(datetime.datetime(2026, 3, 29, 10)))
    periodic_service_record(unit=scheduled_unit, acting_user=technician_a, on=datetime.date(2026, 10, 5))
    from django.utils import translation

    with translation.override("en"):
        titles = [entry.title for entry in unit_timeline(scheduled_unit)]
    # Activated today, serviced in Mehr 1405, sold in Farvardin 1405: newest first.
    assert titles.index("Warranty card activated") < titles.index("Periodic service 1 done") < titles.index("sold to customer")
    client.force_login(technician_a)
    assert 'data-testid="unit-timeline"' in client.get(f"/data/units/{scheduled_unit.pk}/").content.decode()


def test_paid_visits_follow_the_free_ones_at_the_versions_price(unit, policy):
    from aftersales.warranty.status import policy_cache_clear

    PolicyVersion.objects.filter(policy=policy).update(free_periodic_services=2, paid_periodic_services=2,
                                                       paid_periodic_price=4_500_000, periodic_interval_months=6)
    policy_cache_clear()
    card = warranty_card_issue(unit=unit)
    warranty_card_activate(number=card.number, purchase_date=BOUGHT, channel="staff")
    visits = list(unit.periodic_services.values_list("sequence", "is_free", "price"))
    assert visits == [(1, True, 0), (2, True, 0), (3, False, 4_500_000), (4, False, 4_500_000)]
    entitlements = unit_entitlements(unit, unit_warranty_status(unit, on=BOUGHT))
    assert (entitlements.free_services_left, entitlements.paid_services_total) == (2, 2)


def test_owners_are_reminded_once_a_week_before_a_visit_falls_due(scheduled_unit, sms_outbox,
                                                                   django_capture_on_commit_callbacks):
    from aftersales.customers.models import Customer
    from aftersales.warranty.services import periodic_reminders_send

    owner = Customer.objects.create(kind="person", first_name="سارا", last_name="احمدی", mobile="09121234567")
    type(scheduled_unit).objects.filter(pk=scheduled_unit.pk).update(owner=owner)
    week_before = datetime.date(2026, 10, 2) - datetime.timedelta(days=7)
    with django_capture_on_commit_callbacks(execute=True):
        assert periodic_reminders_send(days_ahead=7, on=week_before - datetime.timedelta(days=1)) == 0
        assert periodic_reminders_send(days_ahead=7, on=week_before) == 1
        assert periodic_reminders_send(days_ahead=7, on=week_before) == 0  # never twice for one visit
    [reminder] = sms_outbox
    assert reminder.to == "09121234567" and "۱۴۰۵/۰۷/۱۰" in reminder.body and "سارا احمدی" in reminder.body
