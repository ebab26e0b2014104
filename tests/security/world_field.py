"""Center B's field marketing for the leak matrix: a plan with a target, a route with a place, a tour of B's
visitor with a day, a stop, a check-in and a visit expense (with a receipt photo)."""

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone


def build_field(w, customer, add, marks) -> None:
    from aftersales.field.models import (CheckIn, Place, Route, Target, TargetPlan, Tour, TourDay, TourStop,
                                         VisitExpense)

    visitor = w.users_b["visitor"]
    today = timezone.localdate()
    plan = add(w, TargetPlan.objects.create(name="LeakbPlan", center=w.center_b, start_date=today,
                                            end_date=today + datetime.timedelta(days=30)))
    add(w, Target.objects.create(plan=plan, metric=Target.Metric.SALES_AMOUNT, marketer=visitor, value=7_319_011))
    route = add(w, Route.objects.create(name="LeakbRoute", center=w.center_b))
    place = add(w, Place.objects.create(customer=customer, center=w.center_b, name="LeakbPlace", latitude="35.7",
                                        longitude="51.4", route=route))
    tour = add(w, Tour.objects.create(name="LeakbTour", center=w.center_b, marketer=visitor, start_date=today,
                                      end_date=today))
    day = add(w, TourDay.objects.create(tour=tour, date=today))
    stop = add(w, TourStop.objects.create(day=day, customer=customer, place=place, order=1, typed_order=1))
    add(w, CheckIn.objects.create(stop=stop, user=visitor, at=timezone.now(), latitude="35.7", longitude="51.4",
                                  submission_key="leakb-checkin"))
    expense = VisitExpense(center=w.center_b, marketer=visitor, tour=tour, stop=stop, spent_on=today,
                           kind=VisitExpense.Kind.MEAL, amount=7_319_013, description="LeakbExpenseNote")
    expense.receipt.save("leakb-receipt.png", ContentFile(_PNG), save=False)
    expense.save()
    add(w, expense)
    marks(w, plan_b="LeakbPlan", route_b="LeakbRoute", place_b="LeakbPlace", tour_b="LeakbTour",
          expense_b="LeakbExpenseNote")


# The smallest valid PNG (1×1 pixel): the receipt's photo.
_PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                     "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082")
