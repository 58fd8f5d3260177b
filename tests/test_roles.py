"""Who may do what, asserted through the admin as each role uses it: the permission matrix.

Each action is tried by each role on a record someone else entered (or, for "verify own", on the
role's own entry); the test asserts whether the action took effect, not only the status code.
"""

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from incidents.models import Incident

from .factories import admin_form_data, make_incident, make_user

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "researcher", "verifier", "administrator"]
ALLOWED = {
    "view draft": {"researcher", "verifier", "administrator"},
    "edit": {"researcher", "verifier"},
    "edit verified": set(),  # a published incident changes only through a correction
    "submit": {"researcher", "verifier"},
    "verify own": set(),
    "verify other's": {"verifier"},
    "reject": {"verifier"},
    "retract": {"verifier"},
    "delete draft": {"researcher", "verifier"},
    "delete verified": set(),
    "see confidential field": {"researcher", "verifier", "administrator"},
}


def url(view: str, incident: Incident) -> str:
    return reverse(f"admin:incidents_incident_{view}", args=[incident.pk])


def entered_by_someone_else(status: str = "draft", **fields) -> Incident:
    author = make_user("Researcher")
    extra = {"submitted_by": author} if status == "submitted" else {}
    return make_incident(status=status, created_by=author, last_edited_by=author, **extra, **fields)


def status_after(incident: Incident) -> str:
    incident.refresh_from_db()
    return incident.status


def view_draft(client, user):
    incident = entered_by_someone_else(title="Draft seen by staff")
    response = client.get(url("change", incident))
    return response.status_code == 200 and "Draft seen by staff" in response.content.decode()


def see_confidential_field(client, user):
    incident = entered_by_someone_else(private_notes="Relative's statement: Okapi", location_detail="Flat 7")
    html = client.get(url("change", incident)).content.decode()
    return "Okapi" in html and "Flat 7" in html


def edit(client, user):
    incident = entered_by_someone_else()
    superuser = User.objects.create_superuser(f"form-reader-{incident.pk}", password="x")
    reader = client.__class__()
    reader.force_login(superuser)
    data = admin_form_data(reader.get(url("change", incident)))
    data["title"] = "Title after the edit"
    client.post(url("change", incident), data)
    incident.refresh_from_db()
    return incident.title == "Title after the edit"


def edit_verified(client, user):
    incident = entered_by_someone_else("verified", title="Published title")
    client.post(url("change", incident), {"title": "Edited in place", "opened_version": incident.version})
    incident.refresh_from_db()
    return incident.title != "Published title"


def submit(client, user):
    incident = entered_by_someone_else()
    client.post(url("submit", incident))
    return status_after(incident) == "submitted"


def verify_own(client, user):
    incident = make_incident(status="submitted", created_by=user, last_edited_by=user, submitted_by=user)
    client.post(url("review", incident), {"decision": "verify", "note": "Checked against the sources."})
    return status_after(incident) == "verified"


def verify_others(client, user):
    incident = entered_by_someone_else("submitted")
    client.post(url("review", incident), {"decision": "verify", "note": "Checked against the sources."})
    return status_after(incident) == "verified"


def reject(client, user):
    incident = entered_by_someone_else("submitted")
    client.post(url("review", incident), {"decision": "reject", "note": "The sources do not say this."})
    return status_after(incident) == "rejected"


def retract(client, user):
    incident = entered_by_someone_else("verified")
    client.post(url("retract", incident), {"reason": "The source withdrew the report."})
    return status_after(incident) == "retracted"


def delete_draft(client, user):
    incident = entered_by_someone_else()
    client.post(url("delete", incident), {"post": "yes"})
    return not Incident.objects.filter(pk=incident.pk).exists()


def delete_verified(client, user):
    incident = entered_by_someone_else("verified")
    client.post(url("delete", incident), {"post": "yes"})
    return not Incident.objects.filter(pk=incident.pk).exists()


