"""A person or an organisation entered twice is merged by a verifier: nothing of either is lost,
the old address leads to the kept record, both histories say so, and the merge can be undone."""

import datetime

import pytest
from django.urls import reverse

from cases.models import CustodyPeriod
from core.models import Merge
from incidents.models import Charge, LegalProvision
from organisations.models import Membership, Organisation, OrganisationAlias
from people.models import NameVariant, Person
from sources.models import Citation, Source

from .factories import involve, make_incident, make_organisation, make_person

pytestmark = pytest.mark.django_db


def merge_url(record, *args) -> str:
    opts = record._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_merge", args=[record.pk, *args])


def undo_url(record, merge: Merge) -> str:
    opts = record._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_undo_merge", args=[record.pk, merge.pk])


@pytest.fixture
def twice_entered(db):
    """Ajzhangul Amirova entered twice, each record with rows of its own."""
    kept = make_person("Ajzhangul Amirova", consent_to_publish=True, occupation="")
    other = make_person(
        "Ayzhangul Amirova", consent_to_publish=True, occupation="journalist", birth_date=datetime.date(1980, 1, 1)
    )
    NameVariant.objects.create(person=other, name="Айжангуль Амирова")
    NameVariant.objects.create(person=kept, name="Aizhangul Amirova")
    NameVariant.objects.create(person=other, name="Aizhangul Amirova")  # the same spelling on both
    arrest, search = make_incident(title="Arrest at Aktau airport"), make_incident(title="Search of her flat")
    involve(arrest, "victim", person=kept)
    involvement = involve(search, "victim", person=other)
    charge = Charge.objects.create(
        incident=search, person=other, provision=LegalProvision.objects.first(), status="charged"
    )
    union = make_organisation("Halyk Maidan")
    membership = Membership.objects.create(person=other, organisation=union, role="head of the branch")
    period = CustodyPeriod.objects.create(
        person=other, incident=search, kind="pre_trial", start_date=datetime.date(2012, 1, 6)
    )
    source = Source.objects.create(title="Emergency announcement")
    citation = Citation.objects.create(cited_record=other, source=source, claim="record")
    rows = {
        "involvement": involvement,
        "charge": charge,
        "membership": membership,
        "period": period,
        "citation": citation,
    }
    return kept, other, rows


def test_a_verifier_merges_a_person_entered_twice_and_nothing_is_lost(client, signed_in, twice_entered):
    kept, other, rows = twice_entered
    verifier = signed_in("Verifier")
    old_address, old_permanent = other.get_absolute_url(), f"/people/{other.public_id}/"
    assert client.get(old_address).status_code == 200

    chooser = verifier.get(merge_url(kept)).content.decode()
    assert "Ayzhangul Amirova" in chooser  # offered as a possible duplicate
    compared = verifier.get(merge_url(kept), {"other": other.slug}).content.decode()
    assert "journalist" in compared and 'name="take_occupation"' in compared
    response = verifier.post(merge_url(kept), {"other": other.slug, "take_occupation": "other", "take_name": "kept"})
    assert response.status_code == 302

    kept.refresh_from_db()
    assert kept.name == "Ajzhangul Amirova" and kept.occupation == "journalist" and kept.birth_date is None
    assert not Person.objects.filter(pk=other.pk).exists()
    for name, row in rows.items():
        row.refresh_from_db()
        assert (row.object_id if name == "citation" else row.person_id) == kept.pk, name
    assert set(kept.name_variants.values_list("name", flat=True)) == {
        "Ayzhangul Amirova",
        "Айжангуль Амирова",
        "Aizhangul Amirova",
    }
    assert kept.history.latest().history_change_reason.startswith("Merged “Ayzhangul Amirova”")
    assert Person.history.filter(id=other.pk, history_type="-").get().history_change_reason.startswith("Merged into")
    assert rows["charge"].history.latest().history_change_reason.startswith("Merged")

    assert client.get(old_address).status_code == 301
    assert client.get(old_address)["Location"] == kept.get_absolute_url()
    assert client.get(old_permanent)["Location"] == kept.get_absolute_url()
    found = client.get("/incidents/", {"q": "Ayzhangul"}).content.decode()
    assert "Search of her flat" in found and "Arrest at Aktau airport" in found


