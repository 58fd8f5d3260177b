from rest_framework import serializers

from .models import Organisation, OrganisationAlias


class AliasSerializer(serializers.ModelSerializer):
    class Meta:
        model = OrganisationAlias
        fields = ["name", "kind", "language"]


class OrganisationSerializer(serializers.HyperlinkedModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:organisation-detail", lookup_field="slug")
    page = serializers.SerializerMethodField(help_text="The organisation's public web page.")
    aliases = AliasSerializer(many=True)

    class Meta:
        model = Organisation
        fields = ["url", "page", "public_id", "slug", "name", "kind", "description", "aliases"]

    def get_page(self, organisation: Organisation) -> str:
        return self.context["request"].build_absolute_uri(organisation.get_absolute_url())
