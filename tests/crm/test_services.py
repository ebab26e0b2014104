import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from aftersales.crm import services
from aftersales.crm.models import Answer, Appointment, Party, Script, ScriptQuestion
from aftersales.customers.models import Customer
from aftersales.marketing.models import Contact
from aftersales.workflow.engine import subject_log

pytestmark = pytest.mark.django_db


def test_a_lead_starts_at_its_types_first_stage(lead):
    assert lead.customer.is_lead
    assert lead.state.code == "first_contact"
    assert lead.state.workflow.code == "sales-pipeline"
    assert [row.target.code for row in subject_log(lead)] == ["first_contact"]
    assert lead.customer.phones.get().number == "09121234567"


def test_a_lead_with_a_customers_national_code_is_refused_naming_the_customer(dealer_type, center_a, visitor_a):
    Customer.objects.create(first_name="علی", last_name="رضایی", national_code="0013542419")
    with pytest.raises(ValidationError) as error:
        services.lead_create(acting_user=visitor_a, first_name="علی", last_name="رضایی", national_code="۰۰۱۳۵۴۲۴۱۹",
                             party_type=dealer_type, center=center_a)
    assert "رضایی" in str(error.value.message_dict["national_code"])
    assert Customer.objects.filter(is_lead=True).count() == 0


def test_a_lead_with_a_bad_mobile_is_refused_and_nothing_is_written(dealer_type, center_a, visitor_a):
    with pytest.raises(ValidationError) as error:
        services.lead_create(acting_user=visitor_a, last_name="رضایی", mobile="0912", party_type=dealer_type,
                             center=center_a)
    assert "mobile" in error.value.message_dict
    assert not Party.objects.exists()


def test_stage_moves_follow_the_workflow_and_are_logged_with_who_and_why(lead, visitor_a):
    with pytest.raises(ValidationError):
        services.party_move(party=lead, code="win", acting_user=visitor_a)
    moved = services.party_move(party=lead, code="analyse", acting_user=visitor_a, comment="نیاز به ۲۰ یخچال")
    assert moved.state.code == "needs_analysis"
    step = subject_log(moved)[-1]
    assert (step.by, step.comment) == (visitor_a, "نیاز به ۲۰ یخچال")
    with pytest.raises(ValidationError, match="comment|توضیح"):
        services.party_move(party=moved, code="lose", acting_user=visitor_a)


def test_another_teams_visitor_cannot_move_or_log_on_the_party(lead, visitor_b):
    with pytest.raises(PermissionDenied):
        services.party_move(party=lead, code="analyse", acting_user=visitor_b)
    with pytest.raises(PermissionDenied):
        services.contact_record(customer=lead.customer, kind="call_out", notes="x", acting_user=visitor_b)
    assert not Contact.objects.exists()


def test_a_contact_with_answers_logs_them_sets_the_next_step_and_may_move_the_stage(lead, visitor_a):
    script = Script.objects.create(title="نیازسنجی نماینده", topic="اولین تماس")
    asked = ScriptQuestion.objects.create(script=script, text="به پیش‌فاکتور نیاز دارید؟", kind="yes_no",
                                          moves={"بله": "analyse"})
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    contact = services.contact_record(customer=lead.customer, kind="visit", notes="بازدید از فروشگاه",
                                      outcome="positive", answers=[(asked, "بله"), ("تعداد شعب؟", "۳")],
                                      next_step="ارسال کاتالوگ", next_step_date=tomorrow, acting_user=visitor_a)
    assert [(a.question_text, a.answer) for a in Answer.objects.filter(contact=contact)] == [
        ("به پیش‌فاکتور نیاز دارید؟", "بله"), ("تعداد شعب؟", "۳")]
    party = Party.objects.get(pk=lead.pk)
    assert party.state.code == "needs_analysis"
    assert (party.next_step, party.next_step_date) == ("ارسال کاتالوگ", tomorrow)
    assert party.last_contact_at == contact.occurred_at
    assert subject_log(party)[-1].data == {"contact": contact.pk}


def test_a_contact_whose_move_is_refused_writes_nothing(lead, visitor_a):
    with pytest.raises(ValidationError) as error:
        services.contact_record(customer=lead.customer, kind="call_out", notes="تماس", move="win",
                                acting_user=visitor_a)
    assert "move" in error.value.message_dict
    assert not Contact.objects.exists()


def test_conversion_keeps_the_contacts_and_the_stage(lead, visitor_a):
    services.contact_record(customer=lead.customer, kind="call_out", notes="تماس اول", acting_user=visitor_a,
                            move="analyse")
    converted = services.lead_convert(party=lead, acting_user=visitor_a)
    assert not converted.customer.is_lead
    assert converted.state.code == "needs_analysis"
    assert converted.customer.contacts_logged.count() == 1
    with pytest.raises(ValidationError):
        services.lead_convert(party=converted, acting_user=visitor_a)


