"""The incidents' search text: what public search reads, and how it is kept up to date.

`Incident.search_text` holds the normalised title, summary and the names of the incident's public
actors and defendants (every name variant and alias included), each word after a space. `IncidentQuerySet.matching`
reads it with the one matching rule of every `q` (`core.text.words_begin`); the functions here
write it, on every save of an incident (`Incident.save`) and whenever a record that feeds it changes
(`incidents.signals`), so that a name that stops being public stops finding the incident at once.
"""

from django.apps import apps
from django.db import connection

from core.text import normalise_name
from organisations.models import OrganisationAlias
from people.models import NameVariant, Person

SEARCH_TEXT_BATCH = 2000


def compose_search_text(title: str, summary: str, names: list[str]) -> str:
    """Every word with a space before it, the first one too."""
    words = " ".join(part for part in [normalise_name(title), normalise_name(summary), *names] if part)
    return f" {words}" if words else ""


def search_text_of(incident) -> str:
    """The search text of an incident about to be saved."""
    names = public_actor_names([incident.pk]).get(incident.pk, []) if incident.pk else []
    return compose_search_text(incident.title, incident.summary, names)


def refresh_search_text(incidents) -> None:
    """Rebuild the search text of these incidents from their text and their public actors' names.

    A batch of SEARCH_TEXT_BATCH incidents at a time, in order of id, so that rebuilding every
    incident (`manage.py refresh_search_text`, a migration after a change of the rule) never holds
    them all in memory.
    """
    rows = incidents.order_by("pk").values_list("pk", "title", "summary")
    batch = list(rows[:SEARCH_TEXT_BATCH])
    while batch:
        names = public_actor_names([pk for pk, _title, _summary in batch])
        store_search_texts(
            [(pk, compose_search_text(title, summary, names.get(pk, []))) for pk, title, summary in batch]
        )
        if len(batch) < SEARCH_TEXT_BATCH:
            break
        batch = list(rows.filter(pk__gt=batch[-1][0])[:SEARCH_TEXT_BATCH])


def store_search_texts(texts: list[tuple[int, str]]) -> None:
    """Write (incident id, search text) pairs in one statement.

    `bulk_update()` builds a CASE expression with one branch per row; a joined VALUES list is
    far cheaper, and both SQLite (3.33+) and PostgreSQL accept it.
    """
    if not texts:
        return
    quote = connection.ops.quote_name
    rows = ", ".join(["(%s, %s)"] * len(texts))
    table = quote(apps.get_model("incidents", "Incident")._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH new_text(id, search_text) AS (VALUES {rows}) "
            f"UPDATE {table} SET {quote('search_text')} = new_text.search_text "
            f"FROM new_text WHERE {table}.{quote('id')} = new_text.id",
            [value for pair in texts for value in pair],
        )


def public_actor_names(incident_ids: list[int]) -> dict[int, list[str]]:
    """Normalised names of the people, organisations and unidentified actors publicly involved,
    and of the people publicly charged.

    A person without consent to publication contributes no name: nobody may find an incident
    by typing the name that the public pages hide. A defendant is named on the incident's page
    as anyone involved is, so a charge makes the incident findable by their name as an
    involvement does.

    Only the rows' own rule applies, not the incident's: an incident is saved with its new status
    (verified) after its search text is composed, and public search reads public incidents alone.
    """
    involvements = (
        apps.get_model("incidents", "Involvement")
        .objects.of_public_actors()
        .filter(incident_id__in=incident_ids)
        .order_by("pk")
    )
    charges = (
        apps.get_model("incidents", "Charge")
        .objects.of_public_people()
        .filter(incident_id__in=incident_ids)
        .order_by("pk")
    )
    publicly_named = Person.objects.publicly_named()
    # Separate queries rather than one with an OR: each gets an index plan, however many people there are.
    named_people = involvements.filter(person__in=publicly_named)
    charged_people = charges.filter(person__in=publicly_named)
    other_actors = involvements.filter(person__isnull=True)
    names: dict[int, list[str]] = {}
    people: dict[int, set[int]] = {}
    organisations: dict[int, set[int]] = {}
    for rows in (named_people, charged_people):
        for incident_id, person_id, person_name in rows.values_list(
            "incident_id", "person_id", "person__name_normalised"
        ):
            if incident_id not in people.setdefault(person_id, set()):
                names.setdefault(incident_id, []).append(person_name)
                people[person_id].add(incident_id)
    for incident_id, organisation_id, organisation_name, unidentified in other_actors.values_list(
        "incident_id", "organisation_id", "organisation__name_normalised", "unidentified_actor"
    ):
        if organisation_id:
            names.setdefault(incident_id, []).append(organisation_name)
            organisations.setdefault(organisation_id, set()).add(incident_id)
        else:
            names.setdefault(incident_id, []).append(normalise_name(unidentified))
    if people:
        variants = NameVariant.objects.filter(person_id__in=people).order_by("pk")
        for person_id, variant in variants.values_list("person_id", "normalised"):
            for incident_id in people[person_id]:
                names[incident_id].append(variant)
    if organisations:
        aliases = OrganisationAlias.objects.filter(organisation_id__in=organisations).order_by("pk")
        for organisation_id, alias in aliases.values_list("organisation_id", "normalised"):
            for incident_id in organisations[organisation_id]:
                names[incident_id].append(alias)
    return names
