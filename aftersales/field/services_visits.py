"""The marketer's day on the phone: check-ins at tour stops, visit outcomes into the CRM's contact log, skipped
stops (F47, F56).

A phone on the road sends each check-in and outcome with its own key, at once or later from its offline queue;
the same key again returns what the first request wrote, so a replay never doubles a row.
"""

import datetime
import math
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.core.idempotency import caller_key, claimed_once, refuse_reuse
from aftersales.core.jalali import format_date
from aftersales.organization.scoping import check_center

from .models import CheckIn, Place, Tour, TourStop

#: How far ahead of the server's clock a phone's time may be (clocks drift) before a check-in is refused.
FUTURE_SLACK = datetime.timedelta(minutes=5)
EARTH_RADIUS_M = 6_371_000
SIX_PLACES = Decimal("0.000001")


def distance_m(lat1, lon1, lat2, lon2) -> int:
    """The great-circle (haversine) distance in metres between two points given in degrees."""
    phi1, phi2 = math.radians(float(lat1)), math.radians(float(lat2))
    d_phi = phi2 - phi1
    d_lambda = math.radians(float(lon2) - float(lon1))
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return round(2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a))))


def may_work_stop(stop: TourStop, user) -> bool:
    """True when ``user`` is the stop's marketer, or a manager of the tour's team (one who plans tours)."""
    tour = stop.day.tour
    if tour.marketer_id == user.pk:
        return True
    if not user.has_perm("field.change_tour"):
        return False
    try:
        check_center(user, tour.center_id)
    except PermissionDenied:
        return False
    return True


def _check_stop(stop: TourStop, user) -> None:
    """Refuse work on another's stop (PermissionDenied: not found for the caller) or on a tour not sent out."""
    if not may_work_stop(stop, user):
        raise PermissionDenied
    if stop.day.tour.status != Tour.Status.PUBLISHED:
        raise ValidationError({"stop": _("This tour is not sent to the marketer, or it is closed.")})


def _position(latitude, longitude, accuracy_m) -> tuple[Decimal | None, Decimal | None, int | None]:
    if (latitude is None) != (longitude is None):
        raise ValidationError({"latitude": _("Send both the latitude and the longitude, or neither.")})
    if latitude is None:
        return None, None, None
    try:
        lat = Decimal(str(latitude)).quantize(SIX_PLACES, rounding=ROUND_HALF_UP)
        lon = Decimal(str(longitude)).quantize(SIX_PLACES, rounding=ROUND_HALF_UP)
    except ArithmeticError:
        raise ValidationError({"latitude": _("The position is not a number.")}) from None
    errors = {}
    if not -90 <= lat <= 90:
        errors["latitude"] = _("A latitude is between -90 and 90 degrees.")
    if not -180 <= lon <= 180:
        errors["longitude"] = _("A longitude is between -180 and 180 degrees.")
    if accuracy_m is not None and not 0 <= int(accuracy_m) <= 1_000_000:
        errors["accuracy_m"] = _("The accuracy is a number of metres, 0 or more.")
    if errors:
        raise ValidationError(errors)
    return lat, lon, (int(accuracy_m) if accuracy_m is not None else None)


def _check_time(at: datetime.datetime, day: datetime.date) -> None:
    if timezone.is_naive(at):
        at = timezone.make_aware(at)
    if at > timezone.now() + FUTURE_SLACK:
        raise ValidationError({"at": _("The check-in's time is in the future; check the phone's clock.")})
    local_day = timezone.localtime(at).date()
    if abs((local_day - day).days) > 1:
        raise ValidationError({"at": _("The check-in's time (%(at)s) is not near this stop's day (%(day)s).")
                               % {"at": format_date(local_day), "day": format_date(day)}})


