"""Check-ins, visit outcomes and skipped stops from the marketer's phone (issue 18): a replay from the offline
queue stores once, a far check-in is flagged not refused, a place without coordinates takes the phone's, the
outcome lands in the CRM's contact log once."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.utils import timezone

from aftersales.field.models import CheckIn, Place, TourStop
from aftersales.field.services_visits import check_in_record, distance_m, stop_skip, visit_outcome_record
from aftersales.marketing.models import Contact
from tests.field.conftest_visits import *  # noqa: F401,F403
from tests.field.conftest_visits import POINTS, make_tour

pytestmark = pytest.mark.django_db


def _now():
    return timezone.now()


def test_haversine_distance_between_vanak_and_tajrish_is_about_five_and_a_half_kilometres():
    (lat1, lon1), (lat2, lon2) = POINTS[0], POINTS[1]
    assert 5_500 < distance_m(lat1, lon1, lat2, lon2) < 5_750
    assert distance_m(lat1, lon1, lat1, lon1) == 0


def test_a_check_in_at_the_place_records_time_position_and_distance_and_visits_the_stop(visitor_v, center_a):
    _tour, stops = make_tour(visitor_v, center_a)
    lat, lon = POINTS[0]
    check_in = check_in_record(stop=stops[0], acting_user=visitor_v, at=_now(), latitude=lat + Decimal("0.0001"),
                               longitude=lon, accuracy_m=12, submission_key="k1")
    assert check_in.distance_m is not None and check_in.distance_m < 20
    assert not check_in.is_far and check_in.accuracy_m == 12
    assert TourStop.objects.get(pk=stops[0].pk).status == TourStop.Status.VISITED


def test_a_replayed_check_in_returns_the_first_and_stores_one_row(visitor_v, center_a):
    _tour, stops = make_tour(visitor_v, center_a)
    first = check_in_record(stop=stops[0], acting_user=visitor_v, at=_now(), submission_key="queued-1")
    again = check_in_record(stop=stops[0], acting_user=visitor_v, at=_now(), submission_key="queued-1")
    assert again.pk == first.pk
    assert CheckIn.objects.filter(stop=stops[0]).count() == 1


def test_a_second_check_in_at_a_stop_under_another_key_returns_the_first(visitor_v, center_a):
    _tour, stops = make_tour(visitor_v, center_a)
    first = check_in_record(stop=stops[0], acting_user=visitor_v, at=_now(), submission_key="a")
    second = check_in_record(stop=stops[0], acting_user=visitor_v, at=_now(), submission_key="b")
    assert second.pk == first.pk and CheckIn.objects.count() == 1


def test_a_key_used_for_another_stop_is_refused(visitor_v, center_a):
    _tour, stops = make_tour(visitor_v, center_a)
    check_in_record(stop=stops[0], acting_user=visitor_v, at=_now(), submission_key="same")
    with pytest.raises(ValidationError) as error:
        check_in_record(stop=stops[1], acting_user=visitor_v, at=_now(), submission_key="same")
    assert "کلید" in " ".join(error.value.messages)
    assert CheckIn.objects.count() == 1


@override_settings(FIELD_CHECKIN_FAR_METRES=300)
def test_a_check_in_far_from_the_place_is_flagged_not_refused(visitor_v, center_a):
    _tour, stops = make_tour(visitor_v, center_a)
    lat, lon = POINTS[0]
    check_in = check_in_record(stop=stops[0], acting_user=visitor_v, at=_now(), latitude=lat + Decimal("0.01"),
                               longitude=lon, submission_key="far")
    assert check_in.is_far and 1_000 < check_in.distance_m < 1_200
    assert TourStop.objects.get(pk=stops[0].pk).status == TourStop.Status.VISITED


def test_a_place_without_coordinates_takes_the_phones_position(visitor_v, center_a):
    _tour, stops = make_tour(visitor_v, center_a, stops=1, positions=False)
    check_in = check_in_record(stop=stops[0], acting_user=visitor_v, at=_now(), latitude="35.7001234",
                               longitude="51.4004321", submission_key="p")
    place = Place.objects.get(pk=stops[0].place_id)
    assert (place.latitude, place.longitude) == (Decimal("35.700123"), Decimal("51.400432"))
    assert place.position_source == Place.Source.PHONE
    assert check_in.distance_m == 0 and not check_in.is_far


def test_a_check_in_without_a_position_is_kept_without_distance(visitor_v, center_a):
    _tour, stops = make_tour(visitor_v, center_a)
    check_in = check_in_record(stop=stops[0], acting_user=visitor_v, at=_now(), submission_key="nopos")
    assert check_in.latitude is None and check_in.distance_m is None and not check_in.is_far


def test_a_check_in_time_in_the_future_is_refused_in_persian(visitor_v, center_a):
    _tour, stops = make_tour(visitor_v, center_a)
    with pytest.raises(ValidationError) as error:
        check_in_record(stop=stops[0], acting_user=visitor_v, at=_now() + datetime.timedelta(hours=1),
                        submission_key="future")
    assert "آینده" in " ".join(error.value.message_dict["at"])
    assert not CheckIn.objects.exists()


def test_a_check_in_days_away_from_the_stops_day_is_refused(visitor_v, center_a):
    _tour, stops = make_tour(visitor_v, center_a)
    with pytest.raises(ValidationError) as error:
        check_in_record(stop=stops[0], acting_user=visitor_v, at=_now() - datetime.timedelta(days=3),
                        submission_key="old")
    assert "at" in error.value.message_dict


def test_a_check_in_sent_the_next_morning_from_the_queue_is_accepted(visitor_v, center_a):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    _tour, stops = make_tour(visitor_v, center_a, day=yesterday, stops=1)
    check_in = check_in_record(stop=stops[0], acting_user=visitor_v, at=_now() - datetime.timedelta(hours=20),
                               submission_key="late")
    assert check_in.pk


def test_only_the_tours_marketer_or_a_manager_checks_in(visitor_v, visitor_v2, field_manager, center_a):
    _tour, stops = make_tour(visitor_v, center_a)
    with pytest.raises(PermissionDenied):
        check_in_record(stop=stops[0], acting_user=visitor_v2, at=_now(), submission_key="x")
    assert check_in_record(stop=stops[0], acting_user=field_manager, at=_now(), submission_key="m").pk


def test_a_draft_tour_is_not_checked_in(visitor_v, center_a):
    _tour, stops = make_tour(visitor_v, center_a, status="draft")
    with pytest.raises(ValidationError):
        check_in_record(stop=stops[0], acting_user=visitor_v, at=_now(), submission_key="d")


def test_the_outcome_goes_into_the_contact_log_once_and_links_the_check_in(visitor_v, center_a):
    _tour, stops = make_tour(visitor_v, center_a)
    check_in = check_in_record(stop=stops[0], acting_user=visitor_v, at=_now(), submission_key="c")
    first = visit_outcome_record(stop=stops[0], acting_user=visitor_v, outcome="positive",
                                 notes="سفارش ۱۰ یخچال برای فصل تابستان", submission_key="o")
    again = visit_outcome_record(stop=stops[0], acting_user=visitor_v, outcome="positive",
                                 notes="سفارش ۱۰ یخچال برای فصل تابستان", submission_key="o")
    assert again.pk == first.pk
    contact = Contact.objects.get(customer=stops[0].customer)
    assert contact.kind == "visit" and contact.outcome == "positive" and contact.occurred_at == check_in.at
    assert CheckIn.objects.get(pk=check_in.pk).contact_id == contact.pk


def test_the_outcome_carries_the_scripts_answers(visitor_v, center_a):
    from aftersales.crm.models import Answer, Party, Script, ScriptQuestion

    _tour, stops = make_tour(visitor_v, center_a, stops=1)
    party = Party.objects.get(pk=stops[0].customer_id)
    script = Script.objects.create(title="نیازسنجی", topic="بازدید", stage=party.state)
    question = ScriptQuestion.objects.create(script=script, text="چند شعبه دارید؟", kind="number", order=0)
    check_in_record(stop=stops[0], acting_user=visitor_v, at=_now(), submission_key="c")
    contact = visit_outcome_record(stop=stops[0], acting_user=visitor_v, outcome="neutral", notes="",
                                   answers=[(question, "۳")], submission_key="o")
    assert Answer.objects.get(contact=contact).answer == "۳"
    assert "چند شعبه" in contact.notes


def test_an_outcome_before_the_check_in_is_refused(visitor_v, center_a):
    _tour, stops = make_tour(visitor_v, center_a)
    with pytest.raises(ValidationError) as error:
        visit_outcome_record(stop=stops[0], acting_user=visitor_v, outcome="positive", notes="x", submission_key="o")
    assert "stop" in error.value.message_dict
    assert not Contact.objects.exists()


def test_a_second_outcome_under_another_key_is_refused_and_logs_nothing(visitor_v, center_a):
    _tour, stops = make_tour(visitor_v, center_a)
    check_in_record(stop=stops[0], acting_user=visitor_v, at=_now(), submission_key="c")
    visit_outcome_record(stop=stops[0], acting_user=visitor_v, outcome="positive", notes="اول", submission_key="o1")
    with pytest.raises(ValidationError):
        visit_outcome_record(stop=stops[0], acting_user=visitor_v, outcome="positive", notes="دوم",
                             submission_key="o2")
    assert Contact.objects.filter(customer=stops[0].customer, kind="visit").count() == 1


def test_a_skipped_stop_keeps_its_reason_in_the_contact_log(visitor_v, center_a):
    _tour, stops = make_tour(visitor_v, center_a)
    stop = stop_skip(stop=stops[1], acting_user=visitor_v, reason="مغازه بسته بود")
    assert stop.status == TourStop.Status.SKIPPED
    assert "مغازه بسته بود" in Contact.objects.get(customer=stops[1].customer).notes


def test_a_visited_stop_is_not_skipped(visitor_v, center_a):
    _tour, stops = make_tour(visitor_v, center_a)
    check_in_record(stop=stops[0], acting_user=visitor_v, at=_now(), submission_key="c")
    with pytest.raises(ValidationError):
        stop_skip(stop=stops[0], acting_user=visitor_v)
