from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Intervention


class FollowUpFilter(admin.SimpleListFilter):
    """The interventions whose follow-up date has come while no final answer is in."""

    title = _("follow-up")
    parameter_name = "follow_up"

    def lookups(self, request, model_admin):
        return [("due", _("due now")), ("later", _("planned later"))]

    def queryset(self, request, queryset):
        if self.value() == "due":
            return queryset.due_for_follow_up()
        if self.value() == "later":
            return queryset.filter(follow_up_on__gt=timezone.localdate())
        return queryset


@admin.register(Intervention)
class InterventionAdmin(admin.ModelAdmin):
    list_display = ["sent_on", "subject", "recipient", "channel", "outcome", "follow_up_on"]
    list_filter = [FollowUpFilter, "outcome", "channel"]
    list_select_related = ["recipient_organisation", "recipient_person"]
    search_fields = ["subject", "text_sent", "response_text"]
    date_hierarchy = "sent_on"
    autocomplete_fields = ["incident", "case", "person", "recipient_organisation", "recipient_person"]
    readonly_fields = ["text_sha256"]
    fieldsets = [
        (_("About"), {"fields": ["incident", "case", "person"]}),
        (
            _("Sent"),
            {
                "fields": [
                    "recipient_organisation",
                    "recipient_person",
                    "sent_on",
                    "channel",
                    "subject",
                    "text_sent",
                    "text_sha256",
                ]
            },
        ),
        (_("Response"), {"fields": ["response_received_on", "response_text", "response_is_public", "outcome"]}),
        (_("Follow-up"), {"fields": ["follow_up_on", "notes"]}),
    ]

    @admin.display(description=_("sent to"))
    def recipient(self, intervention: Intervention):
        return intervention.recipient

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
