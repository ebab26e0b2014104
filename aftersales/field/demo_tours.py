"""Demo data of the tours part of field marketing, written through its services: places in Tehran for the demo
visitor's CRM parties (one without coordinates), a route of north Tehran's dealers, and a published tour of the
demo visitor covering today and the next days, today's eight stops ordered by the optimiser (the one without
coordinates placed last and flagged), so that the marketer's phone (``/field/today/``) has a day to walk.
"""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from aftersales.crm.models import Party

from .models import Place, Tour

TOUR_NAME = "تور بازدید نمایندگان شمال تهران"
#: Points in Tehran (latitude, longitude) and opening hours: shops along Valiasr, Shariati, Pasdaran, Jordan…
SPOTS = [
    ("شعبه ونک", 35.7575, 51.4098, (9, 0), (20, 0)),
    ("شعبه ولیعصر", 35.7331, 51.4108, (9, 30), (21, 0)),
    ("شعبه شریعتی", 35.7443, 51.4433, (9, 0), (20, 30)),
    ("شعبه پاسداران", 35.7697, 51.4707, (10, 0), (21, 0)),
    ("شعبه جردن", 35.7704, 51.4191, (9, 0), (19, 0)),
    ("شعبه میرداماد", 35.7602, 51.4313, (9, 0), (20, 0)),
    ("شعبه تجریش", 35.8048, 51.4347, (10, 0), (22, 0)),
    ("شعبه سعادت‌آباد", 35.7824, 51.3747, (9, 30), (20, 0)),
    ("شعبه یوسف‌آباد", 35.7280, 51.4020, (9, 0), (18, 0)),
    ("شعبه نیاوران", 35.8123, 51.4680, (10, 0), (21, 0)),
    ("شعبه آرژانتین", 35.7370, 51.4190, (9, 0), (19, 30)),
]
#: The office the visitor starts from (Beheshti street).
START = (35.7310, 51.4260)
TODAY_STOPS = 8


def _people():
    users = {user.username: user for user in get_user_model().objects.filter(username__in=["visitor", "marketing"])}
    return users.get("visitor"), users.get("marketing")


def seed_tours(*, size: str, rng) -> str:
    """Write this part's demo records once; return a line for the console."""
    from . import services_tours as services

    visitor, manager = _people()
    if visitor is None or manager is None:
        return "no demo logins: skipped"
    center = visitor.centers.order_by("code").first()
    if center is None:
        return "the demo visitor has no center: skipped"
    if Tour.objects.filter(center=center, name=TOUR_NAME).exists():
        return "already present"
    parties = list(Party.objects.filter(center=center, marketer=visitor, status=Party.Status.ACTIVE)
                   .exclude(customer__merged_into__isnull=False).select_related("customer")
                   .order_by("customer_id")[:len(SPOTS) + 1])
    if len(parties) < TODAY_STOPS:
        return "the CRM's demo has too few parties of the visitor: skipped"
    spots = SPOTS[:len(parties) - 1]
    route = services.route_create(name="نمایندگان شمال تهران", center=center, acting_user=manager)
    places = []
    for party, (name, lat, lon, opens, closes) in zip(parties, spots, strict=False):
        places.append(services.place_create(
            customer=party.customer, center=center, acting_user=manager, name=name, latitude=lat, longitude=lon,
            position_source=Place.Source.MAP, opens_at=datetime.time(*opens), closes_at=datetime.time(*closes),
            visit_minutes=rng.choice([20, 25, 30]), route=route if len(places) < 6 else None))
    # A party whose place has no coordinates yet: planned all the same, placed last and flagged.
    unplaced = parties[len(spots)]
    unplaced_place = services.place_create(customer=unplaced.customer, center=center, acting_user=manager,
                                           name="دفتر مرکزی (نشانی دقیق ثبت نشده)")
    today = timezone.localdate()
    tour = services.tour_create(name=TOUR_NAME, center=center, marketer=visitor, start_date=today,
                                end_date=today + datetime.timedelta(days=4), start_latitude=START[0],
                                start_longitude=START[1], day_starts_at=datetime.time(8, 30),
                                day_ends_at=datetime.time(17, 30), acting_user=manager)
    # Today: seven places typed in a poor order (as they came to mind), and the one without coordinates.
    order = [index for index in (6, 1, 9, 4, 8, 3, 0, 2, 5, 7, 10) if index < len(places)]
    typed = [places[index] for index in order][:TODAY_STOPS - 1]
    customers = [place.customer for place in typed] + [unplaced.customer]
    services.tour_add_stops(tour=tour, date=today, customers=customers, acting_user=manager,
                            places={place.customer_id: place for place in [*typed, unplaced_place]})
    day = services.tour_day_optimise(tour=tour, date=today, acting_user=manager)
    # The next two days: the route's places, and the others.
    services.tour_add_stops(tour=tour, date=today + datetime.timedelta(days=1),
                            customers=[place.customer for place in places[:6]], acting_user=manager,
                            places={place.customer_id: place for place in places[:6]})
    services.tour_day_optimise(tour=tour, date=today + datetime.timedelta(days=1), acting_user=manager)
    rest = [place for place in places[6:] if place.has_position]
    if rest:
        services.tour_add_stops(tour=tour, date=today + datetime.timedelta(days=2),
                                customers=[place.customer for place in rest], acting_user=manager,
                                places={place.customer_id: place for place in rest})
    services.tour_publish(tour=tour, acting_user=manager)
    saved = ""
    if day.typed_distance_m:
        saved = f", {round(100 * (day.typed_distance_m - day.planned_distance_m) / day.typed_distance_m)}% shorter"
    return (f"{len(places) + 1} places, a route, a published tour of the visitor (today {day.stops.count()} stops "
            f"ordered: {day.planned_distance_m / 1000:.1f} km against {day.typed_distance_m / 1000:.1f} km typed"
            f"{saved})")
