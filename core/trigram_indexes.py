"""Trigram indexes of folded names, which PostgreSQL has and SQLite has not: one migration
operation for the apps that create them (places, people, organisations)."""

from django.db import migrations


def trigram_indexes(indexes: dict[str, tuple[str, str]], *, method: str = "gin") -> migrations.RunPython:
    """Create, on PostgreSQL only, an index `name` on `(table, column)` for each entry, with GIN
    (any word containing the letters) or GiST (names read nearest first); drop them on the way back."""
    operator_class = f"{method}_trgm_ops"

    def create(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for name, (table, column) in indexes.items():
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING {method} ({column} {operator_class})"
            )

    def drop(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for name in indexes:
                schema_editor.execute(f"DROP INDEX IF EXISTS {name}")

    return migrations.RunPython(create, drop)
