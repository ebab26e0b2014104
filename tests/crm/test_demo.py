"""The CRM's demo: what a newcomer logging in as the visitor or the marketing manager finds, written by the
services and dated back over two months; a visitor sees only their team's parties."""

import datetime
import random
from collections import Counter

import pytest
from django.utils import timezone

from aftersales.core import jalali
from aftersales.crm.models import (Answer, Appointment, AppointmentPlan, CreditAssessment, DailyReport, Party,
                                   PhoneExtension, Script, ScriptQuestion)
from aftersales.customers.models import Customer
from aftersales.marketing.models import Contact
from aftersales.organization.models import User
from aftersales.workflow.engine import subject_log

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The organization, the customers and the CRM of the small demo, seeded once for this module on a
    Saturday late morning (so the visitor's «yesterday» is a Friday), the clock running from there."""
    import time_machine
    from django.db import transaction

    from aftersales.core.jalali import parse_datetime
    from aftersales.crm.demo import seed_crm
    from aftersales.customers.demo import seed_customers
    from aftersales.organization.demo import seed_organization

    clock = time_machine.travel(parse_datetime("1405/09/14 11:00"), tick=True)
    clock.start()
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        seed_organization(size="small")
        seed_customers(size="small", rng=random.Random("customers-1405"))
        line = seed_crm(size="small", rng=random.Random("crm-1405"))
        yield line
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)
    clock.stop()


def _user(name):
    return User.objects.get(username=name)


def test_leads_and_customers_spread_over_types_and_every_stage_of_the_visitors_center(demo):
    visitor, marketing = _user("visitor"), _user("marketing")
    center = visitor.centers.get()
    ours = Party.objects.filter(center=center).select_related("customer", "state", "party_type")
    leads = [party for party in ours if party.customer.is_lead]
    assert len(leads) >= 40 and ours.filter(customer__is_lead=False).count() >= 20
    assert {party.customer.kind for party in leads} == {"person", "legal"}
    assert any(party.customer.national_code for party in leads)
    assert any(party.customer.legal_national_id for party in leads)
    for party in leads:
        party.customer.full_clean(validate_unique=False)  # mobiles, codes and IDs pass the product's checks
    assert {party.marketer_id for party in ours} == {visitor.pk, marketing.pk}
    assert set(ours.values_list("party_type__code", flat=True)) == {"dealer", "wholesaler", "project", "end_customer"}
    sales = set(ours.filter(state__workflow__code="sales-pipeline").values_list("state__code", flat=True))
    assert sales == {"first_contact", "needs_analysis", "proforma_sent", "negotiation", "won", "lost"}
    projects = set(ours.filter(state__workflow__code="project-pipeline").values_list("state__code", flat=True))
    assert {"first_contact", "site_survey", "tender", "contract", "won", "lost"} <= projects


def test_a_few_leads_share_a_mobile_with_another_party_to_be_merged(demo):
    shared = [mobile for mobile, count in Counter(
        Customer.objects.filter(party__isnull=False).values_list("mobile", flat=True)).items() if count > 1]
    assert len(shared) == 3


def test_history_is_dated_back_stage_moves_carry_comments_and_lost_ones_a_reason(demo):
    today = timezone.localdate()
    days = {timezone.localtime(at).date() for at in Contact.objects.filter(
        customer__party__isnull=False).values_list("occurred_at", flat=True)}
    assert min(days) <= today - datetime.timedelta(days=45) and max(days) >= today - datetime.timedelta(days=1)
    assert all(day <= today for day in days)
    lost = Party.objects.filter(state__code="lost")
    assert lost.exists()
    for party in Party.objects.select_related("state").exclude(state__is_initial=True):
        log = subject_log(party)
        moves = [entry for entry in log if entry.source_id != entry.target_id]
        assert [entry.at for entry in moves] == sorted(entry.at for entry in moves)
        assert moves[-1].at == party.state_entered_at  # in this stage since its last move, not since seeding
        assert all(entry.comment for entry in moves[1:]), party
        assert moves[-1].seconds_in_source == int((moves[-1].at - moves[-2].at).total_seconds())
        if party.state.code == "lost":
            assert moves[-1].by_id == party.marketer_id and len(moves[-1].comment) > 20
    assert Party.objects.filter(state_entered_at__lt=timezone.now() - datetime.timedelta(days=7)).exists()


def test_scripts_have_every_kind_of_question_and_an_answer_moved_the_stage(demo):
    assert Script.objects.count() == 3
    assert set(Script.objects.values_list("stage__code", flat=True)) == {"first_contact", "needs_analysis",
                                                                         "negotiation"}
    assert set(ScriptQuestion.objects.values_list("kind", flat=True)) == set(ScriptQuestion.Kind.values)
    assert Script.objects.filter(search_text__contains="پیش").exists()  # found by its questions' words
    mover = ScriptQuestion.objects.get(moves={"بله": "send_proforma"})
    moved = Answer.objects.filter(question=mover, answer="بله").select_related("contact").first()
    party = Party.objects.get(pk=moved.contact.customer_id)
    step = next(entry for entry in subject_log(party) if entry.data.get("contact") == moved.contact_id)
    assert step.target.code == "proforma_sent"


