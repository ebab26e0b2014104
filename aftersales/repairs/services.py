"""Writes on the repair workshop: reception, moving along the workflow, estimates, referrals, work, hand-back.

Implements F10, F11, F13, F17, F18, F33, F36.
"""

import datetime
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.catalog.models import ProductUnit, UnitEvent
from aftersales.catalog.services import unit_event_record
from aftersales.core.idempotency import caller_key, claimed_once, refuse_reuse
from aftersales.core.numbering import document_insert_numbered, document_pk_reserve
from aftersales.core.validators import normalize_mobile, validate_mobile
from aftersales.core.persian import normalize_identifier
from aftersales.messaging.services import event_announce
from aftersales.messaging.templating import FREE_UNDER_WARRANTY
from aftersales.warranty.status import not_registered, unit_warranty_status
from aftersales.workflow.engine import initial_state, subject_note, subject_start, subject_started, transition_take

from .models import OrderFault, OrderPhoto, Operation, PartLine, Referral, RepairOrder
from .tallies import counted_codes, faults_change, snapshot, state_months_move, tally_change

# 31 letters and digits that cannot be mistaken for one another (no 0/O, 1/I/L); 13 of them ≈ 64 bits.
#: Workflow steps that send an order back from quality control (the order is then "reworked").
REWORK_STEPS = ("quality_failed",)
#: A unit received again within this many days of its hand-back "came back" (first-time fix fails).
COME_BACK_DAYS = 30
TRACKING_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
TRACKING_LENGTH = 13


def tracking_code_new() -> str:
    return "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(TRACKING_LENGTH))


def tracking_code_clean(code: str) -> str:
    """A tracking code as typed or read out: any case, dashes and spaces, Persian digits."""
    return normalize_identifier(code).upper()


def tracking_url(order: RepairOrder) -> str:
    return settings.SITE_URL + reverse("track", args=[order.tracking_code])


def repair_start_state():
    """Where every repair order starts: the initial state of the workflow ``REPAIRS_WORKFLOW``."""
    state = initial_state(settings.REPAIRS_WORKFLOW)
    if state is None:
        raise ValidationError(_("The repair workflow «%(code)s» is missing or has no initial state.")
                              % {"code": settings.REPAIRS_WORKFLOW})
    return state


def order_announce(order: RepairOrder, event: str, *, acting_user=None, key: str | None = None) -> None:
    """Tell the customer about the order by the messaging rules of ``event`` (F16, F17). ``amount`` and
    ``cost`` are what the customer pays: the invoice once issued, until then the estimate (VAT included)."""
    customer = order.customer
    product_model = order.product_model or (order.unit.product_model if order.unit_id else None)
    # Missing values (no name, an unknown model, no estimate yet) take the template's fallbacks.
    event_announce(
        event, key=key or f"{order.pk}:{order.version}", customer_id=customer.pk, ref=f"repairs.order:{order.pk}",
        center=order.center, acting_user=acting_user,
        context={"customer_name": customer.known_name, "tracking_code": order.tracking_code, "link": tracking_url(order),
                 "product": str(product_model or ""), "center_name": order.center.name,
                 "amount": 0 if order.is_warranty else order.customer_amount,
                 "cost": FREE_UNDER_WARRANTY if order.is_warranty else order.customer_amount, "date": order.promised_on},
        recipients={"customer": {"sms": customer.mobile, "email": customer.email}},
    )


def _unit_for(serial: str) -> ProductUnit | None:
    """The unit a number names — its serial, warranty card, sale invoice, subscription… (issue 20); a
    number that names several units is refused until one of them is chosen (``unit``)."""
    from aftersales.catalog.lookup import unit_lookup
    from aftersales.core.persian import format_number

    matches = unit_lookup(serial)
    if len(matches) > 1:
        raise ValidationError({"serial": _("This number belongs to %(count)s units: choose the unit being received.")
                               % {"count": format_number(len(matches))}})
    return matches[0].unit if matches else None


