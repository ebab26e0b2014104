from django import forms
from django.utils.translation import gettext_lazy as _

from aftersales.catalog.models import SparePart
from aftersales.core.forms import MoneyField, StyledFormMixin

from .models import Warehouse


class _WarehouseForm(StyledFormMixin, forms.Form):
    """A form whose ``warehouse`` is one of the user's (``warehouses``)."""

    def __init__(self, *args, warehouses=None, **kwargs):
        super().__init__(*args, **kwargs)
        if warehouses is not None:
            self.fields["warehouse"].queryset = warehouses


class ReceiptForm(_WarehouseForm):
    warehouse = forms.ModelChoiceField(label=_("warehouse"), queryset=Warehouse.objects.none())
    spare_part = forms.ModelChoiceField(label=_("spare part"), queryset=SparePart.objects.filter(is_active=True))
    quantity = forms.IntegerField(label=_("quantity"), min_value=1, max_value=100_000)
    unit_cost = MoneyField(label=_("unit cost"), min_value=0)
    reference = forms.CharField(label=_("reference (purchase or delivery number)"), max_length=80, required=False)


class TransferForm(_WarehouseForm):
    """Between the user's centers' warehouses; a transfer to another center is head office's (roles that
    span every center), so a center's staff never see the network's warehouses in a drop-down."""
    warehouse = forms.ModelChoiceField(label=_("from warehouse"), queryset=Warehouse.objects.none())
    target = forms.ModelChoiceField(label=_("to warehouse"),
                                    queryset=Warehouse.objects.filter(is_active=True).select_related("center"))
    spare_part = forms.ModelChoiceField(label=_("spare part"), queryset=SparePart.objects.filter(is_active=True))
    quantity = forms.IntegerField(label=_("quantity"), min_value=1, max_value=100_000)
    reason = forms.CharField(label=_("reason"), max_length=300, required=False)


class AdjustForm(_WarehouseForm):
    warehouse = forms.ModelChoiceField(label=_("warehouse"), queryset=Warehouse.objects.none())
    spare_part = forms.ModelChoiceField(label=_("spare part"), queryset=SparePart.objects.filter(is_active=True))
    counted = forms.IntegerField(label=_("counted quantity"), min_value=0, max_value=100_000)
    reason = forms.CharField(label=_("reason"), max_length=300)


class MinimumForm(_WarehouseForm):
    warehouse = forms.ModelChoiceField(label=_("warehouse"), queryset=Warehouse.objects.none())
    spare_part = forms.ModelChoiceField(label=_("spare part"), queryset=SparePart.objects.filter(is_active=True))
    minimum = forms.IntegerField(label=_("minimum level"), min_value=0, max_value=100_000)


class LevelFilterForm(_WarehouseForm):
    warehouse = forms.ModelChoiceField(label=_("warehouse"), queryset=Warehouse.objects.none(), required=False)
    q = forms.CharField(label=_("part"), required=False)
    short = forms.BooleanField(label=_("only below the minimum"), required=False)
