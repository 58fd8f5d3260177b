"""The file storages of STORAGES, walked and named, for the commands that check or copy all their files."""

from collections.abc import Iterator

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import Storage, storages


def stored_names(storage: Storage, folder: str = "") -> Iterator[str]:
    """Every file's name in `storage`, folders walked, as the storage names them (`originals/ab/abcd…`)."""
    directories, files = storage.listdir(folder)
    for name in files:
        yield f"{folder}/{name}" if folder else name
    for directory in directories:
        yield from stored_names(storage, f"{folder}/{directory}" if folder else directory)


def storage_alias(storage: Storage) -> str:
    """The STORAGES alias of a storage a FileField holds (the lazy `default_storage` or one of its own)."""
    for alias in settings.STORAGES:
        # A lazy storage compares as the storage it stands for.
        if storage == storages[alias]:
            return alias
    raise ImproperlyConfigured(f"{storage!r} is not one of the storages in STORAGES: give it an alias there.")
