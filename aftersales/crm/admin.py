"""The CRM's records in the admin: every page scoped to the user's centers like the rest of the product."""

from django.contrib import admin

from aftersales.core.admin import AuditedAdmin, SafeInline, SafeModelAdmin

from .models import (Answer, Appointment, AppointmentPlan, ContactSubmission, CreditAssessment, DailyReport,
                     IncomingCall, LeadSource, Party, PartyType, PhoneExtension, ReturnedCheque, Script,
                     ScriptQuestion)


@admin.register(PartyType)
class PartyTypeAdmin(AuditedAdmin):
    list_display = ["name", "code", "workflow", "order"]
    search_fields = ["name", "code"]


@admin.register(LeadSource)
class LeadSourceAdmin(SafeModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


@admin.register(Party)
class PartyAdmin(AuditedAdmin):
    list_display = ["customer", "party_type", "state", "rating", "status", "marketer", "center", "next_step_date"]
    list_filter = ["party_type", "rating", "status", "center"]
    search_fields = ["customer__search_text"]
    raw_id_fields = ["customer"]
    list_select_related = ["customer", "party_type", "state", "marketer", "center"]
    # The stage changes only along the workflow (the party's page, the board, the API).
    readonly_fields = ["state", "version", "state_entered_at", "due_at", "last_contact_at", "created_by"]


class ReturnedChequeInline(SafeInline):
    model = ReturnedCheque
    extra = 0


@admin.register(CreditAssessment)
class CreditAssessmentAdmin(SafeModelAdmin):
    list_display = ["party", "assessed_on", "status", "limit", "assessed_by"]
    list_filter = ["status"]
    raw_id_fields = ["party"]
    search_fields = ["party__customer__search_text"]
    inlines = [ReturnedChequeInline]


@admin.register(ReturnedCheque)
class ReturnedChequeAdmin(SafeModelAdmin):
    list_display = ["sayad_number", "bank", "amount", "returned_on", "assessment"]
    search_fields = ["sayad_number"]
    raw_id_fields = ["assessment"]


class ScriptQuestionInline(SafeInline):
    model = ScriptQuestion
    extra = 0


@admin.register(Script)
class ScriptAdmin(AuditedAdmin):
    list_display = ["title", "topic", "stage", "is_active"]
    list_filter = ["is_active", "topic"]
    search_fields = ["title", "topic"]
    inlines = [ScriptQuestionInline]


@admin.register(ScriptQuestion)
class ScriptQuestionAdmin(SafeModelAdmin):
    list_display = ["text", "script", "kind", "order"]
    list_filter = ["kind"]
    search_fields = ["text"]


@admin.register(Answer)
class AnswerAdmin(SafeModelAdmin):
    list_display = ["question_text", "answer", "contact"]
    search_fields = ["question_text", "answer"]
    raw_id_fields = ["contact", "question"]


@admin.register(AppointmentPlan)
class AppointmentPlanAdmin(SafeModelAdmin):
    list_display = ["party", "kind", "count", "start_date", "end_date", "marketer"]
    list_filter = ["kind"]
    raw_id_fields = ["party"]


@admin.register(Appointment)
class AppointmentAdmin(AuditedAdmin):
    list_display = ["party", "kind", "at", "status", "marketer"]
    list_filter = ["kind", "status"]
    raw_id_fields = ["party", "plan"]


@admin.register(DailyReport)
class DailyReportAdmin(AuditedAdmin):
    list_display = ["user", "day", "center", "filed_at", "commented_by"]
    list_filter = ["center"]


@admin.register(PhoneExtension)
class PhoneExtensionAdmin(SafeModelAdmin):
    list_display = ["extension", "user"]
    search_fields = ["extension"]


@admin.register(IncomingCall)
class IncomingCallAdmin(SafeModelAdmin):
    list_display = ["phone", "extension", "user", "rang_at", "shown_at"]
    search_fields = ["phone", "extension"]


@admin.register(ContactSubmission)
class ContactSubmissionAdmin(SafeModelAdmin):
    list_display = ["submission_key", "contact", "created_at"]
    raw_id_fields = ["contact"]
