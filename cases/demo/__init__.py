"""The criminal cases of the demo case, on top of its incidents (`incidents.demo`): the data in
`cases.yaml`, saved the same way, by natural keys, so that loading twice updates in place.

A case made from charges by migration `cases.0002` is found by its charges and takes the slug and
words of the data file, rather than being made twice.
"""

from pathlib import Path

import yaml
from django.db import transaction

from incidents.demo import cite, field_values, find, save
from incidents.models import Charge, Incident, LegalProvision
from people.models import Person

from ..models import Case, CaseCharge, CaseStage, CustodyPeriod, Sentence

DATA_FILE = Path(__file__).resolve().parent / "cases.yaml"


def read() -> list[dict]:
    with DATA_FILE.open(encoding="utf-8") as data_file:
        return yaml.safe_load(data_file)


def charge_of(data: dict) -> Charge:
    return Charge.objects.get(
        incident=find(Incident, data["incident"]),
        person=find(Person, data["person"]),
        provision=find(LegalProvision, data["provision"]),
    )


@transaction.atomic
def load_cases() -> None:
    for data in read():
        charges = [charge_of(charge) for charge in data.get("charges", [])]
        case = (
            Case.objects.filter(slug=data["slug"]).first()
            or Case.objects.filter(case_charges__charge__in=charges).first()
            or Case(slug=data["slug"])
        )
        for name, value in field_values(Case, {key: data[key] for key in ("slug", "title", "summary")}).items():
            setattr(case, name, value)
        case.save()
        case.incidents.add(*(find(Incident, slug) for slug in data.get("incidents", [])))
        cite(case, data)
        for charge in charges:
            CaseCharge.objects.update_or_create(charge=charge, defaults={"case": case})
        for stage in data.get("stages", []):
            cite(save(CaseStage, stage, "incident", "kind", case=case), stage)
        for sentence in data.get("sentences", []):
            cite(save(Sentence, sentence, "incident", "person", case=case), sentence)
        for period in data.get("custody", []):
            cite(save(CustodyPeriod, period, "incident", "person", "kind", case=case), period)
