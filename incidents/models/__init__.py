"""The incidents app's models, one module per kind of record; the public rules are in
`incidents.querysets`, the search text in `incidents.search`."""

from .charge import Charge, LegalProvision
from .evidence import Evidence
from .incident import (
    Incident,
    IncidentTranslation,
    IncidentType,
    ProtectedIncidentError,
    StaleEditError,
    SubmittedIncident,
    pseudonym,
)
from .involvement import IncidentLink, Involvement

__all__ = [
    "Charge",
    "Evidence",
    "Incident",
    "IncidentLink",
    "IncidentTranslation",
    "IncidentType",
    "Involvement",
    "LegalProvision",
    "ProtectedIncidentError",
    "StaleEditError",
    "SubmittedIncident",
    "pseudonym",
]
