from rest_framework import serializers

from .models import NameVariant, Person


class NameVariantSerializer(serializers.ModelSerializer):
    class Meta:
        model = NameVariant
        fields = ["name", "kind", "script", "language"]


class PersonSerializer(serializers.HyperlinkedModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:person-detail", lookup_field="slug")
    page = serializers.SerializerMethodField(help_text="The person's public web page.")
    name_variants = NameVariantSerializer(many=True)

    class Meta:
        model = Person
        fields = ["url", "page", "public_id", "slug", "name", "occupation", "name_variants"]

    def get_page(self, person: Person) -> str:
        return self.context["request"].build_absolute_uri(person.get_absolute_url())
