"""Synthetic but realistic data for benchmarks: `generate_dataset --incidents N [--seed S]`.

Shapes follow what documentation groups produce: a few places, types and articles account for
most cases (Zipf-like), people carry names in Latin and Cyrillic with several spellings, about a
tenth of incidents are drafts and a fiftieth confidential. Rows go in with bulk inserts in
chunks, so a million incidents fit in memory and load in minutes. The same seed gives the same
data. Being synthetic, it gets no change history: the history is for records people entered.
"""

import bisect
import contextlib
import dataclasses
import datetime
import functools
import itertools
import multiprocessing
import os
import random
import time
import uuid
from collections.abc import Sequence

from anyascii import anyascii
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections, transaction
from django.utils.text import slugify

from core.dates import period_of
from core.text import normalise_name
from incidents.models import Charge, Incident, IncidentType, Involvement, LegalProvision
from incidents.querysets import SAMPLE_SHARE
from incidents.search import refresh_search_text
from incidents.vocabularies import ensure_default_incident_types
from organisations.models import Organisation, OrganisationAlias
from people.models import NameVariant, Person
from places.iso import ensure_iso_places
from places.models import Place, normalised_names

COUNTRIES = ["KZ", "RU", "BY", "UZ", "KG", "TJ", "AZ", "AM"]
FIRST_NAMES = [
    "Айжан",
    "Жанар",
    "Ерлан",
    "Нурлан",
    "Асель",
    "Гульнар",
    "Бахыт",
    "Серик",
    "Айгуль",
    "Марат",
    "Наталья",
    "Елена",
    "Сергей",
    "Алексей",
    "Ольга",
    "Дмитрий",
    "Татьяна",
    "Игорь",
    "Светлана",
    "Юрий",
    "Жаңыл",
    "Әсел",
    "Қайрат",
    "Өмір",
    "Ұлан",
    "Ғалым",
    "Іңкәр",
    "Шынар",
    "Руслан",
    "Динара",
]
SURNAMES = [
    "Амирова",
    "Сактаганова",
    "Ахметов",
    "Жумабаев",
    "Нургалиев",
    "Сулейменов",
    "Касымова",
    "Оспанов",
    "Соколова",
    "Иванов",
    "Петрова",
    "Смирнов",
    "Кузнецова",
    "Попов",
    "Волкова",
    "Морозов",
    "Қожахметов",
    "Әбілова",
    "Өтебаев",
    "Тұрсынова",
    "Есенғали",
    "Құрманов",
    "Байжанова",
    "Мұхтаров",
]
ORGANISATION_WORDS = [
    ("Народное движение", "People's Movement"),
    ("Союз", "Union"),
    ("Центр", "Centre"),
    ("Фонд", "Foundation"),
    ("Партия", "Party"),
    ("Комитет", "Committee"),
    ("Бюро", "Bureau"),
]
ORGANISATION_NAMES = ["Алга", "Азат", "Свобода", "Справедливость", "Достоинство", "Рассвет", "Голос", "Кенес"]
SUMMARY_WORDS = [
    "activist",
    "journalist",
    "lawyer",
    "detained",
    "police",
    "court",
    "hearing",
    "statement",
    "protest",
    "strike",
    "office",
    "search",
    "equipment",
    "seized",
    "family",
    "threatened",
    "beaten",
    "released",
    "custody",
    "charged",
    "appeal",
    "sentence",
    "blogger",
    "union",
    "workers",
    "oil",
    "region",
    "night",
    "morning",
    "airport",
    "apartment",
    "documents",
    "laptop",
    "video",
    "witness",
    "hospital",
]
CODES = [("Penal Code", "1997"), ("Penal Code", "2014"), ("Code of Administrative Offences", "2001")]
CHUNK = 10_000


class ZipfChooser:
    """Picks items with weights 1/rank^exponent: a few common, a long tail."""

    def __init__(self, items: Sequence, exponent: float = 1.1):
        self.items = items
        self.cumulative = list(itertools.accumulate(1 / (rank**exponent) for rank in range(1, len(items) + 1)))

    def __call__(self, rng: random.Random):
        return self.items[bisect.bisect_left(self.cumulative, rng.random() * self.cumulative[-1])]


