"""Criminal cases, sentences and custody for a tenth of the people of a generated dataset.

Run by `generate_dataset` after the incidents, and on its own (`generate_custody --seed 1`) to add
them to a dataset generated before. Each chosen person's case grows from one of their public
charges: police custody from the day of the incident, pre-trial detention, then for a conviction
a sentence served to its end or still running. Most open periods were confirmed by a source in
the last months; a fifth have gone quiet for over a year ("status unknown").
"""

import datetime
import random
import time
import uuid

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from cases.models import Case, CaseCharge, CaseStage, CustodyPeriod, Sentence
from cases.publication import refresh_public_custody
from incidents.models import Charge, Incident
from people.models import Person
from places.models import Place

SHARE_OF_PEOPLE = 10
CONVICTED_SHARE = 0.6
FACILITIES = 300
STALE_SHARE = 0.2
CHUNK = 5000
DAY = datetime.timedelta(days=1)


def months_later(day: datetime.date, months: int) -> datetime.date:
    year, month = divmod(day.month - 1 + months, 12)
    return day.replace(year=day.year + year, month=month + 1, day=min(day.day, 28))


class Command(BaseCommand):
    help = "Add criminal cases, sentences and custody periods to the generated dataset of a seed."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=1, help="the seed the dataset was generated with")

    def handle(self, *args, seed: int, **options):
        prefix = f"gen{seed}-"
        if CustodyPeriod.objects.filter(person__slug__startswith=prefix).exists():
            raise CommandError(f"The dataset of seed {seed} has its cases and custody already.")
        started = time.monotonic()
        self.rng = random.Random(f"{seed}-custody")
        self.today = datetime.date.today()
        people = Person.objects.filter(slug__startswith=prefix).count()
        charges = (
            Charge.objects.filter(
                incident__slug__startswith=prefix,
                incident__status=Incident.Status.VERIFIED,
                incident__confidential=False,
                person__confidential=False,
            )
            .order_by("pk")
            .values_list(
                "pk", "person_id", "person__name", "incident_id", "incident__start_date", "status", "case_link__case"
            )
        )
        first_charge: dict[int, tuple] = {}
        for row in charges:
            first_charge.setdefault(row[1], row)
        # A dataset generated before cases existed had its sentences moved into cases by a
        # migration: those charges keep their case, and its sentence gives the term.
        self.terms = {
            (case_id, person_id): term
            for case_id, person_id, term in Sentence.objects.filter(case__slug__startswith=prefix).values_list(
                "case", "person", "term_months"
            )
        }
        convicted = [row for row in first_charge.values() if row[5] == Charge.Status.CONVICTED]
        others = [row for row in first_charge.values() if row[5] != Charge.Status.CONVICTED]
        wanted = max(people // SHARE_OF_PEOPLE, 1)
        chosen = self.rng.sample(convicted, min(len(convicted), round(wanted * CONVICTED_SHARE)))
        chosen += self.rng.sample(others, min(len(others), wanted - len(chosen)))
        chosen.sort()
        with transaction.atomic():
            facilities = self.make_facilities(prefix)
            for start in range(0, len(chosen), CHUNK):
                self.make_cases(prefix, chosen[start : start + CHUNK], start, facilities)
            # Rows added in bulk send no signal: what is kept on the periods is computed once here.
            refresh_public_custody()
        held = CustodyPeriod.objects.held_on(self.today).confirmed().values("person").distinct().count()
        self.stdout.write(
            f"{time.monotonic() - started:8.1f} s  cases and custody for {len(chosen):,} people, {held:,} held today"
        )

    def new_uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def make_facilities(self, prefix: str) -> list[Place]:
        regions = list(Place.objects.filter(kind=Place.Kind.REGION, path__startswith="/").order_by("pk"))
        regions = [region for region in regions if Incident.objects.filter(place_path__startswith=region.path)[:1]]
        facilities = Place.objects.bulk_create(
            [
                Place(
                    public_id=self.new_uuid(),
                    name=f"Detention centre {number}, {region.name}",
                    names_normalised=f"detention centre {number}",
                    kind=Place.Kind.FACILITY,
                    parent=region,
                    slug=f"{prefix}f{number}",
                )
                for number, region in enumerate(self.rng.choices(regions, k=FACILITIES))
            ]
        )
        for facility in facilities:
            facility.path = f"{facility.parent.path}{facility.pk}/"
        Place.objects.bulk_update(facilities, ["path"])
        return facilities

    def make_cases(self, prefix: str, chosen: list[tuple], offset: int, facilities: list[Place]) -> None:
        new_cases = iter(
            Case.objects.bulk_create(
                [
                    Case(
                        public_id=self.new_uuid(),
                        slug=f"{prefix}c{offset + number}",
                        title=f"The case against {name}",
                        number=f"{offset + number}/{arrested.year}",
                    )
                    for number, (_pk, _person, name, _incident, arrested, _status, case_id) in enumerate(chosen)
                    if case_id is None
                ]
            )
        )
        spans, links, periods, sentences, stages = [], [], [], [], []
        for charge_id, person_id, _name, incident_id, arrested, status, existing_case in chosen:
            case_id = existing_case or next(new_cases).pk
            term = self.terms.get((case_id, person_id))
            if existing_case is None:
                spans.append(Case.incidents.through(case_id=case_id, incident_id=incident_id))
                links.append(CaseCharge(case_id=case_id, charge_id=charge_id))
            row = {"person_id": person_id, "incident_id": incident_id, "case_id": case_id}
            facility = self.rng.choice(facilities)
            transfer = arrested + 2 * DAY
            periods.append(self.period(row, "police", arrested, transfer, "transferred"))
            trial = transfer + self.rng.randint(30, 400) * DAY
            outcome = {"convicted": "convicted", "acquitted": "acquitted", "dropped": "closed"}.get(status, "pending")
            stages.append(
                CaseStage(
                    case_id=case_id,
                    incident_id=incident_id,
                    kind="trial",
                    start_date=transfer,
                    end_date=trial,
                    outcome=outcome,
                )
            )
            if trial > self.today:  # still awaiting trial
                periods.append(self.period(row, "pre_trial", transfer, trial, "", facility))
                stages[-1].end_date, stages[-1].outcome = None, "pending"
            elif status == Charge.Status.CONVICTED:
                drawn = self.rng.randint(12, 120)
                periods.append(self.period(row, "pre_trial", transfer, trial, "transferred", facility))
                if term is None:
                    term = drawn
                    sentences.append(
                        Sentence(
                            case_id=case_id,
                            incident_id=incident_id,
                            person_id=person_id,
                            judgment_date=trial,
                            kind="imprisonment",
                            term_months=term,
                            regime=self.rng.choice(["general", "strict", "settlement"]),
                        )
                    )
                served = months_later(trial, term)
                periods.append(self.period(row, "sentence", trial, served, "served", facility))
            else:
                reason = "acquittal" if status == Charge.Status.ACQUITTED else "released"
                periods.append(self.period(row, "pre_trial", transfer, trial, reason, facility))
        Case.incidents.through.objects.bulk_create(spans)
        CaseCharge.objects.bulk_create(links)
        CaseStage.objects.bulk_create(stages)
        Sentence.objects.bulk_create(sentences)
        CustodyPeriod.objects.bulk_create(periods)

    def period(self, row, kind, start, end, reason, facility=None) -> CustodyPeriod:
        """A period as `CustodyPeriod.save` would store it; one that would end after today is
        open, confirmed recently or, for a fifth, not for over a year."""
        last_confirmed = start
        if end > self.today:
            end, reason = None, ""
            stale = self.rng.random() < STALE_SHARE
            latest = self.today - (400 if stale else 0) * DAY
            earliest = start if stale else max(start, self.today - 180 * DAY)
            last_confirmed = earliest + self.rng.randint(0, max((latest - earliest).days, 0)) * DAY
        return CustodyPeriod(
            **row,
            kind=kind,
            start_date=start,
            end_date=end,
            end_reason=reason,
            facility=facility,
            last_confirmed=last_confirmed,
            period_start=start,
            period_end=end,
        )