def _same_reception(order: RepairOrder, *, center, description: str, kind: str, serial: str, mobile: str) -> bool:
    """Whether a repeated submission asks for the order already written (a retry), not another one."""
    return (order.center_id == center.pk and order.description == (description or "").strip() and order.kind == kind
            and order.serial == normalize_identifier(serial or "")
            and (not mobile or normalize_mobile(mobile) == order.customer.mobile))


@claimed_once(RepairOrder)  # one transaction (a savepoint inside the caller's)
def reception_create(*, center, acting_user, description: str, customer=None, customer_mobile: str = "",
                     customer_name: str = "", serial: str = "", unit=None,
                     product_model=None, kind: str = RepairOrder.Kind.IN_CENTER, accessories: str = "",
                     condition: str = "", promised_on=None, address: str = "", appointment_at=None,
                     assignee=None,
                     faults=(), warranty_override: bool | None = None, override_reason: str = "",
                     submission_key: str | None = None, photos=(), customer_national_code: str = "",
                     brought_by_name: str = "", brought_by_mobile: str = "",
                     require_model: bool = False) -> RepairOrder:
    """Receive a unit (or book a home call): the order, its number, tracking code, warranty and SMS.

    The warranty comes from the warranty engine; an unknown serial or a voided unit is received as
    non-warranty with the engine's reason. Only a role with ``repairs.override_warranty`` may
    change that, and only with a reason (kept in the history). The same ``submission_key`` twice (a
    double-clicked submit) returns the first order. Without ``customer``, the customer with
    ``customer_mobile`` is found or registered on the spot, in the same transaction as the order.
    A home call may name its technician (``assignee``, who must work at the center); its appointment
    must be to come, within the working day, not on a day off, and not overlap another open home visit
    of that technician (``repairs.schedule.home_visit_refusals``; issue 13).
    Refuses an empty description, a home call without an address and an invalid mobile
    (``customer_mobile``). ``customer_national_code`` is stored on a new customer and on a known one who
    has none; a code that differs from the one on record, or that another customer holds, is refused
    (``customer_national_code``), never overwritten. ``brought_by_*`` record who brought the unit when it
    is not the customer (an invalid mobile is refused). With ``require_model`` (the reception desk and
    the API) a serial that is not in the registry, or no serial, needs the product model
    (``product_model``). Issue 13.
    """
    submission_key = caller_key(user=acting_user, key=submission_key)
    if submission_key:
        existing = RepairOrder.objects.filter(submission_key=submission_key).select_related("customer").first()
        if existing is not None:
            if not _same_reception(existing, center=center, description=description, kind=kind,
                                   serial=unit.serial if unit else serial,
                                   mobile=customer.mobile if customer else customer_mobile):
                refuse_reuse()
            return existing
    errors = {}
    if not (description or "").strip():
        errors["description"] = _("Write what the customer says is wrong.")
    if kind == RepairOrder.Kind.HOME and not (address or "").strip():
        errors["address"] = _("A home call needs the address.")
    if kind == RepairOrder.Kind.HOME:  # a technician booked into a real gap of the schedule (issue 13)
        from .schedule import home_visit_refusals

        errors.update(home_visit_refusals(center=center, appointment_at=appointment_at, assignee=assignee))
    elif assignee is not None:
        errors["assignee"] = _("A technician is booked at reception only for a home call; refer the order instead.")
    unit = unit or (_unit_for(serial) if serial else None)
    if require_model and unit is None and product_model is None:
        errors["product_model"] = (_("This serial is not in the registry: choose the product model.") if serial
                                   and normalize_identifier(serial) else _("Without a serial, choose the product model."))
    brought_by_mobile = normalize_mobile(brought_by_mobile or "")
    if brought_by_mobile:
        try:
            validate_mobile(brought_by_mobile)
        except ValidationError as error:
            errors["brought_by_mobile"] = error.messages
    if customer_national_code:
        from aftersales.customers.models import Customer
        from aftersales.customers.services import national_code_conflict

        known = customer or Customer.objects.filter(mobile=normalize_mobile(customer_mobile or ""),
                                                    merged_into__isnull=True).first()
        problem = national_code_conflict(customer=known, national_code=customer_national_code)
        if problem:
            errors["customer_national_code"] = problem
    if errors:
        raise ValidationError(errors)
    if customer is None:
        from aftersales.warranty.services import owner_for_mobile

        try:
            customer = owner_for_mobile(mobile=customer_mobile, name=customer_name, acting_user=acting_user)
        except ValidationError as error:
            raise ValidationError({"customer_mobile": error.message_dict["owner_mobile"]}) from None
    if customer_national_code:
        from aftersales.customers.services import customer_national_code_set

        try:
            customer_national_code_set(customer=customer, national_code=customer_national_code, acting_user=acting_user)
        except ValidationError as error:
            raise ValidationError({"customer_national_code": error.message_dict["national_code"]}) from None
    status = (unit_warranty_status(unit) if unit is not None else not_registered(serial)).product
    is_warranty = status.is_covered
    if warranty_override is not None and warranty_override != is_warranty:
        if not acting_user.has_perm("repairs.override_warranty"):
            raise PermissionDenied(_("Your role may not override the warranty."))
        if not override_reason.strip():
            raise ValidationError({"override_reason": _("Give the reason for overriding the warranty.")})
        is_warranty = warranty_override
    order = RepairOrder(
        number="",  # taken with the order's insert, the last write (see the end)
        tracking_code=tracking_code_new(), submission_key=submission_key or None, center=center, kind=kind,
        customer=customer, unit=unit, serial=normalize_identifier(unit.serial if unit else serial),  # the order's key
        product_model=unit.product_model if unit else product_model, accessories=accessories, condition=condition,
        brought_by_name=(brought_by_name or "").strip()[:200], brought_by_mobile=brought_by_mobile,
        description=description.strip(), address=address, appointment_at=appointment_at, promised_on=promised_on,
        received_by=acting_user, warranty_state=status.state, warranty_end=status.end,
        warranty_rule=str(status.rule)[:300], is_warranty=is_warranty,
        warranty_override_reason=override_reason.strip() if is_warranty != status.is_covered else "",
    )
    subject_start(order, repair_start_state(), acting_user=acting_user)
    if assignee is not None:
        order.assignee = assignee
    elif center.auto_assign:
        from .selectors import assignee_suggestions

        booked = kind == RepairOrder.Kind.HOME and appointment_at is not None
        suggested = assignee_suggestions(order, user=acting_user, limit=20 if booked else 1,
                                         fault_code_ids=[code.pk for code, _note in faults if code])
        if booked:  # only someone free at the appointment; only the one chosen is locked and checked again
            from .schedule import home_visit_refusals

            suggested = [option for option in suggested if not home_visit_refusals(
                center=center, appointment_at=appointment_at, assignee=option.user, lock=False)][:1]
            if suggested and home_visit_refusals(center=center, appointment_at=appointment_at,
                                                 assignee=suggested[0].user):
                suggested = []  # booked by someone else a moment ago
        order.assignee = suggested[0].user if suggested else None
    # The order's row is written last, with its number; the rows that name it come first (issue 21).
    order.pk = document_pk_reserve(RepairOrder)
    subject_started(order, acting_user=acting_user)
    if order.assignee_id and assignee is not None:
        Referral.objects.create(order=order, to_user=assignee, from_center=center, to_center=center, by=acting_user,
                                reason=_("booked for the home visit"))
    elif order.assignee_id:
        reason = (_("assigned automatically: has the skills (%(skills)s), least loaded")
                  % {"skills": "، ".join(suggested[0].skills)} if suggested[0].skills
                  else _("assigned automatically: least loaded for this product group"))
        Referral.objects.create(order=order, to_user=order.assignee, from_center=center, to_center=center, by=acting_user,
                                reason=reason)
    for photo in photos:
        OrderPhoto.objects.create(order=order, image=photo, taken_by=acting_user)
    OrderFault.objects.bulk_create([
        OrderFault(order=order, fault_code=code, note=note, recorded_by=acting_user) for code, note in faults
        if code or note
    ])
    if unit is not None:
        # The unit's earlier repair handed back within the last 30 days has come back.
        for earlier in RepairOrder.objects.filter(
                unit=unit, handed_back_at__lt=order.received_at, has_come_back=False,
                handed_back_at__gte=order.received_at - datetime.timedelta(days=COME_BACK_DAYS),
        ).exclude(pk=order.pk):
            if RepairOrder.objects.filter(pk=earlier.pk, has_come_back=False).update(has_come_back=True):
                tally_change(snapshot(earlier), snapshot(earlier)._replace(has_come_back=True))
    order_announce(order, "reception_created", acting_user=acting_user)
    # Last, the rows every clerk of the center writes: its day's tally and its number sequence. Their
    # locks are held only from here to the commit, so concurrent receptions overlap all the rest
    # (issue 21); the number comes last, in the statement that inserts the order and its history row
    # (only the unit's event, which names it, follows), so numbers run in commit order with no gap.
    reported = {code.pk for code, _note in faults if code}
    if reported:  # nothing found yet: the order counts under the codes reported (the network's months)
        faults_change(order, set(), reported)
    tally_change(None, order)
    document_insert_numbered(order, scope=f"center:{center.pk}", document_type="repair", history_user=acting_user)
    if unit is not None and kind == RepairOrder.Kind.IN_CENTER:  # names the order by its number
        unit_event_record(unit=unit, kind=UnitEvent.Kind.RECEIVED_FOR_REPAIR, occurred_at=order.received_at,
                          acting_user=acting_user, reference=order.number, external_id=f"repair-{order.pk}")
    return order