ACTIONS = {
    "view draft": view_draft,
    "edit": edit,
    "edit verified": edit_verified,
    "submit": submit,
    "verify own": verify_own,
    "verify other's": verify_others,
    "reject": reject,
    "retract": retract,
    "delete draft": delete_draft,
    "delete verified": delete_verified,
    "see confidential field": see_confidential_field,
}


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(signed_in, role, action):
    client = signed_in(None if role == "anonymous" else role.capitalize())
    user = getattr(client, "user", None)
    assert ACTIONS[action](client, user) == (role in ALLOWED[action])


def test_the_groups_exist_out_of_the_box():
    assert set(Group.objects.values_list("name", flat=True)) >= {"Researcher", "Verifier", "Administrator"}
    verifier = Group.objects.get(name="Verifier").permissions.values_list("codename", flat=True)
    researcher = Group.objects.get(name="Researcher").permissions.values_list("codename", flat=True)
    administrator = Group.objects.get(name="Administrator").permissions.values_list("codename", flat=True)
    assert {"verify_incident", "retract_incident", "change_incident"} <= set(verifier)
    assert "change_incident" in researcher and "verify_incident" not in researcher
    assert {"change_user", "change_place", "change_legalprovision"} <= set(administrator)
    assert "change_incident" not in administrator


def test_four_eyes_refusal_is_explained(signed_in):
    client = signed_in("Verifier")
    incident = make_incident(status="submitted", created_by=make_user("Researcher"), last_edited_by=client.user)
    response = client.post(url("review", incident), {"decision": "verify", "note": "Looks right."})
    assert "another verifier must review it" in response.content.decode()
    assert status_after(incident) == "submitted"


def test_a_review_needs_a_note(signed_in):
    client = signed_in("Verifier")
    incident = entered_by_someone_else("submitted")
    response = client.post(url("review", incident), {"decision": "verify", "note": "  "})
    assert response.status_code == 200 and "This field is required." in response.content.decode()
    assert status_after(incident) == "submitted"


def test_the_review_queue_lists_submissions_oldest_first(signed_in):
    client = signed_in("Verifier")
    researcher = signed_in("Researcher")
    first = entered_by_someone_else(title="Submitted first")
    second = entered_by_someone_else(title="Submitted second")
    entered_by_someone_else(title="Still a draft")
    for incident in (first, second):
        researcher.post(url("submit", incident))
    html = client.get(reverse("admin:incidents_submittedincident_changelist")).content.decode()
    assert html.index("Submitted first") < html.index("Submitted second")
    assert "Still a draft" not in html
    assert researcher.user.username in html
    assert researcher.get(reverse("admin:incidents_submittedincident_changelist")).status_code == 403


def test_the_review_queue_query_count_is_fixed(signed_in, django_assert_num_queries):
    client = signed_in("Verifier")
    queue = reverse("admin:incidents_submittedincident_changelist")
    entered_by_someone_else("submitted")
    client.get(queue)
    # One of them counts the queue for the admin menu.
    with django_assert_num_queries(8):
        client.get(queue)
    for _ in range(5):
        entered_by_someone_else("submitted")
    with django_assert_num_queries(8):
        assert client.get(queue).status_code == 200


def test_create_staff_user_reads_the_password_from_the_environment(monkeypatch):
    monkeypatch.setenv("VIGIL_NEW_USER_PASSWORD", "a-long-and-unusual-passphrase-81")
    call_command("create_staff_user", "amina", "--role", "Verifier", verbosity=0)
    user = User.objects.get(username="amina")
    assert user.is_staff and not user.is_superuser
    assert user.check_password("a-long-and-unusual-passphrase-81")
    assert list(user.groups.values_list("name", flat=True)) == ["Verifier"]


def test_create_staff_user_refuses_a_weak_password_and_a_taken_name(monkeypatch):
    monkeypatch.setenv("VIGIL_NEW_USER_PASSWORD", "12345678")
    with pytest.raises(CommandError, match="not accepted"):
        call_command("create_staff_user", "weak", "--role", "Researcher")
    assert not User.objects.filter(username="weak").exists()
    make_user("Researcher", username="taken")
    monkeypatch.setenv("VIGIL_NEW_USER_PASSWORD", "a-long-and-unusual-passphrase-81")
    with pytest.raises(CommandError, match="already exists"):
        call_command("create_staff_user", "taken", "--role", "Researcher")