@claimed_once(CheckIn)
@transaction.atomic
def check_in_record(*, stop: TourStop, acting_user, at: datetime.datetime, latitude=None, longitude=None,
                    accuracy_m: int | None = None, submission_key: str | None = None) -> CheckIn:
    """Record the marketer's arrival at a stop at the phone's time ``at``, with the phone's position when given.

    Only the tour's marketer (or a manager of its team) checks in, on a tour sent to the marketer. A time
    more than a few minutes ahead of the server, or on a day other than the stop's (± 1), is refused. The
    distance from the place is stored; farther than ``FIELD_CHECKIN_FAR_METRES`` the check-in is flagged
    ``is_far``, never refused. A place without coordinates takes the phone's position. The stop becomes
    visited. The same key again (the offline queue's replay, a twin request) returns the first check-in; a
    stop already checked in returns its check-in. Implements F47 (the phone of F56).
    """
    key = caller_key(user=acting_user, key=submission_key)
    if key:
        existing = CheckIn.objects.filter(submission_key=key).first()
        if existing is not None:
            if existing.stop_id != stop.pk:
                refuse_reuse()
            return existing
    stop = TourStop.objects.select_for_update(of=("self",)).select_related("day__tour", "place").get(pk=stop.pk)
    _check_stop(stop, acting_user)
    _check_time(at, stop.day.date)
    lat, lon, accuracy = _position(latitude, longitude, accuracy_m)
    earlier = CheckIn.objects.filter(stop=stop).order_by("at", "pk").first()
    if earlier is not None:
        return earlier
    place, distance = stop.place, None
    if lat is not None:
        if place is None:
            place = Place(customer=stop.customer, center_id=stop.day.tour.center_id, latitude=lat, longitude=lon,
                          position_source=Place.Source.PHONE)
            place._history_user = acting_user
            place.save()
            stop.place = place
            distance = 0
        elif not place.has_position:
            place = Place.objects.select_for_update().get(pk=place.pk)
            place.latitude, place.longitude, place.position_source = lat, lon, Place.Source.PHONE
            place._history_user = acting_user
            place.save(update_fields=["latitude", "longitude", "position_source"])
            distance = 0
        else:
            distance = distance_m(place.latitude, place.longitude, lat, lon)
    check_in = CheckIn.objects.create(
        stop=stop, user=acting_user, at=at, latitude=lat, longitude=lon, accuracy_m=accuracy, distance_m=distance,
        is_far=distance is not None and distance > settings.FIELD_CHECKIN_FAR_METRES, submission_key=key)
    stop.status = TourStop.Status.VISITED
    stop.save(update_fields=["status", "place"])
    return check_in


@transaction.atomic
def visit_outcome_record(*, stop: TourStop, acting_user, outcome: str, notes: str, answers=None, next_step: str = "",
                         next_step_date: datetime.date | None = None, submission_key: str | None = None):
    """Log the visit's outcome into the CRM's contact log (kind «in person»), with the Q&A script's answers as
    ``(question or its text, answer)`` pairs, and link it to the stop's check-in.

    The stop must be checked in first. The same key again returns the contact already logged (through
    ``crm.services.contact_record_once``); a second outcome for one check-in under another key is refused.
    Implements F56 for the phone's visits.
    """
    from aftersales.crm.services import contact_record_once
    from aftersales.marketing.models import Contact

    stop = TourStop.objects.select_related("day__tour", "customer").get(pk=stop.pk)
    _check_stop(stop, acting_user)
    # The lock makes twin outcomes for one visit wait for each other: the second sees the first's contact.
    check_in = CheckIn.objects.select_for_update().filter(stop=stop).order_by("at", "pk").first()
    if check_in is None:
        raise ValidationError({"stop": _("Check in at this stop before recording the visit's outcome.")})
    if outcome and outcome not in Contact.Outcome.values:
        raise ValidationError({"outcome": _("Choose an outcome from the list.")})
    contact = contact_record_once(
        customer=stop.customer, acting_user=acting_user, submission_key=submission_key, kind=Contact.Kind.VISIT,
        notes=(notes or "").strip(), outcome=outcome or "", answers=list(answers or ()),
        next_step=(next_step or "").strip(), next_step_date=next_step_date, occurred_at=check_in.at)
    if check_in.contact_id and check_in.contact_id != contact.pk:
        raise ValidationError({"stop": _("The outcome of this visit is already recorded.")})
    if check_in.contact_id is None:
        check_in.contact = contact
        check_in.save(update_fields=["contact"])
    return contact


@transaction.atomic
def stop_skip(*, stop: TourStop, acting_user, reason: str = "") -> TourStop:
    """Mark a stop skipped (the shop was closed, no time left); a reason, when given, goes into the CRM's contact
    log as a note on the party. A visited stop is not skipped. Implements F47."""
    from aftersales.marketing.services import contact_log

    stop = TourStop.objects.select_for_update().select_related("day__tour", "customer").get(pk=stop.pk)
    _check_stop(stop, acting_user)
    if stop.status == TourStop.Status.VISITED:
        raise ValidationError({"stop": _("This stop is already visited.")})
    if stop.status == TourStop.Status.SKIPPED:
        return stop
    reason = (reason or "").strip()[:500]
    if reason:
        contact_log(customer=stop.customer, kind="note", acting_user=acting_user,
                    notes=_("Visit skipped: %(reason)s") % {"reason": reason})
    stop.status = TourStop.Status.SKIPPED
    stop.save(update_fields=["status"])
    return stop
