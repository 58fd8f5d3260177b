from rest_framework import serializers

from incidents.serializers import ProvisionSummarySerializer
from places.serializers import PlaceReferenceSerializer

from .models import CustodyPeriod


class NamedPageSerializer(serializers.Serializer):
    """A record named from a row, with the address of its public page."""

    slug = serializers.SlugField()
    name = serializers.CharField()
    page = serializers.CharField(source="get_absolute_url")


class DetainedCaseSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    title = serializers.CharField()
    number = serializers.CharField()
    page = serializers.CharField(source="get_absolute_url")


class CustodySerializer(serializers.ModelSerializer):
    """The custody period that covers the day."""

    facility = PlaceReferenceSerializer(allow_null=True)

    class Meta:
        model = CustodyPeriod
        fields = ["kind", "start_date", "start_precision", "last_confirmed", "facility"]


class DetaineeSerializer(serializers.Serializer):
    """A person held on the day asked for (`on`, today by default)."""

    on = serializers.DateField(source="day")
    person = NamedPageSerializer(source="period.person")
    status = serializers.SerializerMethodField(
        help_text="held: a source confirmed it in the 12 months before the day; unknown: still held at the last news,"
        " which is older."
    )
    held_since = serializers.DateField(
        source="since_period.start_date", help_text="The start of the unbroken custody that reaches the day."
    )
    held_since_precision = serializers.CharField(source="since_period.start_precision")
    days_in_custody = serializers.IntegerField(
        source="days",
        help_text="From held_since to the day, both counted; from the earliest day a month or year allows.",
    )
    custody = CustodySerializer(source="period")
    country = PlaceReferenceSerializer(allow_null=True)
    region = PlaceReferenceSerializer(allow_null=True)
    charges = ProvisionSummarySerializer(
        source="articles", many=True, help_text="The provisions charged in the case of the custody."
    )
    organisations = NamedPageSerializer(many=True)
    case = DetainedCaseSerializer(source="period.case", allow_null=True)

    def get_status(self, detainee) -> str:
        return "unknown" if detainee.status_unknown else "held"
