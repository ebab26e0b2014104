"""Forms of the documents part of sales: the proforma or invoice with its lines, receipts, credit notes, filters."""

from django import forms
from django.utils.translation import gettext_lazy as _

from aftersales.catalog.models import ProductModel
from aftersales.core.forms import JalaliDateField, MoneyField, StyledFormMixin
from aftersales.organization.models import ServiceCenter

from .models import Receipt

MAX_LINES = 30


class DocumentForm(StyledFormMixin, forms.Form):
    submission = forms.CharField(widget=forms.HiddenInput)
    center = forms.ModelChoiceField(label=_("selling office"), queryset=ServiceCenter.objects.all())
    valid_until = JalaliDateField(label=_("valid until"), required=False)
    discount = MoneyField(label=_("discount"), required=False, min_value=0)
    note = forms.CharField(label=_("note"), max_length=300, required=False)

    def __init__(self, *args, proforma: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if proforma:
            self.fields["valid_until"].required = True
        else:
            del self.fields["valid_until"]


class LineForm(StyledFormMixin, forms.Form):
    product_model = forms.ModelChoiceField(label=_("product model"), required=False,
                                           queryset=ProductModel.objects.order_by("name"))
    quantity = forms.IntegerField(label=_("quantity"), required=False, min_value=1, max_value=100_000)
    discount = MoneyField(label=_("discount"), required=False, min_value=0)
    unit_price = MoneyField(label=_("unit price (only for a model without a list price)"), required=False,
                            min_value=1)

    def clean(self):
        data = super().clean()
        if data.get("product_model") and not data.get("quantity"):
            self.add_error("quantity", _("Enter the quantity."))
        return data


LineFormSet = forms.formset_factory(LineForm, extra=4, max_num=MAX_LINES, validate_max=True)


def lines_of(formset) -> list[dict]:
    """The filled lines of a valid formset, as the services take them."""
    return [{"product_model": data["product_model"], "quantity": data["quantity"], "discount": data.get("discount") or 0,
             "unit_price": data.get("unit_price")}
            for data in formset.cleaned_data if data.get("product_model")]


class ReceiptForm(StyledFormMixin, forms.Form):
    submission = forms.CharField(widget=forms.HiddenInput)
    amount = MoneyField(label=_("amount"), min_value=1)
    method = forms.ChoiceField(label=_("method"), choices=[(value, label) for value, label in Receipt.Method.choices
                                                           if value != Receipt.Method.CHEQUE])
    received_on = JalaliDateField(label=_("received on"), required=False)
    reference = forms.CharField(label=_("reference (tracking number)"), max_length=60, required=False)


class VoidForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("void reason"), max_length=200)


class CreditForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("reason for the credit note"), max_length=300)

    def __init__(self, *args, lines=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = list(lines)
        for line in self.lines:
            self.fields[f"line_{line.pk}"] = forms.IntegerField(
                label=line.description, required=False, min_value=0, max_value=line.left,
                help_text=_("at most %(left)s") % {"left": line.left})

    def chosen(self) -> list[dict]:
        return [{"line": line, "quantity": self.cleaned_data.get(f"line_{line.pk}") or 0} for line in self.lines]


class DocumentFilterForm(StyledFormMixin, forms.Form):
    q = forms.CharField(label=_("search"), required=False)
    center = forms.ModelChoiceField(label=_("selling office"), queryset=ServiceCenter.objects.all(), required=False)
    start = JalaliDateField(label=_("From"), required=False)
    end = JalaliDateField(label=_("To"), required=False)


class ReceivablesFilterForm(StyledFormMixin, forms.Form):
    q = forms.CharField(label=_("search"), required=False)
    center = forms.ModelChoiceField(label=_("selling office"), queryset=ServiceCenter.objects.all(), required=False)
    overdue = forms.BooleanField(label=_("overdue only"), required=False)
    sort = forms.ChoiceField(label=_("sort by"), required=False, choices=[
        ("overdue", _("overdue")), ("owed", _("owed")), ("name", _("name"))])
