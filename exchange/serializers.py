from rest_framework import serializers

from .models import PublicChange

# Fields of a record's content that are addresses on this site, stored as paths.
ADDRESS_FIELDS = ("url", "permanent_url")


class PublicChangeSerializer(serializers.ModelSerializer):
    cursor = serializers.IntegerField(source="id", help_text="Give it as `since` to read the changes after this one.")
    record = serializers.SerializerMethodField(
        help_text="The record as the public sees it; null for a removal, which says only which record went and why."
    )

    class Meta:
        model = PublicChange
        fields = ["cursor", "kind", "public_id", "action", "reason", "merged_into", "changed_at", "record"]

    def get_record(self, change: PublicChange) -> dict | None:
        if change.content is None:
            return None
        request = self.context["request"]
        return {
            name: request.build_absolute_uri(value) if name in ADDRESS_FIELDS and value else value
            for name, value in change.content.items()
        }
