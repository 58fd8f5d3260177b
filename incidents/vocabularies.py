"""Vocabularies every deployment starts with; administrators extend them in the admin."""

import uuid

# slug: (name, description) in English, Russian and Kazakh.
DEFAULT_TYPES = {
    "arrest": {
        "en": ("Arrest or detention", "Deprivation of liberty by state agents."),
        "ru": ("Арест или задержание", "Лишение свободы представителями государства."),
        "kk": ("Қамауға алу немесе ұстау", "Мемлекет өкілдерінің адамды бостандығынан айыруы."),
    },
    "search": {
        "en": ("Search or raid", "Search of premises, vehicles or persons by state agents."),
        "ru": ("Обыск или рейд", "Обыск помещений, транспортных средств или людей представителями государства."),
        "kk": ("Тінту немесе рейд", "Мемлекет өкілдерінің үй-жайды, көлікті немесе адамды тінтуі."),
    },
    "break-in": {
        "en": ("Break-in", "Entry into a home or office without consent, often with a search or theft."),
        "ru": ("Незаконное проникновение", "Проникновение в жилище или офис без согласия, часто с обыском или кражей."),
        "kk": ("Заңсыз кіру", "Үйге немесе кеңсеге келісімсіз кіру, көбіне тінтумен немесе ұрлықпен бірге."),
    },
    "attack": {
        "en": ("Physical attack", "Assault, shooting or other violence against a person."),
        "ru": ("Нападение", "Избиение, стрельба или иное насилие против человека."),
        "kk": ("Шабуыл", "Адамды ұру, оған оқ ату немесе өзге зорлық-зомбылық."),
    },
    "threat": {
        "en": ("Threat or intimidation", "Threats, surveillance or pressure."),
        "ru": ("Угрозы или запугивание", "Угрозы, слежка или давление."),
        "kk": ("Қорқыту немесе үркіту", "Қоқан-лоқы, аңду немесе қысым көрсету."),
    },
    "prosecution": {
        "en": ("Prosecution", "Criminal or administrative proceedings, from charge to verdict."),
        "ru": ("Преследование", "Уголовное или административное производство, от обвинения до приговора."),
        "kk": ("Қудалау", "Айыптаудан үкімге дейінгі қылмыстық немесе әкімшілік іс жүргізу."),
    },
    "protest": {
        "en": ("Strike or protest", "A strike, demonstration or other collective action."),
        "ru": ("Забастовка или протест", "Забастовка, демонстрация или иная коллективная акция."),
        "kk": ("Ереуіл немесе наразылық", "Ереуіл, шеру немесе өзге ұжымдық әрекет."),
    },
    "statement": {
        "en": ("Public statement", "A statement by officials or activists that gives context."),
        "ru": ("Публичное заявление", "Заявление официальных лиц или активистов, поясняющее контекст."),
        "kk": ("Ашық мәлімдеме", "Ресми тұлғалардың немесе белсенділердің мән-жайды түсіндіретін мәлімдемесі."),
    },
    "killing": {
        "en": ("Killing", "A death caused by violence."),
        "ru": ("Убийство", "Смерть в результате насилия."),
        "kk": ("Кісі өлтіру", "Зорлық-зомбылықтан болған өлім."),
    },
}


def ensure_default_incident_types(IncidentType, translated: bool = True) -> None:  # noqa: N803 (a model class, historical in migrations)
    """The default types, created where missing; `translated=False` for migrations that run before
    the types had fields per language."""
    for slug, names in DEFAULT_TYPES.items():
        name, description = names["en"]
        IncidentType.objects.get_or_create(
            slug=slug, defaults={"name": name, "description": description, "public_id": uuid.uuid4()}
        )
    if translated:
        translate_default_incident_types(IncidentType)


def translate_default_incident_types(IncidentType) -> None:  # noqa: N803
    """Give the default types their Russian and Kazakh names where nobody has entered one."""
    for incident_type in IncidentType.objects.filter(slug__in=DEFAULT_TYPES):
        for language in ("ru", "kk"):
            name, description = DEFAULT_TYPES[incident_type.slug][language]
            if not getattr(incident_type, f"name_{language}"):
                setattr(incident_type, f"name_{language}", name)
                setattr(incident_type, f"description_{language}", description)
        incident_type.save()
