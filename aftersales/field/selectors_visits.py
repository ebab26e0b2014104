"""Reads of the marketer's day on the phone: today's stops, their check-ins and the scripts asked at a visit."""

import datetime

from django.db.models import Prefetch, QuerySet

from aftersales.organization.scoping import scope_queryset

from .models import CheckIn, Tour, TourStop


def day_stops(*, marketer, day: datetime.date) -> QuerySet:
    """The stops of ``marketer``'s tours sent to them for ``day``, in the planned order, with what the page shows
    (the party, its place and address, phones, check-ins)."""
    return (TourStop.objects.filter(day__date=day, day__tour__marketer=marketer,
                                    day__tour__status=Tour.Status.PUBLISHED)
            .select_related("customer", "place__address__region", "day__tour")
            .prefetch_related("customer__phones", "customer__addresses__region",
                              Prefetch("check_ins", queryset=CheckIn.objects.order_by("at", "pk")))
            .order_by("order", "pk"))


def stop_script(stop: TourStop):
    """The Q&A script for the party's stage (the first by topic and title), or None: a customer outside the CRM,
    or a stage without a script."""
    from aftersales.crm.models import Party, Script

    party = Party.objects.filter(pk=stop.customer_id).only("state_id").first()
    if party is None:
        return None
    return (Script.objects.filter(is_active=True, stage_id=party.state_id).prefetch_related("questions")
            .order_by("topic", "title", "pk").first())


def check_in_list(*, user, marketer: int | None = None, date: datetime.date | None = None,
                  is_far: bool | None = None) -> QuerySet:
    """Check-ins ``user`` may read, newest first: a manager's (view permission) of their centers, a marketer's
    own otherwise."""
    check_ins = CheckIn.objects.select_related("stop__customer", "stop__day__tour", "user")
    if user.has_perm("field.view_checkin"):
        check_ins = scope_queryset(check_ins, user)
    else:
        check_ins = check_ins.filter(user=user)
    if marketer:
        check_ins = check_ins.filter(stop__day__tour__marketer_id=marketer)
    if date:
        check_ins = check_ins.filter(stop__day__date=date)
    if is_far is not None:
        check_ins = check_ins.filter(is_far=is_far)
    return check_ins.order_by("-at", "-pk")
