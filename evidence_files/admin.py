from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import EvidenceAccess


@admin.register(EvidenceAccess)
class EvidenceAccessAdmin(admin.ModelAdmin):
    """The log of who opened which original: written by the system, read here, never edited."""

    list_display = ["accessed_at", "user", "attachment", "evidence", "was_public"]
    list_filter = ["was_public", "accessed_at"]
    list_select_related = ["user", "attachment__evidence"]
    search_fields = ["user__username", "attachment__original_filename", "attachment__stored_file__sha256"]
    date_hierarchy = "accessed_at"

    @admin.display(description=_("evidence"))
    def evidence(self, access):
        return access.attachment.evidence

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
