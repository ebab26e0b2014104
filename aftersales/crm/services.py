"""Writes of the CRM: leads, stages, contacts with answers, credit, appointments, daily reports (F31–F57)."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import update_change_reason

from aftersales.core import rowscope
from aftersales.customers.models import Customer, CustomerPhone
from aftersales.customers.services import customer_merge
from aftersales.marketing.models import Contact
from aftersales.marketing.services import contact_log
from aftersales.workflow.engine import subject_note, subject_start, subject_started, transition_take
from aftersales.workflow.models import TransitionLog

from .models import (Answer, Appointment, AppointmentPlan, CreditAssessment, DailyReport, IncomingCall, Party,
                     PartyType, PhoneExtension, ReturnedCheque, ScriptQuestion)

#: The customer's fields a lead is created with.
LEAD_FIELDS = ("kind", "first_name", "last_name", "company_name", "national_code", "legal_national_id",
               "economic_number", "mobile", "email", "notes")
#: What marketing knows of a party, besides its stage.
PARTY_FIELDS = ("party_type", "center", "marketer", "rating", "score", "status", "activity", "source", "region",
                "next_step", "next_step_date")


def _holder_message(holder: Customer) -> str:
    what = _("lead") if holder.is_lead else _("customer")
    return _("This identifier belongs to the %(what)s «%(name)s» (number %(id)s); open it instead of adding "
             "another.") % {"what": what, "name": holder.display_name, "id": holder.pk}


def identifier_conflicts(customer: Customer) -> dict[str, str]:
    """Field errors for a national code or national ID another live customer or lead already holds."""
    errors = {}
    for field in ("national_code", "legal_national_id"):
        value = getattr(customer, field)
        if not value:
            continue
        holder = (Customer.objects.filter(**{field: value}, merged_into__isnull=True).exclude(pk=customer.pk)
                  .first())
        if holder is not None:
            errors[field] = _holder_message(holder)
    return errors


def _check_party(party: Party) -> None:
    if party.score is not None and party.score > 100:
        raise ValidationError({"score": _("A score is between 0 and 100.")})


@transaction.atomic
def party_create(*, customer: Customer, party_type: PartyType, center, acting_user, **values) -> Party:
    """Bring a customer (or a new lead's row) into the CRM: its type's workflow starts at the initial stage.

    Refuses a customer who is in the CRM already and a type whose workflow has no initial stage. Implements F43.
    """
    if Party.objects.filter(customer=customer).exists():
        raise ValidationError(_("This customer is in the CRM already."))
    state = party_type.workflow.initial_state
    if state is None:
        raise ValidationError({"party_type": _("The workflow of this type has no initial stage; ask the "
                                               "administrator to publish it.")})
    party = Party(customer=customer, party_type=party_type, center=center, created_by=acting_user,
                  **{name: value for name, value in values.items() if name in PARTY_FIELDS})
    subject_start(party, state, acting_user=acting_user)
    _check_party(party)
    party.full_clean(exclude=["customer"])
    rowscope.check_write(party, acting_user)
    party._history_user = acting_user
    party.save(force_insert=True)
    subject_started(party, acting_user=acting_user)
    return party


@transaction.atomic
def lead_create(*, acting_user, phone: str = "", **values) -> Party:
    """Register a lead: a customer row marked as a lead, its phone and its party in the CRM.

    The identifiers are checked as a customer's are; a national code or national ID that a customer or
    lead already holds is refused with a message naming them (a duplicate by mobile is allowed and
    shown for merging). Implements F31.
    """
    customer = Customer(is_lead=True, **{name: value for name, value in values.items() if name in LEAD_FIELDS})
    if not customer.last_name and customer.kind == Customer.Kind.PERSON and customer.first_name:
        customer.last_name, customer.first_name = customer.first_name, ""
    errors = {}
    try:
        customer.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        errors.update(error.message_dict)
    for field, message in identifier_conflicts(customer).items():
        errors.setdefault(field, [message])
    if errors:
        raise ValidationError(errors)
    customer._history_user = acting_user
    customer.save()
    numbers = {customer.mobile} if customer.mobile else set()
    if customer.mobile:
        CustomerPhone.objects.create(customer=customer, kind=CustomerPhone.Kind.MOBILE, number=customer.mobile)
    if phone:
        row = CustomerPhone(customer=customer, kind=CustomerPhone.Kind.LANDLINE, number=phone)
        try:
            row.clean()
        except ValidationError as error:
            raise ValidationError({"phone": error.message_dict.get("number", error.messages)}) from None
        if row.number not in numbers:
            row.save()
    if phone or customer.mobile:
        customer.save()  # the search text learns the numbers
    party_values = {name: value for name, value in values.items() if name in PARTY_FIELDS}
    party_type, center = party_values.pop("party_type"), party_values.pop("center")
    return party_create(customer=customer, party_type=party_type, center=center, acting_user=acting_user,
                        **party_values)


@transaction.atomic
def party_update(*, party: Party, acting_user, **values) -> Party:
    """Change what marketing knows of a party (type, rating, marketer…). A new type moves the party to the
    initial stage of the new type's workflow when that is another workflow."""
    party = Party.objects.select_for_update().get(pk=party.pk)
    old_workflow = party.state.workflow_id
    for name, value in values.items():
        if name in PARTY_FIELDS:
            setattr(party, name, value)
    _check_party(party)
    party.full_clean(exclude=["customer", "state"])
    rowscope.check_write(party, acting_user)
    moved = party.party_type.workflow_id != old_workflow
    if moved:
        state = party.party_type.workflow.initial_state
        if state is None:
            raise ValidationError({"party_type": _("The workflow of this type has no initial stage.")})
        subject_start(party, state)
        party.version = Party.objects.get(pk=party.pk).version + 1
    party._history_user = acting_user
    party.save()
    if moved:
        subject_started(party, acting_user=acting_user)
    return party


@transaction.atomic
def party_move(*, party: Party, code: str, acting_user, comment: str = "", version: int | None = None,
               contact: Contact | None = None) -> Party:
    """Move a party to another stage along its workflow; refused where the workflow refuses (F44).

    The move is logged with who and why (and the contact that led to it)."""
    rowscope.check_write(party, acting_user)
    data = {"contact": contact.pk} if contact is not None else None
    return transition_take(subject=party, code=code, acting_user=acting_user, comment=comment, version=version,
                           data=data)


@transaction.atomic
def lead_convert(*, party: Party, acting_user) -> Party:
    """Make a lead a customer; its contacts, notes, stage and history stay as they are (one row all along)."""
    rowscope.check_write(party, acting_user)
    customer = Customer.objects.select_for_update().get(pk=party.pk)
    if not customer.is_lead:
        raise ValidationError(_("This party is a customer already."))
    customer.is_lead = False
    customer._history_user = acting_user
    customer.save()
    update_change_reason(customer, _("lead converted to a customer"))
    subject_note(party, by=acting_user, comment=_("Converted from a lead to a customer."))
    return Party.objects.get(pk=party.pk)


@transaction.atomic
def party_merge(*, keep: Customer, duplicate: Customer, acting_user) -> Customer:
    """Merge a duplicate lead or customer into another (F31): the customer merge, and the CRM's rows follow."""
    if keep.pk == duplicate.pk:
        raise ValidationError(_("A lead cannot be merged into itself."))
    for customer in (keep, duplicate):
        party = Party.objects.filter(pk=customer.pk).first()
        if party is not None:
            rowscope.check_write(party, acting_user)
    return customer_merge(keep=keep, duplicate=duplicate, acting_user=acting_user)


def party_fold_on_merge(sender, keep, duplicate, **kwargs):
    """On a customer merge: the duplicate's contact log, party, appointments, assessments and stage history move
    to the kept one; the kept row is a lead only if both were."""
    Contact.objects.filter(customer=duplicate).update(customer=keep)
    if keep.is_lead and not duplicate.is_lead:
        Customer.objects.filter(pk=keep.pk).update(is_lead=False)
        keep.is_lead = False
    old = Party.objects.filter(pk=duplicate.pk).first()
    if old is None:
        return
    kept = Party.objects.filter(pk=keep.pk).first()
    if kept is None:  # the kept customer takes the duplicate's party as it stands
        kept = Party.objects.get(pk=duplicate.pk)
        kept.customer_id = keep.pk
        kept.pk = keep.pk
        kept.save(force_insert=True)
        party_type = ContentType.objects.get_for_model(Party)
        TransitionLog.objects.filter(content_type=party_type, object_id=duplicate.pk).update(object_id=keep.pk)
    for model in (AppointmentPlan, Appointment, CreditAssessment):
        model.objects.filter(party_id=duplicate.pk).update(party_id=keep.pk)
    Party.objects.filter(pk=duplicate.pk).delete()


def _question_answers(answers) -> list[tuple[ScriptQuestion | None, str, str]]:
    """(question, its text, answer) for each answered question; empty answers are skipped."""
    rows = []
    for question, answer in answers:
        answer = str(answer if answer is not None else "").strip()
        if not answer:
            continue
        if isinstance(question, ScriptQuestion):
            rows.append((question, question.text, answer))
        else:
            rows.append((None, str(question).strip(), answer))
    return rows


@transaction.atomic
def contact_record(*, customer: Customer, kind: str, notes: str, acting_user, outcome: str = "",
                   next_step: str = "", next_step_date: datetime.date | None = None, answers=(),
                   move: str = "", comment: str = "", appointment: Appointment | None = None,
                   occurred_at=None) -> Contact:
    """Log a call or visit in one step (F56): what was said, the outcome, the answers to a script's
    questions (F54), the next step and its date, and a stage move — asked for, or from an answer whose
    question moves the stage. An appointment it fulfils is marked done. All or nothing. Implements F56.
    """
    party = Party.objects.filter(pk=customer.pk).first()
    if party is not None:
        rowscope.check_write(party, acting_user)
    if next_step_date and next_step_date < timezone.localdate():
        raise ValidationError({"next_step_date": _("The next step's date has passed.")})
    rows = _question_answers(answers)
    if not (notes or "").strip() and rows:
        notes = "؛ ".join(f"{text}: {answer}" for _question, text, answer in rows)
    contact = contact_log(customer=customer, kind=kind, notes=notes, acting_user=acting_user, outcome=outcome,
                          next_step=next_step, next_step_date=next_step_date, occurred_at=occurred_at)
    Answer.objects.bulk_create([Answer(contact=contact, question=question, question_text=text[:300], answer=answer)
                                for question, text, answer in rows])
    moves = [question.moves[answer] for question, _text, answer in rows
             if question is not None and isinstance(question.moves, dict) and answer in question.moves]
    move = move or (moves[0] if moves else "")
    if party is not None:
        party = Party.objects.select_for_update().get(pk=party.pk)
        party.last_contact_at = contact.occurred_at
        if next_step or next_step_date:
            party.next_step, party.next_step_date = (next_step or "").strip(), next_step_date
        party.save(update_fields=["last_contact_at", "next_step", "next_step_date"])
        if move:
            try:
                party_move(party=party, code=move, acting_user=acting_user, comment=comment or contact.notes,
                           contact=contact)
            except ValidationError as error:
                raise ValidationError({"move": error.messages}) from None
    elif move:
        raise ValidationError({"move": _("This customer is not in the CRM, so has no stage to move.")})
    if appointment is not None:
        if appointment.party_id != customer.pk:
            raise ValidationError({"appointment": _("The appointment is with another party.")})
        Appointment.objects.filter(pk=appointment.pk).update(status=Appointment.Status.DONE, contact=contact)
    return contact


@transaction.atomic
def credit_assess(*, party: Party, status: str, verdict: str, acting_user, limit: int | None = None,
                  declared_turnover: int | None = None, years_in_business: int | None = None,
                  references: str = "", returned_cheques=(), assessed_on: datetime.date | None = None
                  ) -> CreditAssessment:
    """Record a dated credit assessment (F45) and set the customer's credit status and limit from it.

    ``returned_cheques`` are dicts (sayad_number, bank, amount, returned_on, reason); a Sayad number that
    is not 16 digits is refused with the row's field error. The earlier assessments stay as history.
    """
    rowscope.check_write(party, acting_user)
    assessment = CreditAssessment(party=party, status=status, limit=limit, verdict=(verdict or "").strip(),
                                  declared_turnover=declared_turnover, years_in_business=years_in_business,
                                  references=references or "", assessed_on=assessed_on or timezone.localdate(),
                                  assessed_by=acting_user)
    assessment.full_clean(exclude=["party"])
    cheques, errors = [], {}
    for index, values in enumerate(returned_cheques):
        cheque = ReturnedCheque(**{name: values.get(name) or (None if name in ("amount", "returned_on") else "")
                                   for name in ("sayad_number", "bank", "amount", "returned_on", "reason")})
        try:
            cheque.full_clean(exclude=["assessment"])
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                errors[f"returned_cheques[{index}].{field}"] = messages
        cheques.append(cheque)
    if errors:
        raise ValidationError(errors)
    assessment.save()
    for cheque in cheques:
        cheque.assessment = assessment
    ReturnedCheque.objects.bulk_create(cheques)
    latest = CreditAssessment.objects.filter(party=party).order_by("-assessed_on", "-pk").first()
    customer = Customer.objects.select_for_update().get(pk=party.pk)
    customer.credit_status, customer.credit_limit = latest.status, latest.limit
    customer.credit_assessed_on = latest.assessed_on
    customer._history_user = acting_user
    customer.save()
    update_change_reason(customer, _("credit assessed"))
    return assessment


@transaction.atomic
def plan_create(*, party: Party, kind: str, count: int, start_date, end_date, acting_user,
                marketer=None) -> AppointmentPlan:
    """Plan ``count`` appointments of a kind with a party between two dates (F49)."""
    rowscope.check_write(party, acting_user)
    plan = AppointmentPlan(party=party, kind=kind, count=count or 0, start_date=start_date, end_date=end_date,
                           marketer=marketer or party.marketer, created_by=acting_user)
    plan.full_clean()
    plan.save()
    return plan


@transaction.atomic
def appointment_book(*, party: Party, at: datetime.datetime, acting_user, kind: str = AppointmentPlan.Kind.VISIT,
                     plan: AppointmentPlan | None = None, marketer=None, notes: str = "") -> Appointment:
    """Book an appointment with a party in the calendar (F49).

    Refuses a time in the past, a plan of another party, a day outside the plan's period and a plan whose
    appointments are all booked.
    """
    rowscope.check_write(party, acting_user)
    if at is None:
        raise ValidationError({"at": _("Choose the day and time.")})
    if at < timezone.now() - datetime.timedelta(minutes=5):
        raise ValidationError({"at": _("The appointment's time has passed.")})
    if plan is not None:
        plan = AppointmentPlan.objects.select_for_update().get(pk=plan.pk)
        day = timezone.localtime(at).date()
        if plan.party_id != party.pk:
            raise ValidationError({"plan": _("This plan is for another party.")})
        if not plan.start_date <= day <= plan.end_date:
            from aftersales.core.jalali import format_date

            raise ValidationError({"at": _("The plan runs from %(start)s to %(end)s; book a day inside it.") % {
                "start": format_date(plan.start_date), "end": format_date(plan.end_date)}})
        booked = plan.appointments.exclude(status=Appointment.Status.CANCELLED).count()
        if booked >= plan.count:
            raise ValidationError({"plan": _("All %(count)s appointments of this plan are booked.")
                                   % {"count": plan.count}})
        kind = plan.kind
    appointment = Appointment(party=party, plan=plan, kind=kind, at=at, notes=(notes or "").strip(),
                              marketer=marketer or (plan.marketer if plan else None) or party.marketer or acting_user)
    appointment.full_clean()
    appointment._history_user = acting_user
    appointment.save()
    return appointment


@transaction.atomic
def appointment_cancel(*, appointment: Appointment, acting_user) -> Appointment:
    rowscope.check_write(appointment.party, acting_user)
    appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
    if appointment.status != Appointment.Status.BOOKED:
        raise ValidationError(_("Only a booked appointment can be cancelled."))
    appointment.status = Appointment.Status.CANCELLED
    appointment._history_user = acting_user
    appointment.save()
    return appointment


@transaction.atomic
def daily_report_file(*, user, day: datetime.date, note: str = "", acting_user) -> DailyReport:
    """File (or refile, with a new note) a marketer's report of a day; the day's contacts and moves are read
    live from the log. Refuses a day still to come and another's report."""
    if acting_user.pk != user.pk:
        raise ValidationError(_("A marketer files their own daily report."))
    if day > timezone.localdate():
        raise ValidationError({"day": _("The day has not come yet.")})
    center = user.centers.order_by("pk").first()
    if center is None:
        raise ValidationError(_("You belong to no center or office, so your report has no manager to read it."))
    report, _created = DailyReport.objects.select_for_update().get_or_create(
        user=user, day=day, defaults={"center": center, "note": (note or "").strip()})
    if not _created:
        report.note, report.filed_at = (note or "").strip(), timezone.now()
        report._history_user = acting_user
        report.save()
    return report


@transaction.atomic
def daily_report_comment(*, report: DailyReport, comment: str, acting_user) -> DailyReport:
    """The manager's comment on a marketer's day."""
    rowscope.check_write(report, acting_user)
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": _("Write the comment.")})
    if report.user_id == acting_user.pk:
        raise ValidationError(_("Your manager comments on your report, not you."))
    report = DailyReport.objects.select_for_update().get(pk=report.pk)
    report.manager_comment, report.commented_by, report.commented_at = comment, acting_user, timezone.now()
    report._history_user = acting_user
    report.save()
    return report


def call_ringing(*, extension: str, phone: str, call_id: str = "") -> IncomingCall | None:
    """Record a call ringing at an extension (from the exchange's events); None when no agent has the
    extension or the same call rang there already."""
    owner = PhoneExtension.objects.filter(extension=extension).select_related("user").first()
    if owner is None:
        return None
    if call_id and IncomingCall.objects.filter(extension=extension, call_id=call_id).exists():
        return None
    return IncomingCall.objects.create(user=owner.user, extension=extension, phone=phone, call_id=call_id)


# --- Contacts logged once, and Q&A scripts (the contact page, the scripts pages and their API) ---

from aftersales.core.idempotency import caller_key, claimed_once, refuse_reuse  # noqa: E402

from .models import ContactSubmission, Script  # noqa: E402


@claimed_once(ContactSubmission)
@transaction.atomic
def contact_record_once(*, customer: Customer, acting_user, submission_key: str | None = None, **values) -> Contact:
    """``contact_record`` under the form's hidden key (or the API's Idempotency-Key): the same key again — a
    double tap, a resend on a weak connection, two at once — returns the contact already logged instead
    of logging it twice; the same key for another party or kind is refused. Implements F56.
    """
    key = caller_key(user=acting_user, key=submission_key)
    if key:
        existing = ContactSubmission.objects.filter(submission_key=key).select_related("contact").first()
        if existing is not None:
            if (existing.contact.customer_id, existing.contact.kind) != (customer.pk, values.get("kind")):
                refuse_reuse()
            return existing.contact
    contact = contact_record(customer=customer, acting_user=acting_user, **values)
    if key:
        ContactSubmission.objects.create(contact=contact, submission_key=key)
    return contact


def marketing_workflows():
    """The workflows parties move along (their subject is the party)."""
    from aftersales.workflow.models import Workflow

    return Workflow.objects.filter(subject=ContentType.objects.get_for_model(Party))


def script_move_errors(*, stage, moves: dict) -> list[str]:
    """Persian messages for the answers of a question whose step does not leave the script's stage (or,
    for a script of any stage, that no marketing workflow has)."""
    from aftersales.workflow.models import Transition

    errors = []
    if stage is not None:
        steps = Transition.objects.filter(source=stage)
        where = _("the stage «%(stage)s»") % {"stage": stage.name}
    else:
        steps = Transition.objects.filter(workflow__in=marketing_workflows())
        where = _("the marketing workflows")
    codes = set(steps.values_list("code", flat=True))
    for answer, code in moves.items():
        if code not in codes:
            errors.append(_("The answer «%(answer)s» moves by «%(code)s», a step that does not leave %(where)s.")
                          % {"answer": answer, "code": code, "where": where})
    return errors


def _question_check(question: ScriptQuestion, stage) -> dict:
    from aftersales.core.persian import normalize_text

    errors = {}
    question.text = normalize_text(question.text)
    question.choices = [normalize_text(choice) for choice in question.choices or [] if normalize_text(choice)]
    if not isinstance(question.moves, dict):
        return {"moves": [_('Write the moves as {"answer": "step code"}.')]}
    question.moves = {normalize_text(answer): str(code).strip() for answer, code in question.moves.items()
                      if normalize_text(answer) and str(code).strip()}
    if question.kind != ScriptQuestion.Kind.CHOICE:
        question.choices = []
    try:
        question.full_clean(exclude=["script"])
    except ValidationError as error:
        errors.update(error.message_dict)
    if question.kind == ScriptQuestion.Kind.CHOICE:
        strange = [answer for answer in question.moves if answer not in question.choices]
        if strange:
            errors.setdefault("moves", []).append(_("Only a listed choice can move the stage; not: %(answers)s.")
                                                  % {"answers": "، ".join(strange)})
    elif question.kind == ScriptQuestion.Kind.YES_NO:
        strange = [answer for answer in question.moves if answer not in (_("yes"), _("no"))]
        if strange:
            errors.setdefault("moves", []).append(_("A yes-or-no question is answered «%(yes)s» or «%(no)s».")
                                                  % {"yes": _("yes"), "no": _("no")})
    moves = script_move_errors(stage=stage, moves=question.moves)
    if moves:
        errors.setdefault("moves", []).extend(moves)
    return errors


@transaction.atomic
def script_save(*, acting_user, script: Script | None = None, questions=None, **values) -> Script:
    """Write a Q&A script and, when ``questions`` is given, its questions as listed (the ones left out are
    removed). Each question is a dict of text, kind, choices, moves ({answer: step code}), order and an
    optional id of the script's own question. A step that does not leave the script's stage is refused
    (errors keyed ``questions[i].field``). The search text learns the questions. Implements F54.
    """
    script = Script.objects.select_for_update().get(pk=script.pk) if script is not None and script.pk else Script()
    for name in ("title", "topic", "stage", "is_active"):
        if name in values:
            setattr(script, name, values[name])
    errors = {}
    try:
        script.full_clean(exclude=["search_text"])
    except ValidationError as error:
        errors.update(error.message_dict)
    if script.stage_id and not marketing_workflows().filter(pk=script.stage.workflow_id).exists():
        errors.setdefault("stage", []).append(_("Choose a stage of a marketing workflow."))
    rows = []
    if questions is not None:
        own = {question.pk: question for question in script.questions.all()} if script.pk else {}
        for index, values_ in enumerate(questions):
            question = own.get(values_.get("id")) if values_.get("id") else None
            if values_.get("id") and question is None:
                errors[f"questions[{index}].id"] = [_("This question is not of this script.")]
                continue
            question = question or ScriptQuestion()
            for name in ("text", "kind", "choices", "moves", "order"):
                if name in values_:
                    setattr(question, name, values_[name] if values_[name] is not None else
                            {"choices": [], "moves": {}, "order": 0}.get(name, ""))
            if "order" not in values_ and question.pk is None:
                question.order = index
            for field, messages in _question_check(question, script.stage if script.stage_id else None).items():
                errors[f"questions[{index}].{field}"] = messages
            rows.append(question)
    if errors:
        raise ValidationError(errors)
    script._history_user = acting_user
    script.save()
    if questions is not None:
        kept = [question.pk for question in rows if question.pk]
        script.questions.exclude(pk__in=kept).delete()
        for question in rows:
            question.script = script
            question.save()
        script.save()  # the search text learns the questions
    return script


def script_search_refresh(sender, instance, **kwargs):
    """A question written or removed anywhere (admin included) refreshes its script's search text."""
    script = Script.objects.filter(pk=instance.script_id).first()
    if script is not None:
        Script.objects.filter(pk=script.pk).update(search_text=script.build_search_text())


@transaction.atomic
def credit_on_cheque_returned(*, cheque, acting_user) -> CreditAssessment | None:
    """Record a cheque sales saw returned on a new dated credit assessment of its drawer (F45, F51).

    The drawer enters the CRM (the first party type, the cheque's office as its team) when not in it
    yet. The assessment carries the cheque and sets the credit to cash only. The party may belong to
    another team than the user who returned the cheque: the fact comes from sales, so the team's
    write check is not asked (the assessment still names the user). A party type without a
    workflow's initial stage leaves the customer out of the CRM and the credit unchanged.
    """
    customer = Customer.objects.get(pk=cheque.customer_id)
    party = Party.objects.filter(pk=customer.pk).first()
    if party is None:
        party_type = PartyType.objects.order_by("order", "pk").first()
        if party_type is None or party_type.workflow.initial_state is None:
            return None
        party = party_create(customer=customer, party_type=party_type, center=cheque.center, acting_user=None)
    verdict = _("Cheque %(number)s of %(amount)s rials (%(bank)s) was returned: %(reason)s") % {
        "number": cheque.sayad_number, "amount": f"{cheque.amount:,}", "bank": cheque.bank,
        "reason": cheque.returned_reason}
    assessment = credit_assess(
        party=party, status=Customer.Credit.CASH_ONLY, verdict=verdict, acting_user=None,
        assessed_on=cheque.state_changed_on or timezone.localdate(),
        returned_cheques=[{"sayad_number": cheque.sayad_number, "bank": cheque.bank, "amount": cheque.amount,
                           "returned_on": cheque.state_changed_on, "reason": cheque.returned_reason}])
    CreditAssessment.objects.filter(pk=assessment.pk).update(assessed_by=acting_user)
    return assessment


def cheque_returned_receiver(sender, cheque, acting_user=None, **kwargs):
    """``sales.signals.cheque_returned`` → the drawer's credit (connected in ``CrmConfig.ready``)."""
    credit_on_cheque_returned(cheque=cheque, acting_user=acting_user)
