"""Forms of places, routes and tours (F48, F47, F02)."""

import secrets

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from aftersales.core.filters import ModelChoiceField
from aftersales.core.forms import DecimalNumberField, IntegerNumberField, JalaliDateField, StyledFormMixin
from aftersales.crm.models import Party, PartyType
from aftersales.customers.models import Customer
from aftersales.organization.models import ServiceCenter
from aftersales.organization.scoping import scope_queryset
from aftersales.regions.models import SalesTerritory
from aftersales.workflow.models import State

from .models import Place, Route

_LTR_NUMBER = {"dir": "ltr", "inputmode": "decimal"}


def _time_field(label, **kwargs):
    return forms.TimeField(label=label, widget=forms.TimeInput(attrs={"type": "time", "dir": "ltr"},
                                                               format="%H:%M"), **kwargs)


def _coordinate_field(label, low, high, **kwargs):
    return DecimalNumberField(label=label, required=False, min_value=low, max_value=high, max_digits=9,
                              decimal_places=6, widget=forms.TextInput(attrs=_LTR_NUMBER), **kwargs)


def _centers(user):
    return scope_queryset(ServiceCenter.objects.filter(is_active=True), user)


class _Coordinates:
    """Both coordinates or neither."""

    pair = ("latitude", "longitude")

    def _pair_check(self, data):
        lat, lon = (data.get(name) for name in self.pair)
        if (lat is None) != (lon is None) and not any(name in self.errors for name in self.pair):
            self.add_error(self.pair[1] if lon is None else self.pair[0],
                           _("Give both the latitude and the longitude, or neither."))


