from rest_framework import serializers

from .models import Citation, Source


class SourceSerializer(serializers.ModelSerializer):
    """A public source as a reader may cite it: never its file, contact or internal notes."""

    class Meta:
        model = Source
        fields = [
            "public_id",
            "title",
            "kind",
            "publisher",
            "author",
            "published_on",
            "language",
            "url",
            "archived_url",
            "page",
        ]


class CitationSerializer(serializers.ModelSerializer):
    source = SourceSerializer()

    class Meta:
        model = Citation
        fields = ["claim", "confidence", "locator", "source"]
