from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from aftersales.core.admin import AuditedAdmin, SafeModelAdmin

from .models import EventRule, InboundMessage, Message, MessageTemplate, OptOut
from .templating import HOLD, MASK, names_in, sms_parts, unredact, variable_fallbacks, variables


@admin.register(MessageTemplate)
class MessageTemplateAdmin(AuditedAdmin):
    list_display = ["name", "code", "channel", "kind", "is_active"]
    list_filter = ["channel", "kind", "is_active"]
    search_fields = ["name", "code", "body"]
    change_form_template = "messaging/admin/template_change_form.html"

    def render_change_form(self, request, context, *args, **kwargs):
        fallbacks = variable_fallbacks()
        context["template_variables"] = [
            (name, label, None if fallbacks.get(name) is HOLD else str(fallbacks[name]))
            for name, label in sorted(variables().items())]
        # What each variable becomes when its value is missing (null: the message is held), for the preview.
        context["template_fallbacks"] = {name: None if fallback is HOLD else str(fallback)
                                         for name, fallback in fallbacks.items()}
        return super().render_change_form(request, context, *args, **kwargs)


class HeldMessageForm(forms.ModelForm):
    """A held message as a person edits it: the text with its secrets masked and the missing values."""

    text = forms.CharField(label=_("text"), widget=forms.Textarea(attrs={"rows": 5, "dir": "rtl"}))

    class Meta:
        model = Message
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].initial = self.instance.safe_body
        self.fields["text"].help_text = _("Keep every %(mask)s as it is: it stands for a code or link you cannot "
                                          "see.") % {"mask": MASK}
        labels = variables()
        for name in names_in(self.instance.body):
            self.fields[f"value_{name}"] = forms.CharField(
                label=labels.get(name, name), required=False,
                help_text=_("Fills {%(name)s} in the text.") % {"name": name})

    def clean(self):
        data = super().clean()
        if "text" in data:
            try:
                unredact(data["text"], self.instance.body, self.instance.pattern_params)
            except ValueError:
                self.add_error("text", self.fields["text"].help_text)
            values = {key.removeprefix("value_"): value for key, value in data.items() if key.startswith("value_")}
            self.edit = {"text": data["text"], "values": values}
        return data


@admin.register(EventRule)
class EventRuleAdmin(AuditedAdmin):
    list_display = ["event", "template", "recipient", "delay_minutes", "is_active"]
    list_filter = ["event", "is_active"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "event":
            from django import forms

            from .events import event_choices

            return forms.ChoiceField(choices=event_choices(), label=db_field.verbose_name)
        return super().formfield_for_dbfield(db_field, request, **kwargs)


@admin.register(Message)
class MessageAdmin(SafeModelAdmin):
    list_display = ["to", "channel", "kind", "event", "state", "attempts", "created_at", "sent_at", "parts"]
    list_filter = ["state", "channel", "kind", "event"]
    search_fields = ["to", "provider_id", "ref"]  # not the text: a search would reveal masked codes
    # The text is shown with its secrets masked; the raw text, HTML and pattern parameters carry them.
    exclude = ["body", "html_body", "pattern_params", "idempotency_key"]
    readonly_fields = ["text", *(field.name for field in Message._meta.fields
                                 if field.name not in {"body", "html_body", "pattern_params", "idempotency_key"})]
    actions = ["requeue", "release"]

    def _held(self, obj) -> bool:
        return obj is not None and obj.state == Message.State.HELD

    def get_form(self, request, obj=None, change=False, **kwargs):
        if self._held(obj) and self.has_change_permission(request, obj):
            kwargs["form"] = HeldMessageForm
            kwargs["fields"] = ["text"]  # the missing values' fields are added by the form
        return super().get_form(request, obj, change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        if self._held(obj) and self.has_change_permission(request, obj):
            fields = ["text", *(f"value_{name}" for name in names_in(obj.body))]
            return [(None, {"fields": ["held_reason", *fields, "to", "channel", "event", "created_at"]})]
        return super().get_fieldsets(request, obj)

    def get_readonly_fields(self, request, obj=None):
        if self._held(obj) and self.has_change_permission(request, obj):
            return ["held_reason", "to", "channel", "event", "created_at"]
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        edit = getattr(form, "edit", None)
        if edit is None:
            return super().save_model(request, obj, form, change)
        from .services import message_held_edit

        message_held_edit(message=obj, acting_user=request.user, **edit)

    @admin.display(description=_("text"))
    def text(self, message):
        return message.safe_body

    @admin.display(description=_("SMS parts"))
    def parts(self, message):
        return sms_parts(message.body) if message.channel == "sms" else "—"

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Send held messages (after filling in what was missing)"), permissions=["change"])
    def release(self, request, queryset):
        from .services import message_release

        released, kept = message_release(messages=queryset, acting_user=request.user)
        self.message_user(request, _("%(released)d messages sent; %(kept)d still miss a value.")
                          % {"released": released, "kept": kept})

    @admin.action(description=_("Send again (failed or uncertain messages)"), permissions=["change"])
    def requeue(self, request, queryset):
        from .services import message_requeue

        count = message_requeue(messages=queryset, acting_user=request.user)
        self.message_user(request, _("%(count)d messages queued again.") % {"count": count})


@admin.register(OptOut)
class OptOutAdmin(SafeModelAdmin):
    list_display = ["address", "source", "created_at"]
    search_fields = ["address"]


@admin.register(InboundMessage)
class InboundMessageAdmin(SafeModelAdmin):
    list_display = ["sender", "body", "received_at", "is_opt_out"]
    search_fields = ["sender", "body"]
    readonly_fields = [field.name for field in InboundMessage._meta.fields]
