"""The writing system a name is written in, for the names of people and places alike."""

import re

from django.db import models
from django.utils.translation import gettext_lazy as _


class Script(models.TextChoices):
    LATIN = "latin", _("Latin")
    CYRILLIC = "cyrillic", _("Cyrillic")
    ARABIC = "arabic", _("Arabic")
    OTHER = "other", _("other")


def detect_script(text: str) -> str:
    if re.search(r"[\u0400-\u04ff]", text):
        return Script.CYRILLIC
    if re.search(r"[\u0600-\u06ff]", text):
        return Script.ARABIC
    if re.search(r"[A-Za-z\u00c0-\u024f]", text):
        return Script.LATIN
    return Script.OTHER