@contextlib.contextmanager
def secondary_indexes_set_aside(models):
    """On PostgreSQL, drop the non-unique indexes of these tables while loading, then rebuild them.

    Building an index once over a million rows is much faster than updating it a million times
    (the trigram index most of all). The definitions are read back from the database, so
    whatever the migrations created is what gets rebuilt. Elsewhere, or inside a transaction
    (a test's), nothing changes.
    """
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield
        return
    tables = [model._meta.db_table for model in models]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()"
            " AND tablename = ANY(%s) AND indexdef NOT LIKE 'CREATE UNIQUE%%'",
            [tables],
        )
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for _name, definition in indexes:
                cursor.execute(definition)


FIRST_DAY = datetime.date(2000, 1, 1).toordinal()
LAST_DAY = datetime.date(2025, 12, 31).toordinal()


@dataclasses.dataclass(frozen=True)
class IncidentPlan:
    """What every chunk of incidents draws from; a chunk's own randomness comes from the seed and its start."""

    seed: int
    prefix: str
    count: int
    types: ZipfChooser
    places: ZipfChooser
    provisions: ZipfChooser
    victims: ZipfChooser
    people: list[int]
    organisations: list[int]

    def load_chunk(self, start: int) -> int:
        rng = random.Random(f"{self.seed}-{start}")
        with transaction.atomic():
            incidents = Incident.objects.bulk_create(
                [self.incident(rng, number) for number in range(start, min(start + CHUNK, self.count))]
            )
            involvements, charges = [], []
            for incident in incidents:
                self.actors(rng, incident, involvements, charges)
            Involvement.objects.bulk_create(involvements)
            Charge.objects.bulk_create(charges)
            # Bulk inserts send no signals: build the search column the way every save does.
            refresh_search_text(Incident.objects.filter(pk__in=[incident.pk for incident in incidents]))
        return len(incidents)

    def incident(self, rng: random.Random, number: int) -> Incident:
        incident_type = self.types(rng)
        place = self.places(rng)
        precision = rng.choices(["day", "month", "year"], weights=[80, 15, 5])[0]
        first, last = period_of(datetime.date.fromordinal(rng.randint(FIRST_DAY, LAST_DAY)), precision)
        words = " ".join(rng.choices(SUMMARY_WORDS, k=12))
        roll = rng.random()
        return Incident(
            public_id=uuid.UUID(int=rng.getrandbits(128), version=4),
            slug=f"{self.prefix}{number}",
            title=f"{incident_type.name} in {place.name}",
            summary=f"Report {number}: {words}.",
            incident_type=incident_type,
            start_date=first,
            start_precision=precision,
            period_start=first,
            period_end=last,
            place=place,
            place_path=place.path,
            status=Incident.Status.DRAFT if roll < 0.10 else Incident.Status.VERIFIED,
            confidential=0.10 <= roll < 0.12,
            sample_bucket=rng.randrange(SAMPLE_SHARE),
        )

    def actors(self, rng: random.Random, incident: Incident, involvements: list, charges: list) -> None:
        victim = self.victims(rng)
        involvements.append(Involvement(incident=incident, role="victim", person_id=victim))
        if rng.random() < 0.5:
            perpetrator = {"organisation_id": rng.choice(self.organisations)}
        else:
            perpetrator = {"unidentified_actor": "Unidentified officers"}
        involvements.append(Involvement(incident=incident, role="perpetrator", **perpetrator))
        involvements.append(Involvement(incident=incident, role="witness", person_id=rng.choice(self.people)))
        if rng.random() < 0.3:
            status = rng.choice(Charge.Status.values)
            if status == Charge.Status.CONVICTED:
                # Once a sentence length; still drawn, so that a seed makes the same data as before.
                rng.randint(6, 120)
            charges.append(
                Charge(
                    public_id=uuid.UUID(int=rng.getrandbits(128), version=4),
                    person_id=victim,
                    provision=self.provisions(rng),
                    incident=incident,
                    date=incident.start_date,
                    date_precision=incident.start_precision,
                    status=status,
                    sample_bucket=incident.sample_bucket,
                )
            )


# A few hundred first names and surnames make every person's name: spell each combination once.
normalised = functools.cache(normalise_name)


@functools.cache
def romanised(name: str) -> str:
    return anyascii(name).replace("'", "")


