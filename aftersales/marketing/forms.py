from django import forms
from django.utils.translation import gettext_lazy as _

from aftersales.core.forms import JalaliDateTimeField, StyledFormMixin
from aftersales.messaging.models import Kind, MessageTemplate

from .models import Campaign, Contact


class CampaignForm(StyledFormMixin, forms.ModelForm):
    send_at = JalaliDateTimeField(label=_("send at"))

    class Meta:
        model = Campaign
        fields = ["name", "template", "body", "audience", "group", "province", "product_group", "days_before", "repeat",
                  "send_at"]
        widgets = {"body": forms.Textarea(attrs={"rows": 4, "dir": "rtl"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Marketing templates only: the service ones (reception, ready, tracking code…) are not a campaign's.
        self.fields["template"].queryset = MessageTemplate.objects.filter(is_active=True, kind=Kind.MARKETING)
        self.fields["template"].required = False

    def clean(self):
        data = super().clean()
        if data.get("audience") == Campaign.Audience.GROUP and not data.get("group"):
            self.add_error("group", _("Choose the customer group."))
        if data.get("audience") in (Campaign.Audience.BIRTHDAY, Campaign.Audience.WARRANTY_ENDING) \
                and data.get("repeat") == Campaign.Repeat.ONCE:
            self.add_error("repeat", _("Birthdays and warranty endings are sent every day: choose «every day»."))
        return data


class ContactForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["kind", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}
