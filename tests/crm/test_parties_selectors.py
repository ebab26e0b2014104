"""The party list (scoped, Persian-proof search, filters), the suggested next step and the duplicates."""

import datetime

import pytest
from django.utils import timezone

from aftersales.crm.selectors import next_step_suggest, party_duplicates, party_list
from aftersales.crm.services import contact_record, lead_create

pytestmark = pytest.mark.django_db


def _code(next_step):
    return next_step.suggested.transition.code if next_step.suggested is not None else None


def test_search_finds_a_lead_typed_with_arabic_letters_and_persian_digits(lead, visitor_a):
    # The lead is «فروشگاه لوازم خانگی نور», mobile 09121234567.
    assert list(party_list(user=visitor_a, query="فروشگاه لوازم")) == [lead]
    assert list(party_list(user=visitor_a, query="لوازم خانگي")) == [lead]  # Arabic ي
    assert list(party_list(user=visitor_a, query="۰۹۱۲۱۲۳۴۵۶۷")) == [lead]
    assert list(party_list(user=visitor_a, query="چیز دیگر")) == []


def test_search_with_arabic_kaf(dealer_type, center_a, visitor_a):
    party = lead_create(acting_user=visitor_a, kind="person", first_name="کامران", last_name="کریمی",
                        party_type=dealer_type, center=center_a)
    assert list(party_list(user=visitor_a, query="كريمي")) == [party]


def test_a_visitor_of_another_center_does_not_see_the_lead(lead, visitor_b, marketing_manager):
    assert list(party_list(user=visitor_b)) == []
    assert list(party_list(user=marketing_manager)) == [lead]


def test_filters(lead, visitor_a, dealer_type, center_a):
    cold = lead_create(acting_user=visitor_a, kind="person", last_name="سرد", party_type=dealer_type,
                       center=center_a, rating="cold")
    assert list(party_list(user=visitor_a, rating="hot")) == [lead]
    assert set(party_list(user=visitor_a, kind="lead")) == {lead, cold}
    assert list(party_list(user=visitor_a, kind="customer")) == []
    assert list(party_list(user=visitor_a, marketer=visitor_a.pk)) == [lead]
    assert set(party_list(user=visitor_a, stale_days=3)) == {lead, cold}  # never contacted
    contact_record(customer=lead.customer, kind="call_out", notes="تماس", acting_user=visitor_a,
                   next_step="ارسال کاتالوگ", next_step_date=timezone.localdate())
    assert list(party_list(user=visitor_a, stale_days=3)) == [cold]
    assert list(party_list(user=visitor_a, due=True)) == [lead]


@pytest.mark.parametrize(("outcome", "expected"), [
    ("positive", "analyse"), ("neutral", "analyse"), ("", "analyse"), ("negative", "lose"), ("no_answer", None)])
def test_the_suggestion_follows_the_last_contacts_outcome(lead, visitor_a, outcome, expected):
    contact_record(customer=lead.customer, kind="call_out", notes="تماس", acting_user=visitor_a, outcome=outcome)
    suggestion = next_step_suggest(lead, visitor_a)
    assert _code(suggestion) == expected
    assert suggestion.reason
    assert {check.transition.code for check in suggestion.open_steps} == {"analyse", "lose"}


def test_without_a_contact_the_suggestion_is_the_way_forward(lead, visitor_a):
    suggestion = next_step_suggest(lead, visitor_a)
    assert _code(suggestion) == "analyse"
    assert suggestion.last_contact is None


def test_the_latest_contact_counts(lead, visitor_a):
    earlier = timezone.now() - datetime.timedelta(days=2)
    contact_record(customer=lead.customer, kind="call_out", notes="بد", acting_user=visitor_a, outcome="negative",
                   occurred_at=earlier)
    contact_record(customer=lead.customer, kind="visit", notes="خوب", acting_user=visitor_a, outcome="positive")
    assert _code(next_step_suggest(lead, visitor_a)) == "analyse"


def test_duplicates_by_mobile_and_national_code(lead, visitor_a, dealer_type, center_a):
    same_mobile = lead_create(acting_user=visitor_a, kind="person", last_name="تکراری", mobile="09121234567",
                              party_type=dealer_type, center=center_a)
    other = lead_create(acting_user=visitor_a, kind="person", last_name="دیگری", mobile="09350000000",
                        party_type=dealer_type, center=center_a)
    assert list(party_duplicates(lead)) == [same_mobile.customer]
    assert other.customer not in party_duplicates(lead)