class PlaceForm(_Coordinates, StyledFormMixin, forms.Form):
    customer = ModelChoiceField(label=_("party number"), queryset=Customer.objects.filter(merged_into__isnull=True),
                                widget=forms.TextInput(attrs={"dir": "ltr", "inputmode": "numeric"}),
                                help_text=_("The number of the customer or lead visited here."))
    center = ModelChoiceField(label=_("team"), queryset=ServiceCenter.objects.none())
    name = forms.CharField(label=_("name"), max_length=150, required=False,
                           help_text=_("A branch or shop name when the party has several places."))
    latitude = _coordinate_field(_("latitude"), -90, 90, help_text=_("In degrees, such as 35.6892."))
    longitude = _coordinate_field(_("longitude"), -180, 180, help_text=_("In degrees, such as 51.3890."))
    position_source = forms.ChoiceField(label=_("position from"), choices=[("", "—"), *Place.Source.choices],
                                        required=False, widget=forms.HiddenInput)
    opens_at = _time_field(_("opens at"), required=False)
    closes_at = _time_field(_("closes at"), required=False)
    visit_minutes = IntegerNumberField(label=_("minutes a visit takes"), min_value=1, max_value=480, initial=20)
    route = ModelChoiceField(label=_("route"), queryset=Route.objects.none(), required=False)

    def __init__(self, *args, user=None, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            self.fields["center"].queryset = _centers(user)
            self.fields["route"].queryset = scope_queryset(Route.objects.filter(is_active=True), user)
            if not self.is_bound:
                self.initial.setdefault("center", user.centers.filter(is_active=True).order_by("pk").first())
        if editing:
            del self.fields["customer"], self.fields["center"]

    def clean(self):
        data = super().clean()
        self._pair_check(data)
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if (opens is None) != (closes is None) and "opens_at" not in self.errors and "closes_at" not in self.errors:
            self.add_error("closes_at" if closes is None else "opens_at",
                           _("Give both the opening and the closing time, or neither."))
        elif opens is not None and closes is not None and closes <= opens:
            self.add_error("closes_at", _("The place closes before it opens."))
        return data


class RouteForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("name"), max_length=120)
    center = ModelChoiceField(label=_("team"), queryset=ServiceCenter.objects.none())
    territory = ModelChoiceField(label=_("sales territory"), queryset=SalesTerritory.objects.filter(is_active=True),
                                 required=False)
    is_active = forms.BooleanField(label=_("active"), required=False, initial=True)

    def __init__(self, *args, user=None, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            self.fields["center"].queryset = _centers(user)
            if not self.is_bound:
                self.initial.setdefault("center", user.centers.filter(is_active=True).order_by("pk").first())
        if editing:
            del self.fields["center"]


class RoutePlaceForm(StyledFormMixin, forms.Form):
    place = ModelChoiceField(label=_("place"), queryset=Place.objects.none())

    def __init__(self, *args, route=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if route is not None and user is not None:
            self.fields["place"].queryset = scope_queryset(
                Place.objects.filter(center=route.center_id).exclude(route=route).select_related("customer"), user)


class TourForm(_Coordinates, StyledFormMixin, forms.Form):
    pair = ("start_latitude", "start_longitude")

    name = forms.CharField(label=_("name"), max_length=150)
    center = ModelChoiceField(label=_("team"), queryset=ServiceCenter.objects.none())
    marketer = ModelChoiceField(label=_("marketer"), queryset=get_user_model().objects.none())
    start_date = JalaliDateField(label=_("from"))
    end_date = JalaliDateField(label=_("to"))
    day_starts_at = _time_field(_("working day starts"), initial="08:00")
    day_ends_at = _time_field(_("working day ends"), initial="17:00")
    start_latitude = _coordinate_field(_("start point's latitude"), -90, 90,
                                       help_text=_("Where each day starts: the office or the marketer's home."))
    start_longitude = _coordinate_field(_("start point's longitude"), -180, 180)
    submission_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user=None, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            from .selectors_tours import marketers_for

            self.fields["center"].queryset = _centers(user)
            self.fields["marketer"].queryset = marketers_for(user)
            self.fields["marketer"].label_from_instance = lambda person: person.get_full_name() or person.username
            if not self.is_bound:
                self.initial.setdefault("center", user.centers.filter(is_active=True).order_by("pk").first())
        if editing:
            del self.fields["center"], self.fields["submission_key"]
        else:
            del self.fields["version"]
            if not self.is_bound:
                self.initial.setdefault("submission_key", secrets.token_urlsafe(16))

    def clean(self):
        data = super().clean()
        self._pair_check(data)
        if data.get("start_date") and data.get("end_date") and data["end_date"] < data["start_date"]:
            self.add_error("end_date", _("The tour cannot end before it starts."))
        starts, ends = data.get("day_starts_at"), data.get("day_ends_at")
        if starts is not None and ends is not None and ends <= starts:
            self.add_error("day_ends_at", _("The working day must end after it starts."))
        return data


class AddStopsForm(StyledFormMixin, forms.Form):
    """Stops for one day: picked parties (numbers), a route's places, or a filter of the CRM's parties."""

    SOURCES = [("parties", _("the parties typed")), ("route", _("a route's places")),
               ("filter", _("the CRM's parties matching a filter"))]

    date = JalaliDateField(label=_("day"))
    source = forms.ChoiceField(label=_("add"), choices=SOURCES, initial="filter")
    parties = forms.CharField(label=_("party numbers"), required=False,
                              widget=forms.TextInput(attrs={"dir": "ltr"}),
                              help_text=_("Numbers separated by commas or spaces."))
    route = ModelChoiceField(label=_("route"), queryset=Route.objects.none(), required=False)
    state = ModelChoiceField(label=_("stage"), queryset=State.objects.none(), required=False)
    rating = forms.ChoiceField(label=_("rating"), choices=[("", _("all")), *Party.Rating.choices], required=False)
    stale_days = IntegerNumberField(label=_("no contact for (days)"), min_value=0, max_value=3650, required=False)
    appointments = forms.BooleanField(label=_("with a visit booked in the tour's dates"), required=False)
    mine = forms.BooleanField(label=_("only the marketer's own parties"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, tour=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if tour is not None and user is not None:
            self.fields["route"].queryset = scope_queryset(Route.objects.filter(center=tour.center_id,
                                                                                is_active=True), user)
            self.fields["state"].queryset = State.objects.filter(
                workflow__in=PartyType.objects.values("workflow")).select_related("workflow").order_by(
                "workflow__name", "order", "pk")
            self.fields["state"].label_from_instance = lambda state: f"{state.workflow.name} · {state.name}"
            if not self.is_bound:
                self.initial.setdefault("version", tour.version)
                self.initial.setdefault("date", max(tour.start_date, min(tour.end_date, _today())))

    def clean(self):
        data = super().clean()
        source = data.get("source")
        if source == "route" and not data.get("route"):
            self.add_error("route", _("Choose the route."))
        if source == "parties":
            from aftersales.core.persian import to_ascii_digits

            text = to_ascii_digits(data.get("parties") or "").replace("،", ",").replace(",", " ")
            numbers = [word for word in text.split() if word]
            if not numbers or not all(word.isdigit() and len(word) < 12 for word in numbers):
                self.add_error("parties", _("Type the parties' numbers, separated by commas or spaces."))
            else:
                found = {customer.pk: customer for customer in Customer.objects.filter(
                    pk__in=[int(word) for word in numbers], merged_into__isnull=True)}
                missing = [word for word in numbers if int(word) not in found]
                if missing:
                    self.add_error("parties", _("No party has the number %(number)s.") % {"number": missing[0]})
                else:
                    data["customers"] = [found[int(word)] for word in numbers]
        return data


def _today():
    from django.utils import timezone

    return timezone.localdate()


class StopMoveForm(forms.Form):
    position = IntegerNumberField(min_value=1, max_value=1000)
    version = forms.IntegerField(required=False)
