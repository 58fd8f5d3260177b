"""Sentences move from charges to sentences of their own.

A sentence used to be written on each charge, so a combined sentence for three articles was
repeated on all three. Here the charges that carry one become a case per incident (linking every
charge of that incident), and each distinct sentence of a person in that incident becomes one
Sentence: the text as pronounced, the months, the charge's date as the judgment's date, and the
citations given for the sentence. The kind of sentence is not guessed from the text: it is left
blank for an editor to set.

Reversible: going back writes each sentence onto the convicted charges of its person in its
incident and copies its citations back; the cases and sentences stay until their tables go (cases
0001), and running forward again skips charges already in a case. A sentence entered later goes
back only where such a convicted charge exists (a charge could carry a sentence only then).
"""

from django.db import migrations
from django.db.models import Q

MADE_HERE = "Made by migration cases.0002 from the sentences that were recorded on charges."


def content_type(apps, app_label: str, model: str):
    ContentType = apps.get_model("contenttypes", "ContentType")
    return ContentType.objects.get_or_create(app_label=app_label, model=model)[0]


def unique_slug(Case, base: str) -> str:
    candidate, number = base[:100], 1
    while Case.objects.filter(slug=candidate).exists():
        number += 1
        candidate = f"{base[:100]}-{number}"
    return candidate


def sentences_from_charges(apps, schema_editor):
    Charge = apps.get_model("incidents", "Charge")
    Case = apps.get_model("cases", "Case")
    CaseCharge = apps.get_model("cases", "CaseCharge")
    Sentence = apps.get_model("cases", "Sentence")
    Citation = apps.get_model("sources", "Citation")
    charge_type, sentence_type = content_type(apps, "incidents", "charge"), content_type(apps, "cases", "sentence")
    sentenced = Charge.objects.filter(Q(sentence__gt="") | Q(sentence_months__isnull=False), case_link__isnull=True)
    for incident_id in sentenced.order_by("incident_id").values_list("incident_id", flat=True).distinct():
        charges = list(Charge.objects.filter(incident_id=incident_id).select_related("incident").order_by("pk"))
        incident = charges[0].incident
        case = Case.objects.create(
            title=incident.title, slug=unique_slug(Case, incident.slug), private_notes=MADE_HERE
        )
        case.incidents.add(incident)
        sentences = {}
        for charge in charges:
            CaseCharge.objects.create(case=case, charge=charge)
            if not charge.sentence and charge.sentence_months is None:
                continue
            key = (charge.person_id, charge.sentence, charge.sentence_months)
            if key not in sentences:
                sentences[key] = Sentence.objects.create(
                    case=case,
                    incident=incident,
                    person_id=charge.person_id,
                    judgment_date=charge.date,
                    judgment_date_precision=charge.date_precision,
                    term_months=charge.sentence_months,
                    pronounced=charge.sentence,
                )
            for citation in Citation.objects.filter(content_type=charge_type, object_id=charge.pk, claim="sentence"):
                if not Citation.objects.filter(
                    content_type=sentence_type, object_id=sentences[key].pk, claim="sentence", source=citation.source_id
                ).exists():
                    Citation.objects.create(
                        content_type=sentence_type,
                        object_id=sentences[key].pk,
                        claim="sentence",
                        source_id=citation.source_id,
                        confidence=citation.confidence,
                        locator=citation.locator,
                    )
                citation.delete()


def sentences_back_onto_charges(apps, schema_editor):
    Charge = apps.get_model("incidents", "Charge")
    Sentence = apps.get_model("cases", "Sentence")
    Citation = apps.get_model("sources", "Citation")
    charge_type, sentence_type = content_type(apps, "incidents", "charge"), content_type(apps, "cases", "sentence")
    for sentence in Sentence.objects.order_by("pk"):
        convicted = list(
            Charge.objects.filter(
                incident_id=sentence.incident_id, person_id=sentence.person_id, status="convicted"
            ).order_by("pk")
        )
        citations = list(Citation.objects.filter(content_type=sentence_type, object_id=sentence.pk))
        for charge in convicted:
            charge.sentence = sentence.pronounced or ""
            charge.sentence_months = sentence.term_months
            charge.save(update_fields=["sentence", "sentence_months"])
            for citation in citations:
                Citation.objects.get_or_create(
                    content_type=charge_type,
                    object_id=charge.pk,
                    claim="sentence",
                    source_id=citation.source_id,
                    defaults={"confidence": citation.confidence, "locator": citation.locator},
                )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0001_initial"),
        ("sources", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(sentences_from_charges, sentences_back_onto_charges)]
