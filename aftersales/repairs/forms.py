from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from aftersales.catalog.models import FaultCode, ProductModel, ServiceItem, SparePart
from aftersales.core.persian import format_number
from aftersales.core.forms import JalaliDateField, JalaliDateTimeField, MoneyField, StyledFormMixin
from aftersales.core.validators import validate_promised_date
from aftersales.customers.models import Customer
from aftersales.organization.models import ServiceCenter
from aftersales.personnel.models import Team
from aftersales.stock.models import Warehouse

from .models import EstimateLine, PartLine, RepairOrder, ServiceRequest


class MultiplePhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.ImageField):
    """Several photos at once (Django's documented pattern for multiple files)."""

    widget = MultiplePhotoInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultiplePhotoInput(attrs={"accept": "image/*", "capture": "environment"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else [data] if data else []
        if len(files) > MAX_PHOTOS:
            raise forms.ValidationError(_("At most %(count)s photos.") % {"count": MAX_PHOTOS})
        cleaned = []
        for item in files:
            if item.size > MAX_PHOTO_BYTES:
                raise forms.ValidationError(_("Each photo may be at most %(mb)s MB.") % {"mb": MAX_PHOTO_BYTES // 2**20})
            cleaned.append(super().clean(item, initial))
        return cleaned


MAX_PHOTOS, MAX_PHOTO_BYTES = 6, 8 * 2**20


class ReceptionForm(StyledFormMixin, forms.Form):
    center = forms.ModelChoiceField(label=_("service center"), queryset=ServiceCenter.objects.none())
    mobile = forms.CharField(label=_("customer's mobile"), max_length=20,
                             widget=forms.TextInput(attrs={"dir": "ltr", "inputmode": "tel", "autocomplete": "off",
                                                           "hx-get": "", "hx-trigger": "input changed delay:400ms, change",
                                                           "hx-target": "#customer-preview"}))
    customer_name = forms.CharField(label=_("customer's name"), max_length=200, required=False,
                                    help_text=_("For a new customer; a known mobile finds the customer."))
    national_code = Customer._meta.get_field("national_code").formfield(
        label=_("customer's national code"), required=False,
        widget=forms.TextInput(attrs={"dir": "ltr", "inputmode": "numeric", "autocomplete": "off"}),
        help_text=_("From the ID card: kept on a new customer, or added to a known one who has none."))
    # Any number of the unit (issue 20): the unit lookup finds it by serial, card, invoice, subscription….
    serial = forms.CharField(label=_("serial or card, invoice or subscription number"), max_length=40, required=False,
                             widget=forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off",
                                                           "hx-get": "", "hx-trigger": "input changed delay:400ms, change",
                                                           "hx-target": "#warranty-preview", "hx-include": "#id_unit",
                                                           "data-unit-number": ""}))
    # The unit chosen among those a number names (one invoice for three units).
    unit = forms.IntegerField(required=False, widget=forms.HiddenInput)
    product_model = forms.ModelChoiceField(label=_("product model (if the serial is unknown)"), required=False,
                                           queryset=ProductModel.objects.filter(is_active=True))
    kind = forms.ChoiceField(label=_("kind"), choices=RepairOrder.Kind.choices)
    description = forms.CharField(label=_("customer's description"), widget=forms.Textarea(attrs={"rows": 3}))
    fault_code = forms.ModelChoiceField(label=_("reported fault"), required=False, queryset=FaultCode.objects.all())
    accessories = forms.CharField(label=_("accessories handed over"), max_length=300, required=False)
    condition = forms.CharField(label=_("physical condition"), max_length=300, required=False)
    brought_by_name = forms.CharField(label=_("brought by (if not the customer)"), max_length=200, required=False)
    brought_by_mobile = RepairOrder._meta.get_field("brought_by_mobile").formfield(
        label=_("mobile of who brought it"), required=False,
        widget=forms.TextInput(attrs={"dir": "ltr", "inputmode": "tel", "autocomplete": "off"}))
    photos = PhotosField(label=_("photos of the unit"), required=False)
    promised_on = JalaliDateField(label=_("promised for"), required=False, validators=[validate_promised_date])
    address = forms.CharField(label=_("service address (home calls)"), max_length=500, required=False)
    appointment_at = JalaliDateTimeField(label=_("appointment (home calls)"), required=False)
    assignee = forms.ModelChoiceField(
        label=_("technician (home calls)"), required=False,
        queryset=get_user_model().objects.filter(is_active=True, staff_profile__does_home_service=True,
                                                 staff_profile__is_active=True).order_by("first_name", "last_name"),
        help_text=_("Optional: book the visit with a technician who is free then (see the home visits schedule)."))
    warranty_override = forms.ChoiceField(
        label=_("warranty"), required=False,
        choices=[("", _("as the warranty engine says")), ("yes", _("treat as warranty")), ("no", _("treat as non-warranty"))],
    )
    override_reason = forms.CharField(label=_("reason for overriding the warranty"), max_length=300, required=False)
    submission = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        from aftersales.organization.scoping import scope_queryset

        centers = scope_queryset(ServiceCenter.objects.filter(is_active=True), user)
        self.fields["center"].queryset = centers
        if centers.count() == 1:
            self.fields["center"].initial = centers.first()
        self.fields["serial"].widget.attrs["hx-get"] = "/repairs/reception/warranty/"
        self.fields["mobile"].widget.attrs["hx-get"] = "/repairs/reception/customer/"


class StepForm(forms.Form):
    code = forms.SlugField()
    version = forms.IntegerField()
    comment = forms.CharField(required=False, max_length=1000)


class EstimateForm(StyledFormMixin, forms.Form):
    estimate_amount = MoneyField(label=_("cost estimate"))


def estimate_catalog_choices(order) -> list[tuple[str, str]]:
    """The services of the order's product group and the parts that fit its model, to fill estimate lines."""
    model = order.product_model or (order.unit.product_model if order.unit_id else None)
    if model is None:
        return []
    services = [(f"service:{item.pk}", f"{item.title} · {format_number(item.labour_price)}")
                for item in ServiceItem.objects.filter(product_group_id=model.group_id, is_active=True).order_by("title")[:200]]
    parts = [(f"part:{part.pk}", f"{part.name} · {format_number(part.price)}")
             for part in SparePart.objects.filter(fits_models=model, is_active=True).order_by("name")[:200]]
    return [(_("Services"), services), (_("Spare parts"), parts)] if services or parts else []


class EstimateLineForm(StyledFormMixin, forms.Form):
    """One line of an estimate; a service or part from the list fills an empty description and price."""

    item = forms.ChoiceField(label=_("from the list"), required=False)
    kind = forms.ChoiceField(label=_("kind"), choices=EstimateLine.Kind.choices, required=False)
    description = forms.CharField(label=_("description"), max_length=300, required=False)
    quantity = forms.IntegerField(label=_("quantity"), min_value=1, max_value=1000, required=False, initial=1)
    unit_price = MoneyField(label=_("unit price"), required=False, min_value=0)

    def __init__(self, *args, catalog=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = [("", "—")] + list(catalog)

    def line(self) -> dict | None:
        """The line as ``estimates.estimate_lines_set`` takes it, or None for an empty row."""
        data = self.cleaned_data
        if not (data.get("item") or (data.get("description") or "").strip() or data.get("unit_price") is not None):
            return None
        kind, _sep, pk = (data.get("item") or "").partition(":")
        service_item = ServiceItem.objects.filter(pk=pk).first() if kind == "service" and pk.isdigit() else None
        spare_part = SparePart.objects.filter(pk=pk).first() if kind == "part" and pk.isdigit() else None
        return {"kind": data.get("kind") or (EstimateLine.Kind.PART if spare_part else EstimateLine.Kind.LABOUR),
                "description": data.get("description") or "", "quantity": data.get("quantity") or 1,
                "unit_price": data.get("unit_price"), "service_item": service_item, "spare_part": spare_part}


EstimateLineFormSet = forms.formset_factory(EstimateLineForm, extra=3, max_num=60, validate_max=True)


class EstimateOverrideForm(StyledFormMixin, forms.Form):
    amount = MoneyField(label=_("amount that may be invoiced (VAT included)"), min_value=1)
    reason = forms.CharField(label=_("reason"), max_length=300)


class HandBackForm(StyledFormMixin, forms.Form):
    handed_back_to = forms.CharField(label=_("handed back to (name and ID checked)"), max_length=200)
    version = forms.IntegerField(widget=forms.HiddenInput)
    code = forms.CharField(widget=forms.HiddenInput, initial="hand_back")


class FaultForm(StyledFormMixin, forms.Form):
    fault_code = forms.ModelChoiceField(label=_("fault found"), required=False, queryset=FaultCode.objects.all())
    note = forms.CharField(label=_("note"), max_length=300, required=False)


class OperationForm(StyledFormMixin, forms.Form):
    service_item = forms.ModelChoiceField(label=_("service"), queryset=ServiceItem.objects.all())
    minutes = forms.IntegerField(label=_("time spent (minutes)"), min_value=0, max_value=1440)
    note = forms.CharField(label=_("note"), max_length=300, required=False)


class PartForm(StyledFormMixin, forms.Form):
    """A part for an order: the active parts that fit the order's model, and those that fit any model."""

    takes_order = True
    spare_part = forms.ModelChoiceField(label=_("spare part"), queryset=SparePart.objects.filter(is_active=True))
    quantity = forms.IntegerField(label=_("quantity"), min_value=1, max_value=1000, initial=1)
    note = forms.CharField(label=_("note"), max_length=300, required=False)

    def __init__(self, *args, order=None, **kwargs):
        super().__init__(*args, **kwargs)
        if order is not None and order.product_model_id:
            from django.db.models import Q

            parts = self.fields["spare_part"].queryset
            self.fields["spare_part"].queryset = parts.filter(
                Q(fits_models=order.product_model_id) | Q(fits_models__isnull=True)).distinct().order_by("name")


class ReferForm(StyledFormMixin, forms.Form):
    """To a colleague or team of the user's centers, or to another center (with the permission)."""

    unscoped_fields = ("to_center",)
    to_user = forms.ModelChoiceField(label=_("to"), required=False, queryset=get_user_model().objects.filter(is_active=True))
    to_team = forms.ModelChoiceField(label=_("to team"), required=False, queryset=Team.objects.filter(is_active=True))
    to_center = forms.ModelChoiceField(label=_("to center"), required=False, queryset=ServiceCenter.objects.filter(is_active=True))
    reason = forms.CharField(label=_("reason"), max_length=300)


class PeriodForm(StyledFormMixin, forms.Form):
    start = JalaliDateField(label=_("From"), required=False)
    end = JalaliDateField(label=_("To"), required=False)


class PerformanceForm(PeriodForm):
    center = forms.ModelChoiceField(label=_("service center"), required=False,
                                    queryset=ServiceCenter.objects.filter(is_active=True),
                                    empty_label=format_lazy("{}: {}", _("service center"), _("all")))


class OrderFilterForm(PeriodForm):
    """The repair orders list's filters (also its Excel export's): a search, the state, kind, warranty,
    center (the user's) and the Jalali dates received."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    state = forms.ModelChoiceField(label=_("state"), required=False, queryset=None,
                                   empty_label=format_lazy("{}: {}", _("state"), _("all")))
    kind = forms.ChoiceField(label=_("kind"), required=False,
                             choices=[("", format_lazy("{}: {}", _("kind"), _("all"))), *RepairOrder.Kind.choices])
    warranty = forms.ChoiceField(label=_("warranty"), required=False,
                                 choices=[("", format_lazy("{}: {}", _("warranty"), _("all"))),
                                          ("yes", _("under warranty")), ("no", _("paid"))])
    center = forms.ModelChoiceField(label=_("service center"), required=False,
                                    queryset=ServiceCenter.objects.filter(is_active=True),
                                    empty_label=format_lazy("{}: {}", _("service center"), _("all")))

    def __init__(self, *args, **kwargs):
        from aftersales.workflow.models import State

        super().__init__(*args, **kwargs)
        self.fields["state"].queryset = State.objects.filter(workflow__code=settings.REPAIRS_WORKFLOW, is_active=True).order_by("order")


class PartIssueForm(StyledFormMixin, forms.Form):
    warehouse = forms.ModelChoiceField(label=_("warehouse"), queryset=Warehouse.objects.filter(is_active=True))
    quantity = forms.IntegerField(label=_("quantity"), min_value=1, max_value=1000)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class PartReturnForm(StyledFormMixin, forms.Form):
    quantity = forms.IntegerField(label=_("quantity returned"), min_value=1, max_value=1000)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class PartSerialsForm(StyledFormMixin, forms.Form):
    new_serial = forms.CharField(label=_("serial of the part fitted"), max_length=40, required=False)
    old_serial = forms.CharField(label=_("serial of the part removed"), max_length=40, required=False)
    fate = forms.ChoiceField(label=_("what became of the part removed"), choices=PartLine.Fate.choices)


class PartNoteForm(StyledFormMixin, forms.Form):
    note = forms.CharField(label=_("note"), max_length=300, required=False)


class ScheduleFilterForm(StyledFormMixin, forms.Form):
    """The home visits schedule's filters: day or week, the Jalali date, the center (the user's) and a technician."""

    view = forms.ChoiceField(label=_("view"), required=False, choices=[("day", _("day")), ("week", _("week"))])
    date = JalaliDateField(label=_("date"), required=False)
    center = forms.ModelChoiceField(label=_("service center"), required=False, queryset=ServiceCenter.objects.none(),
                                    empty_label=None)
    technician = forms.ModelChoiceField(label=_("technician"), required=False,
                                        queryset=get_user_model().objects.none(),
                                        empty_label=format_lazy("{}: {}", _("technician"), _("all")))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        from aftersales.organization.scoping import scope_queryset

        centers = scope_queryset(ServiceCenter.objects.filter(is_active=True), user).order_by("code")
        self.fields["center"].queryset = centers
        self.fields["technician"].queryset = get_user_model().objects.filter(
            is_active=True, staff_profile__does_home_service=True, staff_profile__is_active=True,
            staff_profile__center__in=centers).order_by("first_name", "last_name")


class ServiceRequestConfirmForm(StyledFormMixin, forms.Form):
    """What the receptionist sets when confirming a customer's request into an order (issue 22): the kind
    and description as the customer gave them (correctable), a promised date and, for a home visit, the
    appointment and the technician, as at the reception desk."""

    kind = forms.ChoiceField(label=_("kind"), choices=ServiceRequest.KINDS)
    description = forms.CharField(label=_("customer's description"), widget=forms.Textarea(attrs={"rows": 3}))
    promised_on = JalaliDateField(label=_("promised for"), required=False, validators=[validate_promised_date])
    appointment_at = JalaliDateTimeField(label=_("appointment (home visits)"), required=False)
    assignee = forms.ModelChoiceField(
        label=_("technician (home visits)"), required=False, queryset=get_user_model().objects.none(),
        help_text=_("Optional: book the visit with a technician who is free then (see the home visits schedule)."))

    def __init__(self, *args, service_request=None, **kwargs):
        if service_request is not None:
            kwargs.setdefault("initial", {"kind": service_request.kind, "description": service_request.description})
        super().__init__(*args, **kwargs)
        if service_request is not None:
            self.fields["assignee"].queryset = get_user_model().objects.filter(
                is_active=True, staff_profile__does_home_service=True, staff_profile__is_active=True,
                centers=service_request.center_id).order_by("first_name", "last_name")


class ServiceRequestDeclineForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("reason (sent to the customer by SMS)"), max_length=300,
                             widget=forms.Textarea(attrs={"rows": 2}))
