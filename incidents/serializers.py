from rest_framework import serializers

from .models import Charge, Incident, IncidentType, Involvement, LegalProvision


class IncidentTypeSerializer(serializers.ModelSerializer):
    class Meta:
        model = IncidentType
        fields = ["slug", "name"]


class PlaceSummarySerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()


class InvolvementSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(
        source="public_actor_name", help_text="A person without consent appears as “Person A”, “Person B”…"
    )
    actor_kind = serializers.SerializerMethodField()
    actor_slug = serializers.SerializerMethodField()

    class Meta:
        model = Involvement
        fields = ["role", "actor", "actor_kind", "actor_slug", "description"]

    def get_actor_kind(self, involvement: Involvement) -> str:
        if involvement.person_id:
            return "person"
        return "organisation" if involvement.organisation_id else "unidentified"

    def get_actor_slug(self, involvement: Involvement) -> str | None:
        """Only named actors have a public page; a pseudonymous person's address would reveal the name."""
        if involvement.person_id:
            return involvement.person.slug if involvement.person.public_url else None
        return involvement.organisation.slug if involvement.organisation_id else None


class ProvisionSummarySerializer(serializers.ModelSerializer):
    jurisdiction = serializers.CharField(source="jurisdiction.name")

    class Meta:
        model = LegalProvision
        fields = ["slug", "reference", "jurisdiction", "code", "edition", "article", "part", "title_en"]


class ProvisionSerializer(ProvisionSummarySerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:provision-detail", lookup_field="slug")
    case_count = serializers.SerializerMethodField(
        help_text="Public charges under this provision; an estimate when case_count_is_exact is false."
    )
    case_count_is_exact = serializers.SerializerMethodField(
        help_text="False beyond 10,000 public charges in all: the counts are then estimated from a sample."
    )

    class Meta(ProvisionSummarySerializer.Meta):
        fields = ["url", *ProvisionSummarySerializer.Meta.fields, "title_original", "case_count", "case_count_is_exact"]

    def get_case_count(self, provision) -> int:
        counts, _exact = self.context["case_counts"]
        return counts.get(provision.pk, 0)

    def get_case_count_is_exact(self, provision) -> bool:
        _counts, exact = self.context["case_counts"]
        return exact


class ChargeSerializer(serializers.ModelSerializer):
    person = serializers.CharField(source="public_person_name")
    provision = ProvisionSummarySerializer()

    class Meta:
        model = Charge
        fields = ["person", "provision", "status", "date", "date_precision", "sentence", "sentence_months"]


class IncidentSerializer(serializers.HyperlinkedModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:incident-detail", lookup_field="slug")
    page = serializers.SerializerMethodField(help_text="The incident's public web page.")
    type = IncidentTypeSerializer(source="incident_type")
    place = PlaceSummarySerializer(allow_null=True)
    date = serializers.CharField(source="date_display", help_text="The dating as the sources give it.")
    involvements = InvolvementSerializer(many=True, source="public_involvements")
    charges = ChargeSerializer(many=True, source="public_charges")

    class Meta:
        model = Incident
        fields = [
            "url",
            "page",
            "public_id",
            "slug",
            "title",
            "summary",
            "type",
            "date",
            "start_date",
            "start_precision",
            "end_date",
            "end_precision",
            "dates_approximate",
            "ongoing",
            "local_time",
            "local_time_approximate",
            "period_start",
            "period_end",
            "place",
            "involvements",
            "charges",
        ]

    def get_page(self, incident: Incident) -> str:
        return self.context["request"].build_absolute_uri(incident.get_absolute_url())
