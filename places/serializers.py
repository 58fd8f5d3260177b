from rest_framework import serializers

from .models import Place, PlaceName


class PlaceNameSerializer(serializers.ModelSerializer):
    class Meta:
        model = PlaceName
        fields = ["name", "kind", "language", "script"]


class PlaceReferenceSerializer(serializers.ModelSerializer):
    """A place named from another record: enough to show it and to follow it."""

    name = serializers.CharField(source="label", help_text="The name in the language asked for, where there is one.")

    class Meta:
        model = Place
        fields = ["slug", "name", "kind", "iso_code"]


class PlaceSerializer(PlaceReferenceSerializer):
    """A place with all its names: the ISO 3166 name, one per interface language, and the other
    names and spellings that find it in a search."""

    iso_name = serializers.CharField(source="name", help_text="For countries and first-level regions, the ISO name.")
    name_by_language = serializers.SerializerMethodField(help_text="The name in each interface language that has one.")
    names = PlaceNameSerializer(many=True, help_text="Every other name and spelling that finds the place in a search.")
    parent = PlaceReferenceSerializer(allow_null=True, help_text="The place it lies in; null for a country.")

    class Meta(PlaceReferenceSerializer.Meta):
        fields = [*PlaceReferenceSerializer.Meta.fields, "iso_name", "name_by_language", "names", "parent"]

    def get_name_by_language(self, place: Place) -> dict[str, str]:
        names = {"en": place.name_en or place.name, "ru": place.name_ru, "kk": place.name_kk}
        return {language: name for language, name in names.items() if name}
