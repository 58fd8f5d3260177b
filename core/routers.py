"""Read replicas (DATABASE_REPLICA_URLS): the public site's and the API's reads go to a streaming
replica, everything else to the primary.

Whether a request may read from a replica is decided once, as it comes in, from what it is and
what it carries, before anything touches the database. It may when it is
- a GET, HEAD or OPTIONS: a request that writes reads what it writes on the primary;
- outside the admin (the review workflow lives there), the change feed (`/api/changes/`: a cursor
  read from one replica must never be ahead of the next replica a client meets) and `/i18n/`;
- without a session cookie: staff, and anyone signed in, read the primary, so nobody reads a replica
  that has not yet replayed their own write; and without the cookie that a request that wrote
  leaves for DATABASE_REPLICA_PIN_SECONDS, which covers the moments after signing out.

In such a request the first read chooses a replica that answers, at random so that the load
spreads, and keeps it; after a write, the rest of the request reads the primary. A replica that
does not answer is left alone for DATABASE_REPLICA_RETRY_SECONDS, and meanwhile its readers go to
another replica or to the primary: the public site keeps working on the primary alone. Outside
requests (management commands, the shell, a test's own queries) everything uses the primary.
"""

import contextlib
import contextvars
import logging
import random
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.signals import request_finished
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.http import HttpRequest

logger = logging.getLogger(__name__)

PIN_COOKIE = "vigil_read_primary"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
PRIMARY_PATHS = ("/admin/", "/api/changes/", "/i18n/")


@dataclass
class RequestReads:
    may_use_replica: bool
    replica: str | None = None
    wrote: bool = False


_current_request: contextvars.ContextVar[RequestReads | None] = contextvars.ContextVar("request_reads", default=None)
# Replica alias -> time.monotonic() when it last failed to answer, in this process.
_unanswered_at: dict[str, float] = {}


def may_read_from_replica(request: HttpRequest) -> bool:
    return (
        request.method in SAFE_METHODS
        and not request.path_info.startswith(PRIMARY_PATHS)
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and PIN_COOKIE not in request.COOKIES
    )


def replica_aliases() -> list[str]:
    return [alias for alias in settings.DATABASES if alias != DEFAULT_DB_ALIAS]


def answers(alias: str) -> bool:
    """Whether the database takes queries now: its kept connection checked, or a new one made.

    This is the request's health check of that connection (CONN_HEALTH_CHECKS), made here, where a
    failure can still send the request elsewhere, rather than at its first query, where it fails it.
    """
    connection = connections[alias]
    try:
        if connection.connection is not None and not connection.is_usable():
            connection.close()
        connection.ensure_connection()
    except DatabaseError as error:
        retry = settings.DATABASE_REPLICA_RETRY_SECONDS
        logger.warning("Database %s does not answer; reads go elsewhere for %s s: %s", alias, retry, error)
        _unanswered_at[alias] = time.monotonic()
        with contextlib.suppress(DatabaseError):
            connection.close()
        return False
    connection.health_check_done = True
    return True


def choose_replica() -> str:
    retry_from = time.monotonic() - settings.DATABASE_REPLICA_RETRY_SECONDS
    candidates = [alias for alias in replica_aliases() if _unanswered_at.get(alias, retry_from) <= retry_from]
    random.shuffle(candidates)
    return next((alias for alias in candidates if answers(alias)), DEFAULT_DB_ALIAS)


class ReplicaRouter:
    def db_for_read(self, model, **hints) -> str:
        reads = _current_request.get()
        if reads is None or not reads.may_use_replica or reads.wrote:
            return DEFAULT_DB_ALIAS
        if reads.replica is None:
            reads.replica = choose_replica()
        return reads.replica

    def db_for_write(self, model, **hints) -> str:
        reads = _current_request.get()
        if reads is not None:
            reads.wrote = True
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        """Every database holds the same rows: a record read from a replica may point to one from the primary."""
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool:
        return db == DEFAULT_DB_ALIAS


class ReplicaReads:
    """Middleware: where this request's reads go (see the module), and the cookie after a write."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        reads = RequestReads(may_use_replica=may_read_from_replica(request))
        _current_request.set(reads)
        response = self.get_response(request)
        if reads.wrote or request.method not in SAFE_METHODS:
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=settings.DATABASE_REPLICA_PIN_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response


def _forget_request(**kwargs) -> None:
    """Once the response is sent (a streamed one included), queries are no longer this request's."""
    _current_request.set(None)


request_finished.connect(_forget_request, dispatch_uid="core.routers.forget_request")
