"""Workflows as data: states and transitions that administrators edit without code (F13).

The engine knows nothing of what it moves: a repair order today, a lead in a marketing workflow
tomorrow. A subject model holds a ``state`` (FK to State), a ``version`` (bumped on every move, so
that two people acting on one record at once cannot both win) and ``state_entered_at``/``due_at``.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Workflow(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    is_active = models.BooleanField(_("active"), default=True)
    subject = models.ForeignKey(ContentType, verbose_name=_("moves"), on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+", help_text=_("The kind of record this workflow moves."))
    version = models.PositiveIntegerField(_("published version"), default=0, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("workflow")
        verbose_name_plural = _("workflows")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def initial_state(self):
        return self.states.filter(is_initial=True, is_active=True).first()

    @property
    def subject_label(self) -> str:
        return str(self.subject.model_class()._meta.verbose_name) if self.subject and self.subject.model_class() else ""


class State(models.Model):
    workflow = models.ForeignKey(Workflow, verbose_name=_("workflow"), on_delete=models.CASCADE, related_name="states")
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=80)
    public_name = models.CharField(_("name shown to the customer"), max_length=120, blank=True,
                                   help_text=_("Plain words for the tracking page; empty: the name."))
    is_initial = models.BooleanField(_("initial"), default=False)
    is_final = models.BooleanField(_("final"), default=False)
    sla_hours = models.PositiveIntegerField(_("due within (hours)"), null=True, blank=True,
                                            help_text=_("Work in this state is overdue after this many hours."))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True,
                                    help_text=_("A state removed from the workflow is retired: its history keeps it."))
    x = models.IntegerField(_("place on the chart (x)"), null=True, blank=True)
    y = models.IntegerField(_("place on the chart (y)"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("workflow state")
        verbose_name_plural = _("workflow states")
        ordering = ["workflow", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["workflow", "code"], name="workflow_state_code_unique"),
            models.UniqueConstraint(fields=["workflow"], condition=models.Q(is_initial=True),
                                    name="workflow_one_initial_state"),
        ]

    def __str__(self):
        return self.name

    @property
    def label_for_customer(self) -> str:
        return self.public_name or self.name


class Transition(models.Model):
    """A move from one state to another: who may take it, when, what must be filled, what then happens."""

    workflow = models.ForeignKey(Workflow, verbose_name=_("workflow"), on_delete=models.CASCADE, related_name="transitions")
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=80)
    source = models.ForeignKey(State, verbose_name=_("from"), on_delete=models.CASCADE, related_name="outgoing")
    target = models.ForeignKey(State, verbose_name=_("to"), on_delete=models.CASCADE, related_name="incoming")
    roles = models.JSONField(_("roles allowed"), default=list, blank=True,
                             help_text=_("Role codes (e.g. technician, receptionist); empty: anyone with access."))
    condition = models.CharField(_("condition"), max_length=40, blank=True,
                                 help_text=_("Taken only when this condition holds."))
    required_fields = models.JSONField(_("fields required before"), default=list, blank=True)
    requires_comment = models.BooleanField(_("needs a comment"), default=False)
    actions = models.JSONField(_("actions"), default=list, blank=True,
                               help_text=_('What happens after, e.g. [{"type": "announce", "event": "repair_ready"}].'))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("workflow transition")
        verbose_name_plural = _("workflow transitions")
        ordering = ["workflow", "source__order", "order", "pk"]
        # One code may leave several states ("cancel" from reception and from diagnosis); the engine
        # finds a step by the record's state and the code.
        constraints = [models.UniqueConstraint(fields=["source", "code"], name="workflow_transition_source_code_unique")]

    def __str__(self):
        return f"{self.source} → {self.target}: {self.name}"

    def clean(self):
        from .engine import action_problem, conditions

        errors = {}
        if self.source_id and self.target_id and (self.source.workflow_id != self.workflow_id
                                                   or self.target.workflow_id != self.workflow_id):
            errors["target"] = _("Both states must belong to this workflow.")
        if self.condition and self.condition not in conditions():
            errors["condition"] = _("No such condition.")
        problems = [problem for problem in map(action_problem, self.actions or []) if problem]
        if problems:
            errors["actions"] = problems
        if errors:
            raise ValidationError(errors)


class TransitionLog(models.Model):
    """One move of one record: who, when, from, to and why."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    transition = models.ForeignKey(Transition, verbose_name=_("transition"), on_delete=models.SET_NULL, null=True,
                                   related_name="+")
    source = models.ForeignKey(State, verbose_name=_("from"), on_delete=models.PROTECT, null=True, related_name="+")
    target = models.ForeignKey(State, verbose_name=_("to"), on_delete=models.PROTECT, related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.SET_NULL, null=True,
                           related_name="+")
    at = models.DateTimeField(_("at"), default=timezone.now)
    comment = models.TextField(_("comment"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    # How long the record stayed in ``source`` before this move: reports average it per state
    # without walking each record's history.
    seconds_in_source = models.PositiveBigIntegerField(_("seconds in the previous state"), null=True, blank=True,
                                                       editable=False)

    class Meta:
        verbose_name = _("workflow step")
        verbose_name_plural = _("workflow steps")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id", "at"], name="workflow_log_subject_idx")]

    def __str__(self):
        return f"{self.source} → {self.target}"


class WorkflowVersion(models.Model):
    """One publish of a workflow: the whole definition as published, who, when, why, and records moved."""

    workflow = models.ForeignKey(Workflow, verbose_name=_("workflow"), on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    definition = models.JSONField(_("definition"), default=dict)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("published by"),
                                     on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    published_at = models.DateTimeField(_("published at"), default=timezone.now)
    reason = models.TextField(_("reason"), blank=True)
    moves = models.JSONField(_("records moved"), default=dict, blank=True,
                             help_text=_("Removed state code → state code its records were moved to."))

    class Meta:
        verbose_name = _("workflow version")
        verbose_name_plural = _("workflow versions")
        ordering = ["workflow", "-number"]
        constraints = [models.UniqueConstraint(fields=["workflow", "number"], name="workflow_version_number_unique")]

    def __str__(self):
        return f"{self.workflow} #{self.number}"


class WorkflowDraft(models.Model):
    """One administrator's unpublished edits of a workflow."""

    workflow = models.ForeignKey(Workflow, verbose_name=_("workflow"), on_delete=models.CASCADE, related_name="drafts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
                             related_name="+")
    definition = models.JSONField(_("definition"), default=dict)
    base_version = models.PositiveIntegerField(_("based on version"), default=0)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("workflow draft")
        verbose_name_plural = _("workflow drafts")
        constraints = [models.UniqueConstraint(fields=["workflow", "user"], name="workflow_draft_user_unique")]

    def __str__(self):
        return f"{self.workflow} ({self.user})"