def test_the_merge_is_undone_while_nobody_changed_the_kept_record(client, signed_in, twice_entered):
    kept, other, rows = twice_entered
    verifier = signed_in("Verifier")
    slug, variants_before = other.slug, set(NameVariant.objects.values_list("person", "name"))
    verifier.post(merge_url(kept), {"other": other.slug, "take_occupation": "other", "take_birth_date": "other"})
    merge = Merge.objects.get()
    page = verifier.get(reverse("admin:people_person_change", args=[kept.pk])).content.decode()
    assert "Undo this merge" in page

    response = verifier.post(undo_url(kept, merge))
    assert response["Location"] == reverse("admin:people_person_change", args=[other.pk])
    restored = Person.objects.get(pk=other.pk)
    assert (restored.slug, restored.public_id, restored.occupation) == (slug, other.public_id, "journalist")
    kept.refresh_from_db()
    assert (kept.occupation, kept.birth_date) == ("", None)
    assert set(NameVariant.objects.values_list("person", "name")) == variants_before
    for name, row in rows.items():
        row.refresh_from_db()
        assert (row.object_id if name == "citation" else row.person_id) == other.pk, name
    assert client.get(restored.get_absolute_url()).status_code == 200
    assert verifier.post(undo_url(kept, merge)).status_code == 302
    assert Person.objects.filter(pk=other.pk).count() == 1


def test_no_undo_once_the_kept_record_was_changed(signed_in, twice_entered):
    kept, other, _rows = twice_entered
    verifier = signed_in("Verifier")
    verifier.post(merge_url(kept), {"other": other.slug})
    kept.refresh_from_db()
    kept.biography = "Head of the Mangistau branch."
    kept.save()
    merge = Merge.objects.get()
    page = verifier.get(reverse("admin:people_person_change", args=[kept.pk])).content.decode()
    assert "the merge can no longer be undone" in page and "Undo this merge" not in page
    verifier.post(undo_url(kept, merge))
    assert not Person.objects.filter(pk=other.pk).exists()


def test_only_verifiers_merge(signed_in, twice_entered):
    kept, other, _rows = twice_entered
    researcher = signed_in("Researcher")
    assert researcher.get(merge_url(kept)).status_code == 403
    assert researcher.post(merge_url(kept), {"other": other.slug}).status_code == 403
    assert Person.objects.filter(pk=other.pk).exists()
    assert (
        "Merge a duplicate"
        not in researcher.get(reverse("admin:people_person_change", args=[kept.pk])).content.decode()
    )


def test_an_unknown_address_to_merge_is_said_plainly(signed_in, twice_entered):
    kept, _other, _rows = twice_entered
    page = signed_in("Verifier").get(merge_url(kept), {"address": "no-such-person"}).content.decode()
    assert "No other record has the address “no-such-person”." in page


def test_a_person_whose_page_is_not_public_is_never_named_by_an_old_address(client, signed_in, twice_entered):
    kept, other, _rows = twice_entered
    Person.objects.filter(pk=kept.pk).update(consent_to_publish=False)
    signed_in("Verifier").post(merge_url(kept), {"other": other.slug})
    assert client.get(other.get_absolute_url()).status_code == 404
    assert client.get(f"/people/{other.public_id}/").status_code == 404


def test_organisations_are_merged_with_their_aliases_members_and_branches(client, signed_in):
    kept = make_organisation("Halyk Maidan")
    other = make_organisation("Народный Майдан")
    branch = make_organisation("Halyk Maidan, Mangistau branch", parent=other)
    member = Membership.objects.create(person=make_person(), organisation=other, role="member")
    involvement = involve(make_incident(), "perpetrator", organisation=other)
    verifier = signed_in("Verifier")
    verifier.post(merge_url(kept), {"other": other.slug})
    for row in (branch, member, involvement):
        row.refresh_from_db()
    assert (branch.parent_id, member.organisation_id, involvement.organisation_id) == (kept.pk,) * 3
    assert list(OrganisationAlias.objects.filter(organisation=kept).values_list("name", flat=True)) == [
        "Народный Майдан"
    ]
    assert not Organisation.objects.filter(pk=other.pk).exists()
    assert client.get(f"/organisations/{other.slug}/")["Location"] == kept.get_absolute_url()
