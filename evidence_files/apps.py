from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class EvidenceFilesConfig(AppConfig):
    name = "evidence_files"
    verbose_name = _("Evidence files")

    def ready(self):
        from PIL import Image

        # Pillow's own decompression-bomb guard follows the evidence pixel limit.
        Image.MAX_IMAGE_PIXELS = settings.EVIDENCE_MAX_IMAGE_PIXELS
