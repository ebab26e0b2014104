"""CRM: leads and customers as parties on marketing workflows, credit, scripts, appointments and daily reports.

A party is a customer row (``customers.Customer``; a lead is one with ``is_lead``) plus what marketing
knows of it here: type, rating, source, marketer, stage on its type's workflow. The contact log is
marketing's ``Contact``; the answers to a script's questions hang on it.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from aftersales.core.fields import IdentifierField, NormalizedCharField
from aftersales.core.models import SearchableModel
from aftersales.customers.models import Customer


class PartyType(models.Model):
    """Dealer, wholesaler, project buyer, end customer…: a list the administrator edits; each type
    names the marketing workflow its parties move along (F44, F57)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = NormalizedCharField(_("name"), max_length=100)
    workflow = models.ForeignKey("workflow.Workflow", verbose_name=_("marketing workflow"), on_delete=models.PROTECT,
                                 related_name="+")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("party type")
        verbose_name_plural = _("party types")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class LeadSource(models.Model):
    """Where a lead came from: exhibition, call, website, referral… (a list the administrator edits)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = NormalizedCharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("lead source")
        verbose_name_plural = _("lead sources")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Party(models.Model):
    """What marketing knows of one customer or lead, and its stage on its type's workflow (F31, F43, F44)."""

    # A party belongs to the team (center) of its marketer: a visitor sees their own and their team's.
    scope_center_field = "center"

    class Rating(models.TextChoices):
        HOT = "hot", _("hot")
        WARM = "warm", _("warm")
        COLD = "cold", _("cold")

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        ON_HOLD = "on_hold", _("on hold")
        DO_NOT_CONTACT = "do_not_contact", _("do not contact")
        DISQUALIFIED = "disqualified", _("disqualified")

    customer = models.OneToOneField("customers.Customer", verbose_name=_("customer"), on_delete=models.CASCADE,
                                    primary_key=True, related_name="party")
    center = models.ForeignKey("organization.ServiceCenter", verbose_name=_("team"), on_delete=models.PROTECT,
                               related_name="+", help_text=_("The office or center whose marketers follow the party."))
    marketer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("marketer"), on_delete=models.SET_NULL,
                                 null=True, blank=True, related_name="+")
    party_type = models.ForeignKey(PartyType, verbose_name=_("type"), on_delete=models.PROTECT, related_name="parties")
    rating = models.CharField(_("rating"), max_length=4, choices=Rating.choices, default=Rating.WARM)
    score = models.PositiveSmallIntegerField(_("score (0–100)"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE)
    activity = NormalizedCharField(_("field of activity"), max_length=120, blank=True)
    source = models.ForeignKey(LeadSource, verbose_name=_("source"), on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+")
    region = models.ForeignKey("regions.Region", verbose_name=_("city"), on_delete=models.PROTECT, null=True,
                               blank=True, related_name="+", limit_choices_to={"kind__in": ["city", "district"]})
    # The stage: a subject of the workflow engine.
    state = models.ForeignKey("workflow.State", verbose_name=_("stage"), on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    state_entered_at = models.DateTimeField(_("in this stage since"), default=timezone.now, editable=False)
    due_at = models.DateTimeField(_("due"), null=True, blank=True, editable=False)
    # From the last contact: what to do next and when, for the cartable's reminders and the lists.
    next_step = models.CharField(_("next step"), max_length=200, blank=True)
    next_step_date = models.DateField(_("next step on"), null=True, blank=True)
    last_contact_at = models.DateTimeField(_("last contact"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+", editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        ordering = ["-state_entered_at"]
        permissions = [("move_party", _("Can move a party to another stage"))]
        indexes = [
            # The kanban: a stage's cards, the longest waiting first, paged.
            models.Index(fields=["state", "state_entered_at"], name="crm_party_stage_idx"),
            # A team's column of that stage, in the same order, down to the keyset's tie-breaker: a visitor's
            # first page no longer walks every other team's longest-waiting parties (bench_crm: 89 → 23 ms).
            models.Index(fields=["state", "center", "state_entered_at", "customer"], name="crm_party_team_stage_idx"),
            models.Index(fields=["marketer", "next_step_date"], name="crm_party_next_step_idx"),
            models.Index(fields=["center", "state"], name="crm_party_center_idx"),
        ]

    def __str__(self):
        return str(self.customer)

    @property
    def days_in_stage(self) -> int:
        return max(0, (timezone.localdate() - timezone.localtime(self.state_entered_at).date()).days)

    def workflow_announce(self, event, *, acting_user=None) -> None:
        """Marketing workflows announce nothing yet; the engine's ``announce`` action calls this."""


class CreditAssessment(models.Model):
    """One dated assessment of a party's credit (F45); the latest sets the customer's credit status and limit."""

    scope_center_field = "party__center"

    party = models.ForeignKey(Party, verbose_name=_("party"), on_delete=models.CASCADE, related_name="assessments")
    assessed_on = models.DateField(_("assessed on"), default=timezone.localdate)
    declared_turnover = models.PositiveBigIntegerField(_("declared yearly turnover (rials)"), null=True, blank=True)
    years_in_business = models.PositiveSmallIntegerField(_("years in business"), null=True, blank=True)
    references = models.TextField(_("references"), blank=True)
    verdict = models.TextField(_("assessor's verdict"))
    status = models.CharField(_("credit"), max_length=10, choices=Customer.Credit.choices)
    limit = models.PositiveBigIntegerField(_("credit limit (rials)"), null=True, blank=True)
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("assessed by"), on_delete=models.SET_NULL,
                                    null=True, related_name="+", editable=False)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("credit assessment")
        verbose_name_plural = _("credit assessments")
        ordering = ["-assessed_on", "-pk"]

    def __str__(self):
        return f"{self.party} · {self.get_status_display()}"

    def clean(self):
        if self.status == "limited" and not self.limit:
            raise ValidationError({"limit": _("Credit up to a limit needs the limit.")})
        if self.status != "limited" and self.limit:
            raise ValidationError({"limit": _("Only credit up to a limit has a limit.")})


class ReturnedCheque(models.Model):
    """A returned (bounced) cheque of the party, the Iranian credit signal: recorded by the assessor or sent by sales."""

    scope_center_field = "assessment__party__center"

    assessment = models.ForeignKey(CreditAssessment, verbose_name=_("assessment"), on_delete=models.CASCADE,
                                   related_name="returned_cheques")
    sayad_number = IdentifierField(_("Sayad number"), kind="sayad_number")
    bank = NormalizedCharField(_("bank"), max_length=60, blank=True)
    amount = models.PositiveBigIntegerField(_("amount (rials)"), null=True, blank=True)
    returned_on = models.DateField(_("returned on"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("returned cheque")
        verbose_name_plural = _("returned cheques")

    def __str__(self):
        return self.sayad_number


class Script(SearchableModel):
    """A question-and-answer template for calls and visits, grouped by topic and stage (F54)."""

    search_fields = ("title", "topic", "questions_text")

    title = NormalizedCharField(_("title"), max_length=150)
    topic = NormalizedCharField(_("topic"), max_length=100)
    stage = models.ForeignKey("workflow.State", verbose_name=_("for the stage"), on_delete=models.SET_NULL, null=True,
                              blank=True, related_name="+", help_text=_("Empty: any stage."))
    is_active = models.BooleanField(_("in use"), default=True)
    history = HistoricalRecords(excluded_fields=["search_text"])

    class Meta:
        verbose_name = _("Q&A script")
        verbose_name_plural = _("Q&A scripts")
        ordering = ["topic", "title"]

    def __str__(self):
        return self.title

    @property
    def questions_text(self) -> str:
        if not self.pk:
            return ""
        return " ".join(self.questions.values_list("text", flat=True))


class ScriptQuestion(models.Model):
    class Kind(models.TextChoices):
        TEXT = "text", _("free text")
        CHOICE = "choice", _("one of the choices")
        YES_NO = "yes_no", _("yes or no")
        NUMBER = "number", _("number")

    script = models.ForeignKey(Script, verbose_name=_("script"), on_delete=models.CASCADE, related_name="questions")
    text = NormalizedCharField(_("question"), max_length=300)
    kind = models.CharField(_("answer"), max_length=8, choices=Kind.choices, default=Kind.TEXT)
    choices = models.JSONField(_("choices"), default=list, blank=True, help_text=_("For «one of the choices»."))
    moves = models.JSONField(_("stage moves"), default=dict, blank=True,
                             help_text=_('An answer that moves the stage: {"answer": "step code"}.'))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("script question")
        verbose_name_plural = _("script questions")
        ordering = ["script", "order", "pk"]

    def __str__(self):
        return self.text

    def clean(self):
        if self.kind == self.Kind.CHOICE and not self.choices:
            raise ValidationError({"choices": _("List the choices.")})
        if not isinstance(self.moves, dict):
            raise ValidationError({"moves": _('Write the moves as {"answer": "step code"}.')})


class Answer(models.Model):
    """An answer to a script's question, recorded on one logged contact."""

    scope_center_field = "contact__customer__party__center"

    contact = models.ForeignKey("marketing.Contact", verbose_name=_("contact"), on_delete=models.CASCADE,
                                related_name="answers")
    question = models.ForeignKey(ScriptQuestion, verbose_name=_("question"), on_delete=models.SET_NULL, null=True,
                                 related_name="+")
    # The question as it was asked: a later edit of the script does not rewrite the log.
    question_text = models.CharField(_("question"), max_length=300)
    answer = models.TextField(_("answer"))

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["contact", "pk"]

    def __str__(self):
        return f"{self.question_text}: {self.answer}"


class AppointmentPlan(models.Model):
    """N appointments with a party per period, e.g. two visits a month with a key dealer (F49)."""

    scope_center_field = "party__center"

    class Kind(models.TextChoices):
        VISIT = "visit", _("visit")
        CALL = "call", _("call")

    party = models.ForeignKey(Party, verbose_name=_("party"), on_delete=models.CASCADE, related_name="plans")
    kind = models.CharField(_("kind"), max_length=6, choices=Kind.choices, default=Kind.VISIT)
    count = models.PositiveSmallIntegerField(_("appointments"))
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("to"))
    marketer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("marketer"), on_delete=models.SET_NULL,
                                 null=True, blank=True, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.SET_NULL,
                                   null=True, related_name="+", editable=False)

    class Meta:
        verbose_name = _("appointment plan")
        verbose_name_plural = _("appointment plans")
        ordering = ["-start_date"]
        constraints = [models.CheckConstraint(condition=models.Q(end_date__gte=models.F("start_date")),
                                              name="crm_plan_dates_in_order")]

    def __str__(self):
        return f"{self.party}: {self.count} × {self.get_kind_display()}"

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The period ends before it starts.")})
        if not self.count:
            raise ValidationError({"count": _("Plan at least one appointment.")})


class Appointment(models.Model):
    """One booked appointment with a party; done when a contact is logged against it."""

    scope_center_field = "party__center"

    class Status(models.TextChoices):
        BOOKED = "booked", _("booked")
        DONE = "done", _("done")
        CANCELLED = "cancelled", _("cancelled")

    party = models.ForeignKey(Party, verbose_name=_("party"), on_delete=models.CASCADE, related_name="appointments")
    plan = models.ForeignKey(AppointmentPlan, verbose_name=_("plan"), on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="appointments")
    kind = models.CharField(_("kind"), max_length=6, choices=AppointmentPlan.Kind.choices,
                            default=AppointmentPlan.Kind.VISIT)
    at = models.DateTimeField(_("at"))
    marketer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("marketer"), on_delete=models.SET_NULL,
                                 null=True, blank=True, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.BOOKED)
    notes = models.CharField(_("notes"), max_length=300, blank=True)
    contact = models.ForeignKey("marketing.Contact", verbose_name=_("logged contact"), on_delete=models.SET_NULL,
                                null=True, blank=True, related_name="+", editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        ordering = ["at"]
        indexes = [models.Index(fields=["party", "at"], name="crm_appointment_party_idx"),
                   models.Index(fields=["marketer", "at"], name="crm_appointment_marketer_idx")]

    def __str__(self):
        return f"{self.party} · {self.get_kind_display()}"


class DailyReport(models.Model):
    """A marketer's day, filed by them and read and commented on by their manager (F56)."""

    scope_center_field = "center"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("marketer"), on_delete=models.CASCADE,
                             related_name="+")
    center = models.ForeignKey("organization.ServiceCenter", verbose_name=_("team"), on_delete=models.PROTECT,
                               related_name="+")
    day = models.DateField(_("day"))
    note = models.TextField(_("the marketer's note"), blank=True)
    filed_at = models.DateTimeField(_("filed at"), default=timezone.now)
    manager_comment = models.TextField(_("manager's comment"), blank=True)
    commented_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("commented by"),
                                     on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    commented_at = models.DateTimeField(_("commented at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("daily report")
        verbose_name_plural = _("daily reports")
        ordering = ["-day", "user"]
        permissions = [("comment_dailyreport", _("Can comment on marketers' daily reports"))]
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="crm_daily_report_once_a_day")]

    def __str__(self):
        return f"{self.user} · {self.day}"


class PhoneExtension(models.Model):
    """The telephone extension an agent answers, so that a ringing call opens the caller's panel on their screen."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
                                related_name="phone_extension")
    extension = models.CharField(_("extension"), max_length=20, unique=True)

    class Meta:
        verbose_name = _("phone extension")
        verbose_name_plural = _("phone extensions")

    def __str__(self):
        return self.extension


class IncomingCall(models.Model):
    """A call ringing at an agent's extension, as the telephone exchange (AMI) told it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("agent"), on_delete=models.CASCADE,
                             related_name="+")
    phone = models.CharField(_("caller"), max_length=20)
    extension = models.CharField(_("extension"), max_length=20)
    call_id = models.CharField(_("call id"), max_length=64, blank=True)
    rang_at = models.DateTimeField(_("rang at"), default=timezone.now)
    shown_at = models.DateTimeField(_("shown at"), null=True, blank=True)

    class Meta:
        verbose_name = _("incoming call")
        verbose_name_plural = _("incoming calls")
        ordering = ["-rang_at"]
        indexes = [models.Index(fields=["user", "shown_at", "rang_at"], name="crm_call_user_idx")]
        constraints = [models.UniqueConstraint(fields=["extension", "call_id"], condition=~models.Q(call_id=""),
                                               name="crm_call_once")]

    def __str__(self):
        return f"{self.phone} → {self.extension}"


class ContactSubmission(models.Model):
    """The hidden key of the form (or the API's Idempotency-Key) a contact was logged with, so that a double
    tap or a resend on a weak connection logs the contact once (see ``core.idempotency``)."""

    contact = models.OneToOneField("marketing.Contact", verbose_name=_("contact"), on_delete=models.CASCADE,
                                   related_name="+")
    submission_key = models.CharField(_("submission key"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("contact submission")
        verbose_name_plural = _("contact submissions")

    def __str__(self):
        return self.submission_key