class Command(BaseCommand):
    help = "Fill the configured database with a synthetic dataset of N incidents (for benchmarks)."

    def add_arguments(self, parser):
        parser.add_argument("--incidents", type=int, required=True, help="number of incidents")
        parser.add_argument("--seed", type=int, default=1, help="random seed; the same seed gives the same data")

    def handle(self, *args, incidents: int, seed: int, **options):
        if incidents < 1:
            raise CommandError("--incidents must be at least 1.")
        prefix = f"gen{seed}-"
        if Incident.objects.filter(slug__startswith=prefix).exists():
            raise CommandError(f"A dataset with seed {seed} is already loaded; use another --seed or a fresh database.")
        self.rng = random.Random(seed)
        self.seed = seed
        self.count = incidents
        self.prefix = prefix
        started = time.monotonic()
        ensure_iso_places(Place)
        ensure_default_incident_types(IncidentType)
        with transaction.atomic():
            places = self.make_places()
            provisions = self.make_provisions()
        self.report("places and provisions", started)
        with secondary_indexes_set_aside([Person, NameVariant, Organisation, OrganisationAlias]):
            with transaction.atomic():
                people = self.make_people(max(incidents // 3, 1))
            self.report(f"{len(people):,} people", started)
            with transaction.atomic():
                organisations = self.make_organisations(max(incidents // 20, 1))
            self.report(f"{len(organisations):,} organisations", started)
        with secondary_indexes_set_aside([Incident, Involvement, Charge]):
            self.make_incidents(incidents, places, provisions, people, organisations, started)
        self.report("indexes rebuilt", started)
        # Cases and custody come from the public charges just made (by name: the cases app is
        # built on this one).
        call_command("generate_custody", seed=seed, stdout=self.stdout)

    def report(self, what: str, started: float):
        self.stdout.write(f"{time.monotonic() - started:8.1f} s  {what}")

    def new_uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def make_places(self) -> list[Place]:
        regions = list(
            Place.objects.filter(kind=Place.Kind.REGION, parent__iso_code__in=COUNTRIES).order_by("iso_code")
        )
        districts = Place.objects.bulk_create(
            [
                Place(
                    public_id=self.new_uuid(),
                    name=f"{region.name} district {number}",
                    names_normalised=normalised_names(f"{region.name} district {number}"),
                    kind=Place.Kind.DISTRICT,
                    parent=region,
                    slug=f"{self.prefix}{region.slug}-d{number}",
                )
                for region in regions
                for number in range(1, 4)
            ],
            batch_size=CHUNK,
        )
        cities = Place.objects.bulk_create(
            [
                Place(
                    public_id=self.new_uuid(),
                    name=f"{district.name} town {number}",
                    names_normalised=normalised_names(f"{district.name} town {number}"),
                    kind=Place.Kind.CITY,
                    parent=district,
                    slug=f"{district.slug}-t{number}",
                )
                for district in districts
                for number in range(1, 5)
            ],
            batch_size=CHUNK,
        )
        for place in districts + cities:
            place.path = f"{place.parent.path}{place.pk}/"
        Place.objects.bulk_update(districts + cities, ["path"], batch_size=CHUNK)
        self.rng.shuffle(cities)
        return cities

    def make_provisions(self) -> list[LegalProvision]:
        countries = list(Place.objects.filter(iso_code__in=COUNTRIES).order_by("iso_code"))
        provisions = [
            LegalProvision(
                public_id=self.new_uuid(),
                jurisdiction=country,
                code=code,
                edition=edition,
                article=str(article),
                title_en=f"Offence under article {article}",
                slug=f"{self.prefix}{country.iso_code.lower()}-{slugify(code)}-{edition}-{article}",
            )
            for country in countries
            for code, edition in CODES
            for article in self.rng.sample(range(100, 500), 14)
        ]
        provisions = LegalProvision.objects.bulk_create(provisions, batch_size=CHUNK)
        self.rng.shuffle(provisions)
        return provisions

    def spellings(self, cyrillic: str) -> list[tuple[str, str]]:
        """The Cyrillic name, its romanisation and a few common alternative spellings."""
        latin = romanised(cyrillic)
        variants = [(cyrillic, NameVariant.Kind.TRANSLITERATION), (latin, NameVariant.Kind.SPELLING)]
        for old, new in (("y", "j"), ("zh", "j"), ("ya", "ia"), ("kh", "h")):
            if old in latin.lower():
                variants.append((latin.replace(old, new), NameVariant.Kind.SPELLING))
        return variants[: self.rng.randint(1, 4)]

    def make_people(self, count: int) -> list[int]:
        ids = []
        for start in range(0, count, CHUNK):
            names = [
                f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(SURNAMES)}" for _ in range(min(CHUNK, count - start))
            ]
            people = Person.objects.bulk_create(
                [
                    Person(
                        public_id=self.new_uuid(),
                        name=romanised(name),
                        name_normalised=normalised(name),
                        slug=f"{self.prefix}p{start + offset}",
                        confidential=self.rng.random() < 0.02,
                    )
                    for offset, name in enumerate(names)
                ],
                batch_size=CHUNK,
            )
            NameVariant.objects.bulk_create(
                [
                    NameVariant(
                        person=person,
                        name=variant,
                        kind=kind,
                        normalised=normalised(variant),
                        script="cyrillic" if variant == name else "latin",
                    )
                    for person, name in zip(people, names, strict=True)
                    for variant, kind in self.spellings(name)
                ],
                batch_size=CHUNK,
                ignore_conflicts=True,
            )
            ids.extend(person.pk for person in people)
        return ids

    def make_organisations(self, count: int) -> list[int]:
        cyrillic_names, organisations = [], []
        for number in range(count):
            russian, english = self.rng.choice(ORGANISATION_WORDS)
            word = self.rng.choice(ORGANISATION_NAMES)
            cyrillic_names.append(f"{russian} «{word}» {number}")
            name = f"{english} {anyascii(word)} {number}"
            organisations.append(
                Organisation(
                    public_id=self.new_uuid(),
                    name=name,
                    name_normalised=normalise_name(name),
                    kind=self.rng.choice(Organisation.Kind.values),
                    slug=f"{self.prefix}o{number}",
                    confidential=self.rng.random() < 0.02,
                )
            )
        organisations = Organisation.objects.bulk_create(organisations, batch_size=CHUNK)
        heads = organisations[: max(len(organisations) // 10, 1)]
        branches = [org for org in organisations[len(heads) :] if self.rng.random() < 0.1]
        for branch in branches:
            branch.parent = self.rng.choice(heads)
        Organisation.objects.bulk_update(branches, ["parent"], batch_size=CHUNK)
        OrganisationAlias.objects.bulk_create(
            [
                OrganisationAlias(
                    organisation=organisation,
                    name=alias,
                    kind=OrganisationAlias.Kind.TRANSLATION,
                    normalised=normalise_name(alias),
                )
                for organisation, cyrillic in zip(organisations, cyrillic_names, strict=True)
                for alias in [cyrillic, anyascii(cyrillic)][: self.rng.randint(1, 2)]
            ],
            batch_size=CHUNK,
            ignore_conflicts=True,
        )
        return [organisation.pk for organisation in organisations]

    def make_incidents(self, count, places, provisions, people, organisations, started):
        """Chunks of incidents, each from its own seeded generator, so they can load in parallel.

        On PostgreSQL, outside a transaction, one process per core loads chunks; SQLite takes
        one writer at a time, and a test's open transaction must see the rows, so there the
        chunks load in this process. Either way a seed gives the same records.
        """
        plan = IncidentPlan(
            seed=self.seed,
            prefix=self.prefix,
            count=count,
            types=ZipfChooser(list(IncidentType.objects.order_by("pk"))),
            places=ZipfChooser(places),
            provisions=ZipfChooser(provisions),
            victims=ZipfChooser(people, exponent=0.8),
            people=people,
            organisations=organisations,
        )
        starts = range(0, count, CHUNK)
        workers = min(os.cpu_count() or 1, len(starts))
        if connection.vendor != "postgresql" or connection.in_atomic_block or workers < 2:
            self.follow(map(plan.load_chunk, starts), started)
        else:
            connections.close_all()  # each process opens its own connection
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                self.follow(pool.imap_unordered(plan.load_chunk, starts), started)

    def follow(self, loaded_chunks, started: float):
        done = 0
        for number, chunk_size in enumerate(loaded_chunks, start=1):
            done += chunk_size
            if number % 10 == 0 or done == self.count:
                self.report(f"{done:,} incidents", started)
