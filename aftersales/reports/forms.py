from django import forms
from django.utils.translation import gettext_lazy as _

from aftersales.core.forms import JalaliDateInput

from .filters import LABELS
from .models import Subscription
from .periods import Grain, Preset


class ReportFilterForm(forms.Form):
    """Draws the filters; ``filters.parse_filters`` checks them (the same rules as the API)."""

    period = forms.ChoiceField(label=_("period"), required=False, choices=[("", _("— dates below —")), *Preset.choices])
    # Named as the API's parameters: «from» is a Python keyword, so the fields are added below.
    center = forms.ChoiceField(label=_("service center"), required=False)
    province = forms.ChoiceField(label=_("province"), required=False)
    product_group = forms.ChoiceField(label=_("product group"), required=False)
    model = forms.ChoiceField(label=_("product model"), required=False)
    technician = forms.ChoiceField(label=_("technician"), required=False)
    marketer = forms.ChoiceField(label=_("marketer"), required=False)
    warranty = forms.ChoiceField(label=_("warranty"), required=False,
                                 choices=[("", _("all")), ("yes", _("under warranty")), ("no", _("paid"))])
    kind = forms.ChoiceField(label=_("kind of service"), required=False)
    group_by = forms.ChoiceField(label=_("group by"), required=False)

    def __init__(self, *args, user, report, **kwargs):
        super().__init__(*args, **kwargs)
        from aftersales.catalog.models import ProductGroup, ProductModel
        from aftersales.organization.models import ServiceCenter, User
        from aftersales.organization.roles import Role
        from aftersales.organization.scoping import center_ids, scope_queryset, spans_all_centers
        from aftersales.repairs.models import RepairOrder

        from .registry import DIMENSIONS

        MARKETERS = (Role.VISITOR, Role.MARKETING_MANAGER, Role.CALL_CENTER_AGENT)

        self.fields = {"from": forms.CharField(label=LABELS["from"], required=False, widget=JalaliDateInput()),
                       "to": forms.CharField(label=LABELS["to"], required=False, widget=JalaliDateInput()),
                       **self.fields}
        centers = scope_queryset(ServiceCenter.objects.filter(is_active=True), user).order_by("code")
        self.fields["center"].choices = [("", _("all my centers"))] + [(c.pk, str(c)) for c in centers]
        provinces = sorted(set(centers.values_list("province", flat=True)))
        self.fields["province"].choices = [("", _("all"))] + [(p, p) for p in provinces]
        self.fields["product_group"].choices = [("", _("all"))] + [
            (g.pk, str(g)) for g in ProductGroup.objects.filter(is_active=True).order_by("name")]
        self.fields["model"].choices = [("", _("all"))] + [
            (m.pk, str(m)) for m in ProductModel.objects.filter(is_active=True).order_by("name")[:500]]
        staff = User.objects.filter(is_active=True, groups__name=Role.TECHNICIAN)
        if not spans_all_centers(user):
            staff = staff.filter(centers__in=center_ids(user))
        self.fields["technician"].choices = [("", _("all"))] + [
            (u.pk, u.get_full_name() or u.username) for u in staff.distinct().order_by("last_name", "first_name")]
        if "marketer" in report.filters:
            marketers = User.objects.filter(is_active=True, groups__name__in=MARKETERS)
            if not spans_all_centers(user):
                marketers = marketers.filter(centers__in=center_ids(user))
            self.fields["marketer"].choices = [("", _("all"))] + [
                (u.pk, u.get_full_name() or u.username)
                for u in marketers.distinct().order_by("last_name", "first_name")]
        self.fields["kind"].choices = [("", _("all")), *RepairOrder.Kind.choices]
        self.fields["group_by"].choices = [*( [("", _("default"))] if not report.default_group_by else []),
                                           *Grain.choices, *[(d, DIMENSIONS[d]) for d in report.group_by]]
        for name in list(self.fields):
            if name not in ("from", "to", "period", "group_by") and name not in report.filters:
                del self.fields[name]
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-select form-select-sm"
                                          if isinstance(field, forms.ChoiceField) else "form-control form-control-sm")


class SaveFilterForm(forms.Form):
    name = forms.CharField(label=_("name of this filter"), max_length=120)
    is_shared = forms.BooleanField(label=_("share with everyone who may open this report"), required=False)


class SubscribeForm(forms.Form):
    email = forms.EmailField(label=_("e-mail"))
    frequency = forms.ChoiceField(label=_("how often"), choices=Subscription.Frequency.choices,
                                  widget=forms.Select(attrs={"class": "form-select form-select-sm mb-1"}))


class SendForm(forms.Form):
    email = forms.EmailField(label=_("e-mail"))
