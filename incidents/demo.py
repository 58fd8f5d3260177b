"""The demo case: the January 2012 arrest of Ajzhangul Amirova in Kazakhstan and its context.

Facts come from an emergency announcement published by the Open Dialog Foundation on
6 January 2012; the wording here is the project's own. Every record is keyed by a stable slug or
natural key, so loading twice updates in place and never duplicates.
"""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from organisations.models import Membership, Organisation, OrganisationAlias
from people.models import NameVariant, Person, Relationship
from places.iso import ensure_iso_places
from places.models import Place
from sources.models import Citation, Source

from .models import Charge, Evidence, Incident, IncidentLink, IncidentType, Involvement, LegalProvision
from .vocabularies import ensure_default_incident_types

HIGH, MEDIUM = Citation.Confidence.HIGH, Citation.Confidence.MEDIUM
VERIFIED = Incident.Status.VERIFIED


def cite(record, source: Source, confidence: str = HIGH, claim: str = Citation.Claim.RECORD, locator: str = ""):
    Citation.objects.update_or_create(
        content_type=ContentType.objects.get_for_model(record),
        object_id=record.pk,
        claim=claim,
        source=source,
        defaults={"confidence": confidence, "locator": locator},
    )


def place(slug: str, **fields) -> Place:
    return Place.objects.update_or_create(slug=slug, defaults=fields)[0]


def person(slug: str, variants: list[tuple[str, str, str]], **fields) -> Person:
    record = Person.objects.update_or_create(slug=slug, defaults=fields)[0]
    for name, kind, language in variants:
        NameVariant.objects.update_or_create(person=record, name=name, defaults={"kind": kind, "language": language})
    return record


def organisation(slug: str, aliases: list[tuple[str, str, str]], **fields) -> Organisation:
    record = Organisation.objects.update_or_create(slug=slug, defaults=fields)[0]
    for name, kind, language in aliases:
        OrganisationAlias.objects.update_or_create(
            organisation=record, name=name, defaults={"kind": kind, "language": language}
        )
    return record


def incident(slug: str, **fields) -> Incident:
    fields = {"status": VERIFIED, **fields}
    first_verified = {**fields, "last_verified_at": timezone.now()}
    return Incident.objects.update_or_create(slug=slug, defaults=fields, create_defaults=first_verified)[0]


def involve(record: Incident, role: str, *, person=None, organisation=None, unidentified_actor="", **fields):
    return Involvement.objects.update_or_create(
        incident=record,
        role=role,
        person=person,
        organisation=organisation,
        unidentified_actor=unidentified_actor,
        defaults=fields,
    )[0]


def link(from_incident: Incident, to_incident: Incident, kind: str, note: str = ""):
    IncidentLink.objects.update_or_create(
        from_incident=from_incident, to_incident=to_incident, defaults={"kind": kind, "note": note}
    )


