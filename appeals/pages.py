"""What an incident's public page says of the appeals about it."""

from dataclasses import dataclass, field

from .models import Intervention


@dataclass
class AppealsOfIncident:
    sent: int = 0
    responses: list[Intervention] = field(default_factory=list)


def appeals_of(incident) -> AppealsOfIncident:
    """How many appeals were sent about the incident, and the responses staff marked public: one
    query, the rest of each intervention staying out of the page."""
    interventions = list(
        Intervention.objects.about_incident(incident)
        .select_related("recipient_organisation")
        .only(
            "response_is_public",
            "response_received_on",
            "response_text",
            "recipient_organisation__name",
            "recipient_organisation__confidential",
        )
        .order_by("response_received_on", "pk")
    )
    return AppealsOfIncident(
        sent=len(interventions),
        responses=[intervention for intervention in interventions if intervention.is_public_response()],
    )
