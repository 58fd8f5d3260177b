"""Vocabularies every deployment starts with; administrators extend them in the admin."""

import uuid

DEFAULT_TYPES = [
    ("Arrest or detention", "arrest", "Deprivation of liberty by state agents."),
    ("Search or raid", "search", "Search of premises, vehicles or persons by state agents."),
    ("Break-in", "break-in", "Entry into a home or office without consent, often with a search or theft."),
    ("Physical attack", "attack", "Assault, shooting or other violence against a person."),
    ("Threat or intimidation", "threat", "Threats, surveillance or pressure."),
    ("Prosecution", "prosecution", "Criminal or administrative proceedings, from charge to verdict."),
    ("Strike or protest", "protest", "A strike, demonstration or other collective action."),
    ("Public statement", "statement", "A statement by officials or activists that gives context."),
    ("Killing", "killing", "A death caused by violence."),
]


def ensure_default_incident_types(IncidentType) -> None:  # noqa: N803 (a model class, historical in migrations)
    for name, slug, description in DEFAULT_TYPES:
        IncidentType.objects.get_or_create(
            slug=slug, defaults={"name": name, "description": description, "public_id": uuid.uuid4()}
        )
