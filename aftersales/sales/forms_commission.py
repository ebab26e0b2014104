"""Forms of the agents' network and commission (F42): an agent, its move, a rule, the Jalali period."""

import jdatetime
from django import forms
from django.utils.translation import gettext_lazy as _

from aftersales.catalog.models import ProductGroup
from aftersales.core.filters import ModelChoiceField
from aftersales.core.forms import DecimalNumberField, IntegerNumberField, JalaliDateField, MoneyField, StyledFormMixin
from aftersales.customers.models import Customer
from aftersales.organization.models import ServiceCenter

from .models import Agent, CommissionRule

MONTHS = [(number, name) for number, name in enumerate(jdatetime.date.j_months_fa, start=1)]


def _agent_label(agent: Agent) -> str:
    return f"{'— ' * (agent.level - 1)}{agent.code} · {agent.customer}"


class AgentForm(StyledFormMixin, forms.Form):
    customer = ModelChoiceField(label=_("party number"), queryset=Customer.objects.filter(merged_into__isnull=True),
                                widget=forms.TextInput(attrs={"dir": "ltr", "inputmode": "numeric"}),
                                help_text=_("The number of the customer (party) who becomes the agent."))
    code = forms.CharField(label=_("agent code"), max_length=30)
    center = ModelChoiceField(label=_("managing office"), queryset=ServiceCenter.objects.filter(is_active=True))
    parent = ModelChoiceField(label=_("parent agent"), required=False, empty_label=_("none (a root agent)"),
                              queryset=Agent.objects.filter(is_active=True).select_related("customer"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].label_from_instance = _agent_label


class AgentMoveForm(StyledFormMixin, forms.Form):
    parent = ModelChoiceField(label=_("new parent agent"), required=False, empty_label=_("none (a root agent)"),
                              queryset=Agent.objects.filter(is_active=True).select_related("customer"))

    def __init__(self, *args, agent: Agent, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = self.fields["parent"].queryset.exclude(path__startswith=agent.path)
        self.fields["parent"].label_from_instance = _agent_label


class RuleForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=CommissionRule.Kind.choices)
    level = IntegerNumberField(label=_("agent level"), min_value=1, max_value=9)
    product_group = ModelChoiceField(label=_("product group"), required=False, empty_label=_("every group"),
                                     queryset=ProductGroup.objects.all())
    tier_from = MoneyField(label=_("from sales of"), min_value=0, initial=0,
                           help_text=_("The least the agent's sales of the month (its sub-tree's, for an "
                                       "override) must reach."))
    rate = DecimalNumberField(label=_("rate %"), min_value=0, max_value=100, max_digits=5, decimal_places=2)
    valid_from = JalaliDateField(label=_("valid from"))
    valid_to = JalaliDateField(label=_("valid to"), required=False, help_text=_("Empty: until further notice."))

    @staticmethod
    def initial_for(rule: CommissionRule) -> dict:
        return {"kind": rule.kind, "level": rule.level, "product_group": rule.product_group_id,
                "tier_from": rule.tier_from, "rate": rule.rate, "valid_from": rule.valid_from,
                "valid_to": rule.valid_to}


class PeriodForm(StyledFormMixin, forms.Form):
    year = IntegerNumberField(label=_("year"), min_value=1380, max_value=1500)
    month = forms.TypedChoiceField(label=_("month"), choices=MONTHS, coerce=int)