@transaction.atomic
def load_demo() -> None:
    # Places: the ISO 3166 countries and regions come with the database (added again here if a
    # flush removed them); towns and sites are added.
    ensure_iso_places(Place)
    # Bulk-created places skip the history kept on each save: give them their "created" record.
    Place.history.bulk_history_create(
        list(Place.objects.exclude(pk__in=Place.history.values("id"))),
        default_change_reason="ISO 3166 countries and regions",
    )
    ensure_default_incident_types(IncidentType)
    kazakhstan = Place.objects.get(iso_code="KZ")
    mangistau = Place.objects.get(iso_code="KZ-47")
    almaty = Place.objects.get(iso_code="KZ-75")
    astana = Place.objects.get(iso_code="KZ-71")
    aktau = place(
        "aktau", name="Aktau", kind=Place.Kind.CITY, parent=mangistau, latitude="43.650000", longitude="51.160000"
    )
    aktau_airport = place(
        "aktau-airport",
        name="Aktau International Airport",
        kind=Place.Kind.SITE,
        parent=aktau,
        latitude="43.860100",
        longitude="51.092000",
    )
    zhanaozen = place(
        "zhanaozen",
        name="Zhanaozen",
        kind=Place.Kind.CITY,
        parent=mangistau,
        latitude="43.341200",
        longitude="52.861900",
    )
    microdistrict_5 = place(
        "zhanaozen-microdistrict-5", name="Microdistrict 5 (Orken), Zhanaozen", kind=Place.Kind.SITE, parent=zhanaozen
    )

    announcement = Source.objects.update_or_create(
        title="Emergency announcement: new arrests in Zhanaozen",
        publisher="Open Dialog Foundation",
        defaults={
            "kind": Source.Kind.ANNOUNCEMENT,
            "published_on": datetime.date(2012, 1, 6),
            "place_of_publication": "Lublin, Poland",
            "language": "en",
            "contact_name": "Ludmila Kozlovska",
            "contact_details": "lyudmylakozlovska@odfoundation.eu",
        },
    )[0]
    tengrinews_report = Source.objects.update_or_create(
        title="Timur Kulibayev on the leaders of the Mangistau oil strike",
        publisher="Tengrinews",
        defaults={
            "kind": Source.Kind.NEWS,
            "language": "ru",
            "notes": "Known to us only through its quotation in footnote 2 of the Open Dialog Foundation announcement.",
        },
    )[0]

    # People.
    spelling, patronymic, short, translit = (
        NameVariant.Kind.SPELLING,
        NameVariant.Kind.PATRONYMIC,
        NameVariant.Kind.SHORT,
        NameVariant.Kind.TRANSLITERATION,
    )
    amirova = person(
        "ajzhangul-amirova",
        [
            ("Ajzhangul Ersaynovna Amirova", patronymic, "en"),
            ("Ayzhangul Amirova", spelling, "en"),
            ("Ayzhangul", short, "en"),
            ("A. Amirova", short, "en"),
            ("Айжангуль Амирова", translit, "ru"),
            ("Айжангуль Ерсаиновна Амирова", patronymic, "ru"),
        ],
        name="Ajzhangul Amirova",
        birth_date=datetime.date(1972, 8, 18),
        birth_date_precision="day",
        birth_place=zhanaozen,
        occupation="Opposition activist; head of the Almaty city branch of the Alga! party",
        biography=(
            "Born in Zhanaozen into a large family; did not complete higher education. A member of the "
            "central council of the Halyk Maidan movement and, in Mangistau, its regional head. During the "
            "2011 oil strike she was a go-between for the strikers and journalists and international NGOs, "
            "organised humanitarian and legal help, and found lawyers for detained oil workers. Her "
            "grandfather co-founded Zhanaozen, which made her widely known there."
        ),
    )
    elmurat = person(
        "elmurat-amirov",
        [("Эльмурат Амиров", translit, "ru")],
        name="Elmurat Amirov",
        private_notes="Lives in one of the two flats searched in January 2012 (address on the incident, staff only).",
    )
    saktaganova = person(
        "zhanar-saktaganova",
        [("Жанар Сактаганова", translit, "ru")],
        name="Zhanar Saktaganova",
        occupation="Activist supporting the Mangistau oil strike",
    )
    sokolova = person(
        "natalia-sokolova",
        [("Natalya Sokolova", spelling, "en"), ("Наталья Соколова", translit, "ru")],
        name="Natalia Sokolova",
        occupation="Lawyer for the striking oil workers of Mangistau",
    )
    shalabaev = person(
        "salamat-shalabaev",
        [("Shalabaev Amirovich Salamat", spelling, "en"), ("Salamat Amirovich Shalabaev", patronymic, "en")],
        name="Salamat Shalabaev",
        occupation="Academician",
        biography=(
            "Co-founder of the town of Zhanaozen who led the development of oil production in Mangistau in the 1960s."
        ),
    )
    kulibayev = person(
        "timur-kulibayev",
        [("T. Kulibayev", short, "en"), ("Тимур Кулибаев", translit, "ru")],
        name="Timur Kulibayev",
        occupation="Chairman of the board of the Samruk-Kazyna sovereign wealth fund",
    )
    kozlovska = person(
        "ludmila-kozlovska",
        [("Lyudmyla Kozlovska", spelling, "en"), ("Людмила Козловская", translit, "ru")],
        name="Ludmila Kozlovska",
        occupation="Open Dialog Foundation",
    )
    for record in (amirova, elmurat, saktaganova, sokolova, shalabaev, kulibayev, kozlovska):
        cite(record, announcement)

    sibling = Relationship.objects.update_or_create(
        person=elmurat, kind=Relationship.Kind.SIBLING, relative=amirova, defaults={"note": "Her brother."}
    )[0]
    grandparent = Relationship.objects.update_or_create(
        person=shalabaev, kind=Relationship.Kind.GRANDPARENT, relative=amirova, defaults={}
    )[0]
    cite(sibling, announcement)
    cite(grandparent, announcement)

    # Organisations, their names and their branches.
    translation, informal, abbreviation, alias_spelling, alias_translit = (
        OrganisationAlias.Kind.TRANSLATION,
        OrganisationAlias.Kind.INFORMAL,
        OrganisationAlias.Kind.ABBREVIATION,
        OrganisationAlias.Kind.SPELLING,
        OrganisationAlias.Kind.TRANSLITERATION,
    )
    halyk_maidan = organisation(
        "halyk-maidan",
        [
            ("People's Movement Halyk Maidan", translation, "en"),
            ("National Front", translation, "en"),
            ("Popular Front", translation, "en"),
            ("Halyk Maidana", alias_spelling, "en"),
            ("Халық Майданы", alias_translit, "kk"),
        ],
        name="Halyk Maidan",
        kind=Organisation.Kind.MOVEMENT,
        area=kazakhstan,
        description="Opposition movement; it has a central council and regional branches.",
    )
    halyk_maidan_mangistau = organisation(
        "halyk-maidan-mangistau",
        [("Popular Front of the Mangistau region", translation, "en")],
        name="Halyk Maidan, Mangistau branch",
        kind=Organisation.Kind.MOVEMENT,
        parent=halyk_maidan,
        area=mangistau,
        description="Regional branch with an office in Aktau.",
    )
    alga = organisation(
        "alga-peoples-party",
        [("Alga!", abbreviation, "kk"), ("Алга!", alias_translit, "ru"), ("People's Party Alga!", translation, "en")],
        name="Alga! People's Party",
        kind=Organisation.Kind.PARTY,
        area=kazakhstan,
    )
    alga_almaty = organisation(
        "alga-almaty", [], name="Alga!, Almaty city branch", kind=Organisation.Kind.PARTY, parent=alga, area=almaty
    )
    law_enforcement = organisation(
        "kazakhstan-law-enforcement",
        [("law enforcement agencies", informal, "en")],
        name="Law enforcement agencies of Kazakhstan",
        kind=Organisation.Kind.LAW_ENFORCEMENT,
        area=kazakhstan,
        description="Named only collectively in the sources; the agency that acted is not known.",
    )
    samruk_kazyna = organisation(
        "samruk-kazyna",
        [
            ("National Welfare Foundation Samruk-Kazyna JSC", translation, "en"),
            ("National Wealth Foundation Samruk-Kazyna", translation, "en"),
            ("Самрук-Казына", alias_translit, "ru"),
        ],
        name="Samruk-Kazyna National Welfare Fund",
        kind=Organisation.Kind.COMPANY,
        area=kazakhstan,
        description="State-controlled holding that manages state assets of Kazakhstan.",
    )
    kazmunaygas = organisation(
        "kazmunaygas",
        [("КазМунайГаз", alias_translit, "ru")],
        name="KazMunayGas",
        kind=Organisation.Kind.COMPANY,
        parent=samruk_kazyna,
        area=kazakhstan,
    )
    ozenmunaygaz = organisation(
        "ozenmunaygaz",
        [("Озенмунайгаз", alias_translit, "ru")],
        name="Ozenmunaygaz",
        kind=Organisation.Kind.COMPANY,
        parent=kazmunaygas,
        area=mangistau,
    )
    karazhanbasmunai = organisation(
        "karazhanbasmunai",
        [("Karazhanbasmunay", alias_spelling, "en")],
        name="Karazhanbasmunai",
        kind=Organisation.Kind.COMPANY,
        parent=kazmunaygas,
        area=mangistau,
    )
    open_dialog = organisation(
        "open-dialog-foundation",
        [("Fundacja Otwarty Dialog", translation, "pl")],
        name="Open Dialog Foundation",
        kind=Organisation.Kind.NGO,
        area=Place.objects.get(iso_code="PL"),
    )
    expert_club = organisation(
        "expert-discussion-club", [], name="Expert discussion club", kind=Organisation.Kind.OTHER, area=astana
    )
    tengrinews = organisation(
        "tengrinews",
        [("Tengrinyus", alias_spelling, "en"), ("Tengri News", alias_spelling, "en")],
        name="Tengrinews",
        kind=Organisation.Kind.MEDIA,
        area=kazakhstan,
    )
    for record in (
        halyk_maidan,
        halyk_maidan_mangistau,
        alga,
        alga_almaty,
        law_enforcement,
        samruk_kazyna,
        kazmunaygas,
        ozenmunaygaz,
        karazhanbasmunai,
        open_dialog,
        expert_club,
        tengrinews,
    ):
        cite(record, announcement)

    for member, body, role in [
        (amirova, alga_almaty, "head of the city branch"),
        (amirova, halyk_maidan, "member of the central council"),
        (amirova, halyk_maidan_mangistau, "head of the regional branch"),
        (kulibayev, samruk_kazyna, "chairman of the board"),
        (kozlovska, open_dialog, "contact person for the announcement"),
    ]:
        membership = Membership.objects.update_or_create(person=member, organisation=body, role=role, defaults={})[0]
        cite(membership, announcement)

    # Legal provisions: the same offence in the 1997 code and in the code that replaced it.
    article_164 = LegalProvision.objects.update_or_create(
        slug="kz-penal-code-1997-article-164",
        defaults={
            "jurisdiction": kazakhstan,
            "code": "Penal Code",
            "edition": "1997",
            "article": "164",
            "title_original": "Возбуждение социальной, национальной, родовой, расовой или религиозной вражды",
            "title_original_language": "ru",
            "title_en": "Incitement of social, national, clan, racial or religious discord",
        },
    )[0]
    article_174 = LegalProvision.objects.update_or_create(
        slug="kz-penal-code-2014-article-174",
        defaults={
            "jurisdiction": kazakhstan,
            "code": "Penal Code",
            "edition": "2014",
            "article": "174",
            "title_original": "Разжигание социальной, национальной, родовой, расовой, сословной или религиозной розни",
            "title_original_language": "ru",
            "title_en": "Incitement of social, national, clan, racial, class or religious discord",
        },
    )[0]
    article_164.equivalents.add(article_174)

    types = {incident_type.slug: incident_type for incident_type in IncidentType.objects.all()}

    # Incidents.
    arrest = incident(
        "amirova-arrest-aktau-airport-2012",
        title="Ajzhangul Amirova arrested at Aktau airport",
        incident_type=types["arrest"],
        start_date=datetime.date(2012, 1, 6),
        start_precision="day",
        local_time=datetime.time(9, 30),
        place=aktau_airport,
        summary=(
            "Amirova, who led the Mangistau branch of Halyk Maidan, flew into Aktau on the morning of "
            "6 January 2012 but never reached the arrivals hall. About an hour later she managed a short "
            "call to say that law enforcement officers had detained her and charged her with inciting "
            "social discord under Article 164 of the Penal Code. Colleagues said the authorities meant to "
            "hold Halyk Maidan responsible for the December 2011 events in Zhanaozen."
        ),
    )
    office_search = incident(
        "halyk-maidan-aktau-office-search-2012",
        title="Halyk Maidan office in Aktau searched",
        incident_type=types["search"],
        start_date=datetime.date(2012, 1, 6),
        start_precision="day",
        place=aktau,
        summary="The same day as Amirova's arrest, the Aktau office of the movement's Mangistau branch was searched.",
    )
    break_in = incident(
        "amirov-flats-break-in-zhanaozen-2012",
        title="Amirov family flats in Zhanaozen broken into and searched",
        incident_type=types["break-in"],
        start_date=datetime.date(2012, 1, 6),
        start_precision="day",
        dates_approximate=True,
        place=microdistrict_5,
        location_detail="5th microdistrict, building 62, flats 15 and 16",
        summary=(
            "Relatives reported that the flats of Ajzhangul Amirova and her brother Elmurat Amirov were "
            "entered and searched while nobody was at home. The door was damaged and belongings thrown "
            "about; a private laptop, a printer and papers were taken, and nothing else."
        ),
    )
    shooting = incident(
        "shooting-amirova-saktaganova-zhanaozen-2011",
        title="Ajzhangul Amirova and Zhanar Saktaganova shot at in Zhanaozen",
        incident_type=types["attack"],
        start_date=datetime.date(2011, 10, 8),
        start_precision="day",
        local_time=datetime.time(22, 0),
        local_time_approximate=True,
        place=microdistrict_5,
        location_detail="Outside the entrance of building 62, near Amirova's home",
        summary=(
            "In the dark, as the two activists walked up to the entrance of Amirova's building, a young man "
            "ran up behind them, shouted an insult and fired a gun. Saktaganova was hit in the lower back, "
            "close to the left kidney. Both women linked the attack to their support for the oil strike and "
            "to their call, a week earlier, for Timur Kulibayev to be prosecuted."
        ),
    )
    strike = incident(
        "mangistau-oil-strike-2011",
        title="Oil workers' strike in Mangistau",
        incident_type=types["protest"],
        start_date=datetime.date(2011, 5, 1),
        start_precision="month",
        ongoing=True,
        place=mangistau,
        summary=(
            "Oil workers in western Kazakhstan went on strike in May 2011 over their labour rights; thousands "
            "were dismissed. Amirova stayed with the strikers throughout, bringing humanitarian aid, legal "
            "support and news of the peaceful protest to the outside world."
        ),
    )
    december_events = incident(
        "zhanaozen-events-16-december-2011",
        title="Events of 16 December 2011 in Zhanaozen",
        incident_type=types["protest"],
        start_date=datetime.date(2011, 12, 16),
        start_precision="day",
        place=zhanaozen,
        summary=(
            "The tragic events in Zhanaozen during the strike, for which the authorities were said to want "
            "to blame Halyk Maidan."
        ),
    )
    sokolova_case = incident(
        "natalia-sokolova-conviction",
        title="Lawyer Natalia Sokolova sentenced to six years",
        incident_type=types["prosecution"],
        start_date=datetime.date(2011, 1, 1),
        start_precision="year",
        dates_approximate=True,
        place=mangistau,
        summary=(
            "Sokolova, a lawyer for the striking oil workers, was convicted of inciting social discord under "
            "the same article later used against Amirova and sentenced to six years in prison. The source "
            "gives no date; it was before January 2012."
        ),
    )
    kulibayev_statement = incident(
        "kulibayev-statement-expert-club-2011",
        title="Timur Kulibayev blames migrants for the oil strike",
        incident_type=types["statement"],
        start_date=datetime.date(2011, 9, 29),
        start_precision="day",
        place=astana,
        summary=(
            "Speaking at the Expert discussion club in Astana, Kulibayev said the strike had been instigated by "
            "people who had moved to the region from Turkmenistan, Uzbekistan and Karakalpakstan, and that "
            "their arrival should have been restricted."
        ),
    )
    activists_declaration = incident(
        "activists-call-to-prosecute-kulibayev-2011",
        title="Activists call for Timur Kulibayev to be prosecuted",
        incident_type=types["statement"],
        start_date=datetime.date(2011, 9, 30),
        start_precision="day",
        place=kazakhstan,
        summary=(
            "Amirova and Saktaganova declared that Kulibayev should be prosecuted for inciting social discord "
            "over the unlawful dismissal of thousands of striking workers."
        ),
    )

    victim, perpetrator, other = Involvement.Role.VICTIM, Involvement.Role.PERPETRATOR, Involvement.Role.OTHER
    involvements = [
        involve(arrest, victim, person=amirova, description="Arrested and charged under Article 164"),
        involve(arrest, perpetrator, organisation=law_enforcement, description="Carried out the arrest"),
        involve(
            office_search, victim, organisation=halyk_maidan_mangistau, description="Its Aktau office was searched"
        ),
        involve(
            office_search,
            perpetrator,
            unidentified_actor="The authorities; the source does not say which agency searched the office",
        ),
        involve(break_in, victim, person=amirova, description="Her flat was entered and searched"),
        involve(break_in, victim, person=elmurat, description="His flat was damaged; laptop, printer and papers taken"),
        involve(
            break_in,
            perpetrator,
            unidentified_actor="Unknown persons who searched the flats without the owners present",
        ),
        involve(shooting, victim, person=amirova, description="Shot at"),
        involve(
            shooting, victim, person=saktaganova, description="Gunshot wound to the lower back, near the left kidney"
        ),
        involve(
            shooting,
            perpetrator,
            unidentified_actor="A young man, slim, about 18 to 20 years old, of Asian appearance",
            description="Ran up from behind, shouted an insult and fired",
        ),
        involve(
            strike, other, person=amirova, description="Supported the strikers with aid, legal help and information"
        ),
        involve(strike, other, person=sokolova, description="Lawyer for the strikers"),
        involve(
            strike,
            other,
            person=kulibayev,
            description=(
                "Head of the state holding that owns the oil companies; accused by activists of unlawful "
                "mass dismissals"
            ),
        ),
        involve(
            december_events,
            other,
            organisation=halyk_maidan,
            description="Blamed by the authorities, according to colleagues of Amirova",
        ),
        involve(sokolova_case, victim, person=sokolova, description="Convicted and sentenced to six years in prison"),
        involve(kulibayev_statement, other, person=kulibayev, description="Made the statement"),
        involve(kulibayev_statement, other, organisation=expert_club, description="Hosted the meeting"),
        involve(activists_declaration, other, person=amirova, description="Co-author of the declaration"),
        involve(activists_declaration, other, person=saktaganova, description="Co-author of the declaration"),
    ]
    for involvement in involvements:
        cite(involvement, announcement, claim=Citation.Claim.ROLE)
    cite(involvements[-4], tengrinews_report, MEDIUM, claim=Citation.Claim.ROLE)

    for record in (
        arrest,
        office_search,
        break_in,
        shooting,
        strike,
        december_events,
        sokolova_case,
        kulibayev_statement,
        activists_declaration,
    ):
        cite(record, announcement)
        cite(record, announcement, claim=Citation.Claim.DATE)
        cite(record, announcement, claim=Citation.Claim.PLACE)
    cite(kulibayev_statement, tengrinews_report, MEDIUM, locator="quoted in footnote 2 of the announcement")
    cite(sokolova_case, announcement, MEDIUM, claim=Citation.Claim.DATE, locator="the source gives no date")

    link(arrest, office_search, IncidentLink.Kind.SAME_CHAIN, "Searched on the day of the arrest")
    link(arrest, break_in, IncidentLink.Kind.SAME_CHAIN, "Reported by relatives on the day of the arrest")
    link(shooting, arrest, IncidentLink.Kind.CONTEXT, "Earlier attack on the same activist")
    link(strike, arrest, IncidentLink.Kind.CONTEXT, "The arrest followed her support for the strike")
    link(strike, shooting, IncidentLink.Kind.CONTEXT, "The victims link the attack to the strike")
    link(december_events, arrest, IncidentLink.Kind.CONTEXT, "The authorities were said to blame Halyk Maidan")
    link(sokolova_case, arrest, IncidentLink.Kind.CONTEXT, "Same article of the Penal Code")
    link(kulibayev_statement, activists_declaration, IncidentLink.Kind.FOLLOW_UP, "The activists answered the next day")
    link(activists_declaration, shooting, IncidentLink.Kind.CONTEXT, "The victims link the attack to their declaration")

    amirova_charge = Charge.objects.update_or_create(
        person=amirova,
        provision=article_164,
        incident=arrest,
        defaults={"date": datetime.date(2012, 1, 6), "date_precision": "day", "status": Charge.Status.CHARGED},
    )[0]
    sokolova_charge = Charge.objects.update_or_create(
        person=sokolova,
        provision=article_164,
        incident=sokolova_case,
        defaults={
            "status": Charge.Status.CONVICTED,
            "sentence": "Six years' imprisonment",
            "sentence_months": 72,
        },
    )[0]
    cite(amirova_charge, announcement, claim=Citation.Claim.STATUS)
    cite(sokolova_charge, announcement, MEDIUM, claim=Citation.Claim.SENTENCE)

    for record, kind, description, confidential in [
        (
            shooting,
            Evidence.Kind.MEDICAL,
            "Medical finding: a gunshot wound in the lumbar region close to the left kidney (Zhanar Saktaganova).",
            False,
        ),
        (
            break_in,
            Evidence.Kind.SEIZED_PROPERTY,
            "Taken from Elmurat Amirov's flat: a private laptop, a printer and documents.",
            False,
        ),
        (
            break_in,
            Evidence.Kind.TESTIMONY,
            "Elmurat Amirov's account to relatives: the door was damaged and his belongings scattered across the flat.",
            True,
        ),
        (
            arrest,
            Evidence.Kind.TESTIMONY,
            "Relatives' account of Amirova's short telephone call about an hour after landing.",
            True,
        ),
    ]:
        Evidence.objects.update_or_create(
            incident=record,
            kind=kind,
            description=description,
            defaults={"source": announcement, "confidential": confidential},
        )
