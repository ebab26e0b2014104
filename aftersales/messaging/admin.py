from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from aftersales.core.admin import AuditedAdmin, SafeModelAdmin

from .models import EventRule, InboundMessage, Message, MessageTemplate, OptOut
from .templating import sms_parts, variables


@admin.register(MessageTemplate)
class MessageTemplateAdmin(AuditedAdmin):
    list_display = ["name", "code", "channel", "kind", "is_active"]
    list_filter = ["channel", "kind", "is_active"]
    search_fields = ["name", "code", "body"]
    change_form_template = "messaging/admin/template_change_form.html"

    def render_change_form(self, request, context, *args, **kwargs):
        context["template_variables"] = sorted(variables().items())
        return super().render_change_form(request, context, *args, **kwargs)


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
    actions = ["requeue"]

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
