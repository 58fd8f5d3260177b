import logging

from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class EvidenceFilesConfig(AppConfig):
    name = "evidence_files"
    verbose_name = _("Evidence files")

    def ready(self):
        import pyvips
        from PIL import Image

        from .files import ACCEPTED_KINDS

        # Pillow's own decompression-bomb guard follows the evidence pixel limit.
        Image.MAX_IMAGE_PIXELS = settings.EVIDENCE_MAX_IMAGE_PIXELS
        # libvips decodes only the accepted image kinds, whatever format it would recognise in a
        # file, and keeps no cache of decoded images between uploads.
        pyvips.operation_block_set("VipsForeignLoad", True)
        for kind in ACCEPTED_KINDS.values():
            if kind.vips_loader:
                pyvips.operation_block_set(kind.vips_loader, False)
        pyvips.cache_set_max(0)
        # libvips narrates every decoding step at the INFO level; unless LOGGING says otherwise,
        # only its warnings reach the log.
        vips_log = logging.getLogger("pyvips")
        if vips_log.level == logging.NOTSET:
            vips_log.setLevel(logging.WARNING)