def order_transition(*, order: RepairOrder, code: str, acting_user, comment: str = "", version: int | None = None):
    """Take a workflow step on an order (see ``workflow.engine.transition_take``); a step back from quality
    control marks the order reworked (counted by the reports)."""
    moved = transition_take(subject=order, code=code, acting_user=acting_user, comment=comment, version=version)
    if code in REWORK_STEPS and not moved.is_reworked:
        before = snapshot(moved)
        RepairOrder.objects.filter(pk=moved.pk).update(is_reworked=True)
        moved.is_reworked = True
        tally_change(before, moved)
    return moved


def order_flags_refresh(orders) -> None:
    """Recompute ``is_reworked`` and ``has_come_back`` of ``orders`` from their history (two UPDATEs), for
    records whose dates were written after the fact (the demo's history, an import of past repairs)."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Exists, OuterRef

    from aftersales.workflow.models import TransitionLog

    orders = RepairOrder.objects.filter(pk__in=orders.values("pk"))
    moves = TransitionLog.objects.filter(content_type=ContentType.objects.get_for_model(RepairOrder),
                                         object_id=OuterRef("pk"), transition__code__in=REWORK_STEPS)
    orders.update(is_reworked=Exists(moves))
    again = RepairOrder.objects.filter(
        unit=OuterRef("unit"), received_at__gt=OuterRef("handed_back_at"),
        received_at__lte=OuterRef("handed_back_at") + datetime.timedelta(days=COME_BACK_DAYS))
    orders.update(has_come_back=Exists(again))


@transaction.atomic
def order_hand_back(*, order: RepairOrder, handed_back_to: str, acting_user, version: int | None = None,
                    code: str = "hand_back") -> RepairOrder:
    """Hand the unit back after checking who takes it; twice at once, one wins (F17)."""
    if not handed_back_to.strip():
        raise ValidationError({"handed_back_to": _("Write who took the unit and the ID you checked.")})
    locked = RepairOrder.objects.select_for_update().get(pk=order.pk)
    if version is not None and locked.version != version:
        raise ValidationError(_("Someone else moved this record a moment ago; it is now «%(state)s». Reload and try again.")
                              % {"state": locked.state.name})
    before = snapshot(locked)
    locked.handed_back_to, locked.handed_back_at = handed_back_to.strip(), timezone.now()
    locked.save(update_fields=["handed_back_to", "handed_back_at"])
    tally_change(before, locked)
    moved = transition_take(subject=locked, code=code, acting_user=acting_user, version=locked.version)
    if moved.unit_id:
        unit_event_record(unit=moved.unit, kind=UnitEvent.Kind.RETURNED, occurred_at=moved.handed_back_at,
                          acting_user=acting_user, reference=moved.number, external_id=f"repair-{moved.pk}-back")
    return moved


@transaction.atomic
def estimate_set(*, order: RepairOrder, amount: int, acting_user) -> RepairOrder:
    """Put a single-amount cost estimate (VAT included) to the customer; they answer on the tracking page
    or by phone. Estimates of lines: ``estimates.estimate_lines_set``."""
    from .estimates import estimate_amount_set

    return estimate_amount_set(order=order, amount=amount, acting_user=acting_user)


@transaction.atomic
def estimate_answer(*, order: RepairOrder, approve: bool, channel: str, acting_user=None) -> RepairOrder:
    """The customer approves or refuses the estimate (on the tracking page, or by phone as logged by staff)."""
    locked = RepairOrder.objects.select_for_update().get(pk=order.pk)
    if locked.estimate_status != RepairOrder.Estimate.PENDING:
        raise ValidationError(_("There is no estimate waiting for an answer."))
    locked.estimate_status = RepairOrder.Estimate.APPROVED if approve else RepairOrder.Estimate.REFUSED
    locked.estimate_answered_at = timezone.now()
    if approve:
        from .estimates import estimate_approved

        estimate_approved(locked)  # the promise billing keeps to
    locked._history_user = acting_user
    locked._change_reason = f"estimate {'approved' if approve else 'refused'} by {channel}"
    locked.save()
    subject_note(locked, by=acting_user, data={"estimate": channel},
                 comment=_("The customer approved the estimate.") if approve else _("The customer refused the estimate."))
    return locked


@transaction.atomic
def estimate_answer_seen(*, order: RepairOrder, acting_user) -> RepairOrder:
    """Note that staff saw the customer's answer to the estimate: it leaves the cartables' "answered" flag.

    Refuses when there is no answer to see. Any later step on the order clears the flag as well.
    """
    locked = RepairOrder.objects.select_for_update().get(pk=order.pk)
    if locked.estimate_status not in (RepairOrder.Estimate.APPROVED, RepairOrder.Estimate.REFUSED):
        raise ValidationError(_("The customer has not answered the estimate."))
    subject_note(locked, by=acting_user, data={"estimate_seen": locked.estimate_status},
                 comment=_("Saw the customer's answer to the estimate."))
    return locked


@transaction.atomic
def order_refer(*, order: RepairOrder, acting_user, reason: str, to_user=None, to_center=None,
                to_team=None) -> Referral:
    """Hand the order to a technician, a team or another center, with the reason (F13 referral, F18).

    A team's order waits in every member's cartable until one of them is assigned; a referral to
    another center moves the order there (its staff see it, the first center no longer does).
    """
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the referral.")})
    if to_user is None and to_center is None and to_team is None:
        raise ValidationError(_("Choose a person, a team or a center to refer to."))
    locked = RepairOrder.objects.select_for_update().get(pk=order.pk)  # no join: see transition_take
    if locked.state.is_final:
        raise ValidationError(_("A closed order cannot be referred."))
    target_center = to_center or (to_team.center if to_team is not None else locked.center)
    if to_team is not None and to_team.center_id != target_center.pk:
        raise ValidationError({"to_team": _("%(team)s is a team of %(center)s.") % {"team": to_team, "center": to_team.center}})
    if to_user is not None and not to_user.centers.filter(pk=target_center.pk).exists():
        raise ValidationError({"to_user": _("%(user)s does not work at %(center)s.") % {"user": to_user, "center": target_center}})
    referral = Referral.objects.create(order=locked, from_user=locked.assignee, to_user=to_user, to_team=to_team,
                                       from_center=locked.center, to_center=target_center, reason=reason.strip(),
                                       by=acting_user)
    if to_team is not None or target_center != locked.center:
        locked.team = to_team
    if target_center != locked.center and locked.unit_id and locked.kind == RepairOrder.Kind.IN_CENTER:
        # The unit itself travels: its movement history shows where it went and why.
        unit_event_record(unit=locked.unit, kind=UnitEvent.Kind.TRANSFERRED, occurred_at=timezone.now(),
                          acting_user=acting_user, reference=locked.number,
                          details={"from_center": locked.center.code, "to_center": target_center.code,
                                   "reason": reason.strip()})
    before = snapshot(locked)
    locked.center, locked.assignee = target_center, to_user
    locked.version += 1
    locked._history_user = acting_user
    locked.save()
    tally_change(before, locked)
    state_months_move(locked, before.center_id)
    subject_note(locked, by=acting_user, comment=reason.strip(),
                 data={"referral": {"to_user": str(to_user or ""), "to_team": str(to_team or ""),
                                    "to_center": target_center.name}})
    return referral


def order_assign_by_step(order: RepairOrder, transition, params: dict, acting_user) -> None:
    """Workflow action ``assign``: the one who takes the step, the receiver of the unit, or nobody
    (back to the team's queue); kept as a referral with the step's name as its reason."""
    target = {"acting_user": acting_user, "received_by": order.received_by, "nobody": None}.get(params.get("to"), order.assignee)
    if target == order.assignee:
        return
    Referral.objects.create(order=order, from_user=order.assignee, to_user=target, from_center=order.center,
                            to_center=order.center, reason=transition.name, by=acting_user)
    order.assignee = target
    order.save(update_fields=["assignee"])


@transaction.atomic
def order_take(*, order: RepairOrder, acting_user) -> RepairOrder:
    """Take an unassigned order from the pool: assign it to oneself, kept as a referral (F18).

    The pool of a technician (or center manager) is the open, unassigned orders of their centers
    that belong to no team or to a team they are in. Refuses (code "taken") an order someone took a
    moment ago, and (code "pool") an order outside the user's pool or a role that does not repair.
    """
    from aftersales.organization.roles import Role

    locked = RepairOrder.objects.select_for_update().get(pk=order.pk)  # no join: see transition_take
    if locked.assignee_id is not None:
        raise ValidationError(_("%(user)s took this order a moment ago.") % {"user": locked.assignee}, code="taken")
    roles = set(acting_user.groups.values_list("name", flat=True))
    if (locked.state.is_final or not (roles & {Role.TECHNICIAN, Role.CENTER_MANAGER})
            or not acting_user.centers.filter(pk=locked.center_id).exists()
            or (locked.team_id and not acting_user.teams.filter(pk=locked.team_id).exists())):
        raise ValidationError(_("This order is not in your pool."), code="pool")
    Referral.objects.create(order=locked, to_user=acting_user, from_center=locked.center, to_center=locked.center,
                            by=acting_user, reason=_("taken from the pool"))
    locked.assignee = acting_user
    locked._history_user = acting_user
    locked.save(update_fields=["assignee"])
    return locked


@transaction.atomic
def fault_add(*, order: RepairOrder, acting_user, fault_code=None, note: str = "",
              source: str = OrderFault.Source.FOUND) -> OrderFault:
    if fault_code is None and not note.strip():
        raise ValidationError(_("Choose a fault code or describe the fault."))
    before = counted_codes(order.pk) if fault_code is not None else None
    fault = OrderFault.objects.create(order=order, source=source, fault_code=fault_code, note=note.strip(),
                                      recorded_by=acting_user)
    if before is not None:
        faults_change(order, before)
    return fault


@transaction.atomic
def operation_add(*, order: RepairOrder, acting_user, service_item, minutes: int, note: str = "") -> Operation:
    if minutes is None or minutes < 0 or minutes > 24 * 60:
        raise ValidationError({"minutes": _("Time spent must be between 0 and 1,440 minutes.")})
    return Operation.objects.create(order=order, service_item=service_item, minutes=minutes, technician=acting_user,
                                    note=note.strip())


@transaction.atomic
def part_request(*, order: RepairOrder, acting_user, spare_part, quantity: int, note: str = "") -> PartLine:
    """Ask the warehouse for a part (issue 7 issues, prices and returns it)."""
    if quantity is None or quantity < 1 or quantity > 1000:
        raise ValidationError({"quantity": _("Quantity must be between 1 and 1,000.")})
    return PartLine.objects.create(order=order, spare_part=spare_part, quantity=quantity, note=note.strip(),
                                   requested_by=acting_user)
