"""The test database as every test starts from it: migrated, with the demo case loaded.

Loaded once per run (see `django_db_setup` in conftest.py) rather than once per test. After a
transactional test Django empties every table; the rows kept here are then written back, in one
insert per table, before the next test that uses the database.
"""

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import AutoField, BigAutoField
from pytest_django.fixtures import validate_django_db


def tables_in_order():
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy and not model._meta.swapped
    ]


def uses_database(item) -> bool:
    fixtures = getattr(item, "fixturenames", ())
    return item.get_closest_marker("django_db") is not None or "_django_db_helper" in fixtures


def is_transactional(item) -> bool:
    """As pytest-django decides it: such a test commits, and the tables are emptied after it."""
    marker = item.get_closest_marker("django_db")
    transaction_marked, reset_sequences = validate_django_db(marker)[:2] if marker else (False, False)
    fixtures = set(getattr(item, "fixturenames", ()))
    return transaction_marked or reset_sequences or bool({"transactional_db", "live_server"} & fixtures)


class DemoDatabase:
    def __init__(self):
        self.rows = {}  # model -> its rows as loaded, to write back after a transactional test
        self.demo_rows = []  # (model, the last primary key before the demo, its last one): the demo's rows
        self.emptied = False
        self.blocker = None

    def load(self, load_demo) -> None:
        models = tables_in_order()
        counters = [model for model in models if isinstance(model._meta.pk, AutoField | BigAutoField)]
        last_before = {model: self._last_pk(model) for model in counters}
        load_demo()
        self.demo_rows = [
            (model, last, self._last_pk(model)) for model, last in last_before.items() if self._last_pk(model) != last
        ]
        self.rows = {model: list(model._base_manager.order_by("pk")) for model in models}

    @staticmethod
    def _last_pk(model) -> int:
        return model._base_manager.order_by("-pk").values_list("pk", flat=True).first() or 0

    def remove_demo_rows(self) -> None:
        """Inside the test's transaction: foreign keys are checked at commit, which never comes."""
        for model, before, last in self.demo_rows:
            model._base_manager.filter(pk__gt=before, pk__lte=last)._raw_delete(connection.alias)

    def note_emptied_by(self, item) -> None:
        self.emptied = self.emptied or is_transactional(item)

    def put_back_before(self, item) -> None:
        if not (self.emptied and uses_database(item)):
            return
        with self.blocker.unblock(), transaction.atomic():
            tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
            connection.ops.execute_sql_flush(connection.ops.sql_flush(no_style(), tables))
            for model, rows in self.rows.items():
                if not rows:
                    continue
                # As loaddata does: raw, so that no field sets itself (auto_now) on the way in.
                fields = model._meta.local_concrete_fields
                size = connection.ops.bulk_batch_size(fields, rows) or len(rows)
                for start in range(0, len(rows), size):
                    model._base_manager._insert(rows[start : start + size], fields=fields, raw=True)
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), list(self.rows)):
                    cursor.execute(sql)
        ContentType.objects.clear_cache()
        self.emptied = False
