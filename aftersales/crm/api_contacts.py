"""Contacts with their answers, and Q&A scripts, over REST (F54, F56): the same services as the pages."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from aftersales.core.api import DateField, page_parameter, paged_schema
from aftersales.core.filters import id_or_none
from aftersales.core.persian import normalize_text
from aftersales.core.search import search_filter
from aftersales.marketing.models import Contact
from aftersales.organization.scoping import center_ids, scope_queryset, spans_all_centers
from aftersales.workflow.models import State

from . import services
from .models import Answer, Appointment, Party, Script, ScriptQuestion
from .selectors import party_list


def contacts_visible(user):
    """The contacts ``user`` may read: those logged by their centers' staff and those with their team's parties
    (every contact for roles that span every center)."""
    contacts = Contact.objects.all()
    if spans_all_centers(user):
        return contacts
    return contacts.filter(Q(pk__in=scope_queryset(Contact.objects.all(), user).values("pk"))
                           | Q(customer__party__center__in=center_ids(user)))


_paged = paged_schema
PAGE = page_parameter()


# --- Contacts ---

class AnswerSerializer(serializers.Serializer):
    question = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1,
                                        max_value=2**63 - 1, help_text="A script question's id; null for a question "
                                                                       "asked ad hoc")
    question_text = serializers.CharField(required=False, allow_blank=True, default="", max_length=300,
                                          help_text="The question as asked (ad hoc); left out: the script's text")
    answer = serializers.CharField(max_length=1000, allow_blank=False)


class ContactInSerializer(serializers.Serializer):
    customer = serializers.IntegerField(min_value=1, max_value=2**63 - 1,
                                        help_text="The party's id (its customer's id): one of the caller's parties")
    kind = serializers.ChoiceField(choices=Contact.Kind.choices)
    notes = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000,
                                  help_text="What was said; left out, the answers make the note")
    outcome = serializers.ChoiceField(choices=Contact.Outcome.choices, required=False, allow_blank=True, default="")
    answers = AnswerSerializer(many=True, required=False, default=list)
    move = serializers.SlugField(required=False, allow_blank=True, default="",
                                 help_text="A step code out of the party's stage; an answer's own move otherwise")
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=1000,
                                    help_text="Why the stage moves (a step may ask for it); else the notes")
    next_step = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    next_step_date = DateField(required=False, allow_null=True, default=None,
                               help_text="ISO 2026-12-06 or Jalali 1405/09/15; today or later")
    appointment = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1,
                                           max_value=2**63 - 1,
                                           help_text="A booked appointment with the party that this contact fulfils")
    submission_key = serializers.CharField(required=False, allow_blank=True, default="", max_length=255,
                                           help_text="Send the same key again (a retry) and get the same contact back;"
                                                     " or send the Idempotency-Key header")


class ContactAnswerOutSerializer(serializers.Serializer):
    question = serializers.IntegerField(source="question_id", allow_null=True)
    question_text = serializers.CharField()
    answer = serializers.CharField()


class ContactOutSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    customer = serializers.IntegerField(source="customer_id")
    kind = serializers.CharField()
    notes = serializers.CharField()
    outcome = serializers.CharField()
    occurred_at = serializers.DateTimeField()
    logged_by = serializers.IntegerField(source="logged_by_id", allow_null=True)
    next_step = serializers.CharField()
    next_step_date = serializers.DateField(allow_null=True)
    answers = ContactAnswerOutSerializer(many=True)


class ContactFilterSerializer(serializers.Serializer):
    customer = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    kind = serializers.ChoiceField(choices=Contact.Kind.choices, required=False)
    logged_by = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    date_from = DateField(required=False)
    date_to = DateField(required=False)

    def validate(self, attrs):
        if attrs.get("date_from") and attrs.get("date_to") and attrs["date_to"] < attrs["date_from"]:
            raise serializers.ValidationError({"date_to": [_("The period ends before it starts.")]})
        return attrs


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _contacts_with_answers(contacts):
    return contacts.prefetch_related(Prefetch("answers", queryset=Answer.objects.order_by("pk")))


def _answers(rows: list[dict]) -> list[tuple]:
    """(question, answer) pairs for ``contact_record``: a script question's record or the ad hoc text."""
    wanted = {row["question"] for row in rows if row["question"]}
    questions = {question.pk: question for question in ScriptQuestion.objects.filter(pk__in=wanted)}
    pairs, errors = [], {}
    for index, row in enumerate(rows):
        answer = normalize_text(row["answer"])
        if row["question"]:
            question = questions.get(row["question"])
            if question is None:
                errors[f"answers[{index}].question"] = [_("No such script question.")]
                continue
            pairs.append((question, answer))
        else:
            text = normalize_text(row["question_text"])
            if not text:
                errors[f"answers[{index}].question_text"] = [_("Write the question, or name a script question.")]
                continue
            pairs.append((text, answer))
    if errors:
        raise serializers.ValidationError(errors)
    return pairs