def test_next_steps_fall_due_today_and_the_visitors_cartable_reminds_of_them(demo, client):
    today = timezone.localdate()
    visitor = _user("visitor")
    due = Party.objects.filter(marketer=visitor, next_step_date=today).exclude(next_step="").select_related("customer")
    assert due.exists() and Party.objects.filter(next_step_date__gt=today).exists()
    assert Contact.objects.exclude(outcome="").values("outcome").distinct().count() >= 3
    client.force_login(visitor)
    body = client.get("/").content.decode()
    assert any(party.customer.display_name in body for party in due)


def test_key_dealers_have_plans_and_visits_booked_this_week_and_next_and_one_done(demo, client):
    today = timezone.localdate()
    plans = AppointmentPlan.objects.select_related("party__party_type")
    assert plans.count() >= 3 and {plan.party.party_type.code for plan in plans} <= {"dealer", "wholesaler"}
    booked = Appointment.objects.filter(status="booked")
    days = {(timezone.localtime(at).date() - today).days for at in booked.values_list("at", flat=True)}
    assert any(1 <= day <= 6 for day in days) and any(7 <= day <= 14 for day in days)
    done = Appointment.objects.get(status="done")
    assert done.contact is not None and done.at == done.contact.occurred_at < timezone.now()
    for plan in plans:
        assert all(plan.start_date <= timezone.localtime(a.at).date() <= plan.end_date
                   for a in plan.appointments.all())
    client.force_login(_user("visitor"))  # the Jalali calendar's week holds the visitor's next visit
    visit = booked.filter(marketer__username="visitor").select_related("party__customer").order_by("at").first()
    week = jalali.format_date(timezone.localtime(visit.at).date(), latin_digits=True)
    body = client.get("/crm/appointments/", {"view": "week", "day": week}).content.decode()
    assert visit.party.customer.display_name in body


def test_credit_assessments_set_the_customers_credit_one_after_a_returned_cheque(demo):
    assert CreditAssessment.objects.count() >= 3
    cash_only = CreditAssessment.objects.get(returned_cheques__isnull=False)
    assert cash_only.status == "cash_only"
    assert len(cash_only.returned_cheques.get().sayad_number) == 16
    assert cash_only.party.customer.credit_status == "cash_only"
    limited = CreditAssessment.objects.filter(status="limited").select_related("party__customer").first()
    assert limited.party.customer.credit_limit == limited.limit


def test_the_visitor_filed_yesterdays_report_with_visits_and_the_marketing_manager_commented(demo):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    visitor = _user("visitor")
    report = DailyReport.objects.get(user=visitor)
    assert report.day == yesterday and report.note
    assert report.commented_by == _user("marketing") and report.manager_comment
    assert timezone.localtime(report.filed_at).date() == yesterday
    day = Contact.objects.filter(logged_by=visitor, occurred_at__date__gte=yesterday - datetime.timedelta(days=1))
    day = [c for c in day if timezone.localtime(c.occurred_at).date() == yesterday]
    assert any(c.kind == "visit" for c in day) and Answer.objects.filter(contact__in=day).exists()


def test_the_call_center_answers_extension_201(demo):
    assert PhoneExtension.objects.get(extension="201").user == _user("callcenter")


def test_the_visitor_sees_only_their_teams_parties(demo, client):
    visitor = _user("visitor")
    center = visitor.centers.get()
    others = Party.objects.exclude(center=center).select_related("customer", "marketer")
    assert others.count() == 4 and others.first().marketer.centers.get() != center
    client.force_login(visitor)
    body = client.get("/crm/parties/?q=" + "فروشگاه").content.decode()
    assert "فروشگاه لوازم خانگی نیک‌پارس" in body
    for party in others:
        assert party.customer.display_name not in body
    client.force_login(_user("marketing"))  # the marketing manager spans every center
    body = client.get("/crm/parties/?q=" + "زاینده").content.decode()
    assert "فروشگاه لوازم خانگی زاینده‌رود" in body


def test_seeding_again_changes_nothing(demo):
    from aftersales.crm.demo import seed_crm

    counts = (Party.objects.count(), Contact.objects.count(), Appointment.objects.count(), Script.objects.count())
    assert seed_crm(size="small", rng=random.Random("crm-1405")) == "already present"
    assert (Party.objects.count(), Contact.objects.count(), Appointment.objects.count(),
            Script.objects.count()) == counts


def test_seed_demo_runs_the_crm_seeder():
    from aftersales.core.demo import seeders

    names = [name for name, _seeder in seeders()]
    assert names.index("marketing") < names.index("crm") < names.index("reports-history")
