from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    name = "incidents"
    verbose_name = _("Incidents")

    def ready(self):
        from PIL import Image

        # Pillow's own decompression-bomb guard follows the evidence pixel limit.
        Image.MAX_IMAGE_PIXELS = settings.EVIDENCE_MAX_IMAGE_PIXELS
        from . import signals  # noqa: F401 (connects the search-text receivers)
