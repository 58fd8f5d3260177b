"""The three staff roles of DESIGN.md as permission groups.

Permissions say what a role may do to which kind of record; the rules that depend on the record
itself (only drafts are deleted, nobody verifies their own entry) live on the model and in
`incidents.workflow`, so they hold whatever the permissions say.
"""

RESEARCHER, VERIFIER, ADMINISTRATOR = "Researcher", "Verifier", "Administrator"
ROLES = (RESEARCHER, VERIFIER, ADMINISTRATOR)

# The records of the cases app, entered like incidents' rows (migrations made before it name them
# as models to come).
CASE_RECORDS = ("cases.case", "cases.casecharge", "cases.casestage", "cases.sentence", "cases.custodyperiod")
# Records researchers enter and correct.
ENTERED = (
    "sources.source",
    "sources.citation",
    "people.person",
    "people.namevariant",
    "places.placename",
    "people.relationship",
    "organisations.organisation",
    "organisations.organisationalias",
    "organisations.membership",
    "incidents.incident",
    "incidents.involvement",
    "incidents.incidentlink",
    "incidents.charge",
    "incidents.evidence",
    "incidents.incidenttranslation",
    *CASE_RECORDS,
)
# Rows that an incident or a person form removes as part of an edit; an incident itself may be
# deleted only while it is a draft or rejected (enforced by Incident.delete).
REMOVABLE = tuple(
    label
    for label in ENTERED
    if label not in {"sources.source", "people.person", "organisations.organisation", "cases.case"}
)
# Vocabularies that administrators keep; everyone else picks from them. A place's other names are
# entered by researchers as well ("Mangistau", "Chechnya").
VOCABULARIES = ("places.place", "places.placename", "incidents.incidenttype", "incidents.legalprovision")
# Places researchers add and correct: towns, districts, sites and facilities, below the countries and
# first-level regions, which stay administrators' (`Place.is_administrative_area`, enforced by the
# permission below and the place admin).
PLACES_BELOW_REGIONS = ("places.place",)
USERS = ("auth.user", "auth.group")


# Permissions of their own (Meta.permissions) added after the roles were first granted, by the
# migration named: earlier migrations, which grant the roles too, run before they exist.
PERMISSIONS_ADDED_LATER = {
    ("places", "change_administrative_area"): "places 0009_researchers_add_places",
    ("exchange", "view_importbatch"): "exchange 0002_import_permissions",
    ("exchange", "add_importbatch"): "exchange 0002_import_permissions",
    **{("appeals", f"{action}_intervention"): "appeals 0002_permissions" for action in ("view", "add", "change")},
    **{("appeals", f"{action}_appeal"): "appeals 0004_appeal_permissions" for action in ("view", "add", "change")},
}


def _codenames(labels, actions) -> list[tuple[str, str]]:
    return [(label.split(".")[0], f"{action}_{label.split('.')[1]}") for label in labels for action in actions]


def role_permissions() -> dict[str, list[tuple[str, str]]]:
    """(app label, codename) pairs for each role."""
    researcher = [
        *_codenames(ENTERED + VOCABULARIES, ["view"]),
        *_codenames(ENTERED + PLACES_BELOW_REGIONS, ["add", "change"]),
        *_codenames(REMOVABLE, ["delete"]),
        ("incidents", "submit_incident"),
        ("incidents", "view_evidence_original"),
        # Imports bring in drafts, reviewed like typed-in ones.
        ("exchange", "view_importbatch"),
        ("exchange", "add_importbatch"),
        # Appeals sent and their responses, staff-only records.
        ("appeals", "view_intervention"),
        ("appeals", "add_intervention"),
        ("appeals", "change_intervention"),
        # Appeals drafted from verified records, edited, then made final.
        ("appeals", "view_appeal"),
        ("appeals", "add_appeal"),
        ("appeals", "change_appeal"),
    ]
    verifier = [
        *researcher,
        ("incidents", "verify_incident"),
        ("incidents", "retract_incident"),
        ("incidents", "view_submittedincident"),
        ("evidence_files", "view_evidenceaccess"),
    ]
    administrator = [
        *_codenames(ENTERED, ["view"]),
        *_codenames(VOCABULARIES + USERS, ["view", "add", "change", "delete"]),
        ("places", "change_administrative_area"),
        ("evidence_files", "view_evidenceaccess"),
    ]
    return {RESEARCHER: researcher, VERIFIER: verifier, ADMINISTRATOR: administrator}


def grant_role_permissions(
    Group,  # noqa: N803
    Permission,  # noqa: N803
    former_app_labels: dict[str, str] | None = None,
    models_to_come: frozenset[str] = frozenset(),
) -> None:
    """Create the groups and set their permissions to exactly the table above.

    `Group` and `Permission` are the historical models of a migration. A migration that runs
    before some models moved to another app names the app they were in then (`former_app_labels`);
    one that runs before some models existed names them (`models_to_come`, "app.model"), and a
    later migration grants their permissions. The permissions of PERMISSIONS_ADDED_LATER are
    granted by the migration that adds them, and skipped before it.
    """
    former_app_labels = former_app_labels or {}
    for role, pairs in role_permissions().items():
        group = Group.objects.get_or_create(name=role)[0]
        permissions = []
        for app_label, codename in pairs:
            if f"{app_label}.{codename.split('_', 1)[1]}" in models_to_come:
                continue
            added_later = (app_label, codename) in PERMISSIONS_ADDED_LATER
            if added_later and not Permission.objects.filter(content_type__app_label=app_label, codename=codename):
                continue
            app_label = former_app_labels.get(app_label, app_label)
            permissions.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
        group.permissions.set(permissions)