class ContactListApi(APIView):
    """The contact log (visits, calls, notes) with the answers given, scoped to the caller; and logging one."""

    @extend_schema(
        summary="Contacts, newest first, with their answers",
        parameters=[
            OpenApiParameter("customer", OpenApiTypes.INT, description="Only this customer's or lead's"),
            OpenApiParameter("kind", OpenApiTypes.STR, enum=Contact.Kind.values),
            OpenApiParameter("logged_by", OpenApiTypes.INT, description="Only those logged by this user"),
            OpenApiParameter("date_from", OpenApiTypes.STR, description="From this day (Jalali or ISO), inclusive"),
            OpenApiParameter("date_to", OpenApiTypes.STR, description="To this day (Jalali or ISO), inclusive"),
            PAGE,
        ],
        responses=_paged("ContactPage", ContactOutSerializer))
    def get(self, request):
        if not request.user.has_perm("marketing.view_contact"):
            raise PermissionDenied
        filters = ContactFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        values = filters.validated_data
        contacts = contacts_visible(request.user)
        for name in ("customer", "kind", "logged_by"):
            if name in values:
                contacts = contacts.filter(**{name: values[name]})
        if values.get("date_from"):
            contacts = contacts.filter(occurred_at__gte=_day_start(values["date_from"]))
        if values.get("date_to"):
            contacts = contacts.filter(occurred_at__lt=_day_start(values["date_to"] + datetime.timedelta(days=1)))
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(_contacts_with_answers(contacts.order_by("-occurred_at", "-pk")),
                                           request, view=self)
        return paginator.get_paginated_response(ContactOutSerializer(page, many=True).data)

    @extend_schema(summary="Log a visit or call: answers, next step, a stage move and the appointment it fulfils, "
                           "all or nothing", request=ContactInSerializer, responses={201: ContactOutSerializer})
    def post(self, request):
        if not request.user.has_perm("marketing.add_contact"):
            raise PermissionDenied
        incoming = ContactInSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        values = incoming.validated_data
        party = party_list(user=request.user).filter(pk=values["customer"]).select_related("customer").first()
        if party is None:
            raise Http404  # another team's party is not found, not forbidden
        if values["move"] and not request.user.has_perm("crm.move_party"):
            raise serializers.ValidationError({"move": [_("Your role may not move a party's stage.")]})
        appointment = None
        if values["appointment"]:
            appointment = Appointment.objects.filter(pk=values["appointment"], party=party,
                                                     status=Appointment.Status.BOOKED).first()
            if appointment is None:
                raise serializers.ValidationError(
                    {"appointment": [_("Choose a booked appointment with this party.")]})
        if not values["notes"].strip() and not values["answers"]:
            raise serializers.ValidationError({"notes": [_("Write what was said, or answer a question.")]})
        key = request.headers.get("Idempotency-Key") or values["submission_key"] or None
        contact = services.contact_record_once(
            customer=party.customer, acting_user=request.user, submission_key=key, kind=values["kind"],
            notes=values["notes"].strip(), outcome=values["outcome"], answers=_answers(values["answers"]),
            move=values["move"], comment=values["comment"], next_step=values["next_step"],
            next_step_date=values["next_step_date"], appointment=appointment)
        contact = _contacts_with_answers(Contact.objects.filter(pk=contact.pk)).get()
        return Response(ContactOutSerializer(contact).data, status=status.HTTP_201_CREATED)


# --- Scripts ---

class QuestionSerializer(serializers.Serializer):
    id = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1, max_value=2**63 - 1,
                                  help_text="An existing question of this script (to keep its id); left out: new")
    text = serializers.CharField(max_length=300)
    kind = serializers.ChoiceField(choices=ScriptQuestion.Kind.choices, default=ScriptQuestion.Kind.TEXT)
    choices = serializers.ListField(child=serializers.CharField(max_length=200), required=False, default=list,
                                    help_text="For «one of the choices»")
    moves = serializers.DictField(child=serializers.SlugField(), required=False, default=dict,
                                  help_text='An answer that moves the stage: {"answer": "step code"}; the step '
                                            "must leave the script's stage")


    def validate_moves(self, moves: dict) -> dict:
        for answer in moves:
            if not str(answer).strip() or len(str(answer)) > 300 or "\x00" in str(answer):
                raise serializers.ValidationError(_("Write each answer that moves the stage (at most 300 "
                                                    "characters)."))
        return moves


class ScriptSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(max_length=150)
    topic = serializers.CharField(max_length=100)
    stage = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1, max_value=2**63 - 1,
                                     help_text="A stage (workflow state) id of a marketing workflow; null: any stage")
    is_active = serializers.BooleanField(required=False, default=True)
    questions = QuestionSerializer(many=True, required=False,
                                   help_text="The questions in order; on PATCH, when sent, they replace the script's "
                                             "(questions left out are removed)")


def _script_data(script: Script) -> dict:
    return {"id": script.pk, "title": script.title, "topic": script.topic, "stage": script.stage_id,
            "is_active": script.is_active,
            "questions": [{"id": question.pk, "text": question.text, "kind": question.kind,
                           "choices": question.choices, "moves": question.moves}
                          for question in script.questions.all()]}


def _script_values(validated: dict) -> dict:
    values = {name: validated[name] for name in ("title", "topic", "is_active") if name in validated}
    if "stage" in validated:
        stage = None
        if validated["stage"] is not None:
            stage = State.objects.filter(pk=validated["stage"], workflow__in=services.marketing_workflows()).first()
            if stage is None:
                raise serializers.ValidationError({"stage": [_("Choose a stage of a marketing workflow.")]})
        values["stage"] = stage
    if "questions" in validated:
        values["questions"] = [dict(question) for question in validated["questions"]]
    return values


def _scripts():
    return Script.objects.prefetch_related(Prefetch("questions", queryset=ScriptQuestion.objects.order_by("order",
                                                                                                          "pk")))


class ScriptListApi(APIView):
    """Q&A scripts with their questions; managers write them."""

    @extend_schema(
        operation_id="scripts_list",
        summary="Q&A scripts in use, by topic, with their questions",
        parameters=[
            OpenApiParameter("q", OpenApiTypes.STR, description="Words of the title, topic or questions (ی/ي alike)"),
            OpenApiParameter("stage", OpenApiTypes.INT,
                             description="Scripts for this stage (a state id) and those for any stage"),
            OpenApiParameter("all", OpenApiTypes.BOOL, description="Include the scripts out of use"),
            PAGE,
        ],
        responses=_paged("ScriptPage", ScriptSerializer))
    def get(self, request):
        if not request.user.has_perm("crm.view_script"):
            raise PermissionDenied
        scripts = search_filter(_scripts(), request.query_params.get("q", "").replace("\x00", ""))
        if request.query_params.get("all") not in ("1", "true"):
            scripts = scripts.filter(is_active=True)
        if request.query_params.get("stage"):
            stage = id_or_none(request.query_params["stage"], State)
            scripts = scripts.filter(Q(stage__isnull=True) | Q(stage=stage)) if stage else scripts.none()
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(scripts.order_by("topic", "title", "pk"), request, view=self)
        return paginator.get_paginated_response([_script_data(script) for script in page])

    @extend_schema(summary="Write a Q&A script with its questions", request=ScriptSerializer,
                   responses={201: ScriptSerializer})
    def post(self, request):
        if not request.user.has_perm("crm.add_script"):
            raise PermissionDenied
        incoming = ScriptSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        values = _script_values(incoming.validated_data)
        values.setdefault("questions", [])
        script = services.script_save(acting_user=request.user, **values)
        return Response(_script_data(_scripts().get(pk=script.pk)), status=status.HTTP_201_CREATED)


class ScriptApi(APIView):
    @extend_schema(summary="One Q&A script", responses=ScriptSerializer)
    def get(self, request, pk):
        if not request.user.has_perm("crm.view_script"):
            raise PermissionDenied
        return Response(_script_data(get_object_or_404(_scripts(), pk=pk)))

    @extend_schema(summary="Change a Q&A script (and, when sent, replace its questions); is_active false takes it "
                           "out of use", request=ScriptSerializer, responses=ScriptSerializer)
    def patch(self, request, pk):
        if not request.user.has_perm("crm.change_script"):
            raise PermissionDenied
        script = get_object_or_404(Script, pk=pk)
        incoming = ScriptSerializer(data=request.data, partial=True)
        incoming.is_valid(raise_exception=True)
        script = services.script_save(acting_user=request.user, script=script,
                                      **_script_values(incoming.validated_data))
        return Response(_script_data(_scripts().get(pk=script.pk)))