def test_merging_a_duplicate_lead_moves_its_log_and_appointments(lead, dealer_type, center_a, visitor_a,
                                                                 marketing_manager):
    twin = services.lead_create(acting_user=visitor_a, kind="legal", company_name="نور", mobile="09121234567",
                                party_type=dealer_type, center=center_a)
    services.contact_record(customer=twin.customer, kind="call_in", notes="تماس از طرف نور", acting_user=visitor_a)
    services.appointment_book(party=twin, at=timezone.now() + datetime.timedelta(days=2), acting_user=visitor_a)
    with pytest.raises(ValidationError):
        services.party_merge(keep=lead.customer, duplicate=lead.customer, acting_user=marketing_manager)
    services.party_merge(keep=lead.customer, duplicate=twin.customer, acting_user=marketing_manager)
    assert not Party.objects.filter(pk=twin.pk).exists()
    assert lead.customer.contacts_logged.count() == 1
    assert Appointment.objects.get().party_id == lead.pk
    assert Customer.objects.get(pk=twin.pk).merged_into_id == lead.pk


def test_credit_refuses_a_sayad_number_that_is_not_16_digits(lead, marketing_manager):
    with pytest.raises(ValidationError) as error:
        services.credit_assess(party=lead, status="cash_only", verdict="دو چک برگشتی", acting_user=marketing_manager,
                               returned_cheques=[{"sayad_number": "۱۲۳۴"}])
    assert "returned_cheques[0].sayad_number" in error.value.message_dict
    assert Customer.objects.get(pk=lead.pk).credit_status == ""


def test_credit_sets_the_customers_status_and_keeps_history(lead, marketing_manager):
    services.credit_assess(party=lead, status="open", verdict="خوش‌حساب", acting_user=marketing_manager,
                           assessed_on=timezone.localdate() - datetime.timedelta(days=40))
    services.credit_assess(party=lead, status="limited", limit=500_000_000, verdict="یک چک برگشتی",
                           acting_user=marketing_manager,
                           returned_cheques=[{"sayad_number": "۱۲۳۴۵۶۷۸۹۰۱۲۳۴۵۶", "bank": "ملت"}])
    customer = Customer.objects.get(pk=lead.pk)
    assert (customer.credit_status, customer.credit_limit) == ("limited", 500_000_000)
    assert lead.assessments.count() == 2
    assert lead.assessments.first().returned_cheques.get().sayad_number == "1234567890123456"


def test_an_appointment_outside_the_plans_period_is_refused(lead, marketing_manager, visitor_a):
    today = timezone.localdate()
    plan = services.plan_create(party=lead, kind="visit", count=2, start_date=today,
                                end_date=today + datetime.timedelta(days=10), acting_user=marketing_manager)
    later = timezone.now() + datetime.timedelta(days=20)
    with pytest.raises(ValidationError) as error:
        services.appointment_book(party=lead, at=later, plan=plan, acting_user=visitor_a)
    assert "at" in error.value.message_dict
    soon = timezone.now() + datetime.timedelta(days=2)
    services.appointment_book(party=lead, at=soon, plan=plan, acting_user=visitor_a)
    services.appointment_book(party=lead, at=soon, plan=plan, acting_user=visitor_a)
    with pytest.raises(ValidationError):
        services.appointment_book(party=lead, at=soon, plan=plan, acting_user=visitor_a)


def test_a_contact_fulfils_its_appointment(lead, visitor_a):
    appointment = services.appointment_book(party=lead, at=timezone.now() + datetime.timedelta(hours=1),
                                            acting_user=visitor_a)
    contact = services.contact_record(customer=lead.customer, kind="visit", notes="انجام شد",
                                      appointment=appointment, acting_user=visitor_a)
    appointment.refresh_from_db()
    assert (appointment.status, appointment.contact_id) == ("done", contact.pk)


def test_the_daily_report_is_filed_once_a_day_and_commented_by_the_manager(visitor_a, marketing_manager):
    report = services.daily_report_file(user=visitor_a, day=timezone.localdate(), note="۵ بازدید", acting_user=visitor_a)
    again = services.daily_report_file(user=visitor_a, day=timezone.localdate(), note="۶ بازدید", acting_user=visitor_a)
    assert again.pk == report.pk and again.note == "۶ بازدید"
    with pytest.raises(ValidationError):
        services.daily_report_comment(report=report, comment="خوب", acting_user=visitor_a)
    commented = services.daily_report_comment(report=report, comment="آفرین", acting_user=marketing_manager)
    assert commented.commented_by == marketing_manager
