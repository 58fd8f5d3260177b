"""Where evidence files are kept: the storage configured under STORAGES["evidence"]."""

from django.core.files.storage import Storage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty

EVIDENCE_STORAGE_ALIAS = "evidence"


class EvidenceStorage(LazyObject):
    """The storage configured under STORAGES["evidence"]: local disk by default, or S3 and the like."""

    def _setup(self):
        self._wrapped = storages[EVIDENCE_STORAGE_ALIAS]


evidence_storage = EvidenceStorage()


def get_evidence_storage() -> Storage:
    return evidence_storage


@receiver(setting_changed)
def reset_evidence_storage(*, setting, **kwargs):
    if setting == "STORAGES":
        evidence_storage._wrapped = empty
