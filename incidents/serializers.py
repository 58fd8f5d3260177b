from django.urls import reverse
from django.utils.translation import gettext
from rest_framework import serializers

from places.serializers import PlaceReferenceSerializer, PlaceSerializer
from sources.serializers import CitationSerializer

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
        fields = ["person", "provision", "status", "date", "date_precision"]


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


class CitedInvolvementSerializer(InvolvementSerializer):
    citations = CitationSerializer(many=True, source="public_citations", help_text="Its public sources.")

    class Meta(InvolvementSerializer.Meta):
        fields = [*InvolvementSerializer.Meta.fields, "citations"]


class CitedChargeSerializer(ChargeSerializer):
    citations = CitationSerializer(many=True, source="public_citations", help_text="Its public sources.")

    class Meta(ChargeSerializer.Meta):
        fields = [*ChargeSerializer.Meta.fields, "citations"]


class IncidentDetailSerializer(IncidentSerializer):
    """One incident as its page gives it: each claim with its public sources and their confidence,
    and its place with every place around it."""

    place_path = PlaceReferenceSerializer(
        many=True, source="place_trail", help_text="From the country down to the incident's place."
    )
    citations = CitationSerializer(many=True, source="public_citations", help_text="The incident's public sources.")
    involvements = CitedInvolvementSerializer(many=True, source="public_involvements")
    charges = CitedChargeSerializer(many=True, source="public_charges")

    class Meta(IncidentSerializer.Meta):
        fields = [*IncidentSerializer.Meta.fields, "place_path", "citations"]


class RetractedIncidentSerializer(serializers.ModelSerializer):
    """A retracted incident: only that it was withdrawn, when and why, as its page says."""

    detail = serializers.SerializerMethodField()
    reason = serializers.CharField(source="retraction_reason", help_text="Why it was withdrawn from publication.")

    class Meta:
        model = Incident
        fields = ["detail", "public_id", "retracted_at", "reason"]

    def get_detail(self, incident: Incident) -> str:
        return gettext("This record was retracted")


class PlaceWithIncidentsSerializer(PlaceSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:place-detail", lookup_field="slug")
    page = serializers.SerializerMethodField(help_text="The place's public page: every incident inside it.")
    incidents = serializers.SerializerMethodField(help_text="The same incidents in the API.")
    incident_count = serializers.SerializerMethodField(
        help_text="Public incidents in the place and the places inside it; an estimate when "
        "incident_count_is_exact is false."
    )
    incident_count_is_exact = serializers.SerializerMethodField(
        help_text="False beyond 10,000 public incidents in all: the counts are then estimated from a sample."
    )

    class Meta(PlaceSerializer.Meta):
        fields = ["url", "page", *PlaceSerializer.Meta.fields, "incidents", "incident_count", "incident_count_is_exact"]

    def get_page(self, place) -> str:
        return self.context["request"].build_absolute_uri(place.get_absolute_url())

    def get_incidents(self, place) -> str:
        return self.context["request"].build_absolute_uri(f"{reverse('api:incident-list')}?region={place.slug}")

    def get_incident_count(self, place) -> int:
        return self.context["place_counts"][place.pk]

    def get_incident_count_is_exact(self, place) -> bool:
        return self.context["place_counts_are_exact"]
