import json

from django.db.models import BooleanField, Lookup


class ConditionLookup(Lookup):
    """A lookup used as a condition of its own (`filter(AnyOf(...))`): it is true or false, and
    its right-hand side is passed as it is (a list, or a subquery)."""

    prepare_rhs = False

    @property
    def output_field(self):
        return BooleanField()


class AnyOf(ConditionLookup):
    """`column = ANY(array)`: a column equal to one of many values, passed as one parameter.

    Filtering with `__in` on the ids of a result set already read compiles one placeholder per
    id, which for thousands of ids costs more than the query. The array goes as the text of an
    array literal, which psycopg2 passes on as it is, rather than a Python list it would adapt
    value by value. SQLite reads the list as a JSON array.
    """

    lookup_name = "any_of"

    def as_sql(self, compiler, connection):
        column, params = self.process_lhs(compiler, connection)
        array_type = f"{self.lhs.output_field.db_type(connection)}[]"
        return f"{column} = ANY(%s::{array_type})", (*params, "{" + ",".join(map(str, self.rhs)) + "}")

    def as_sqlite(self, compiler, connection):
        column, params = self.process_lhs(compiler, connection)
        return f"{column} IN (SELECT value FROM json_each(%s))", (*params, json.dumps(list(self.rhs)))


class AnyOfRows(ConditionLookup):
    """`column = ANY(ARRAY(subquery))`: a column equal to one of the rows of a subquery of one column.

    Inside an OR, PostgreSQL checks `column IN (subquery)` row by row (a subplan), so the OR cannot
    use the indexes of its other branches. As an array, the subquery runs once, before the scan, and
    the column's index reads the values like any other list: the OR becomes a union of index
    scans. SQLite runs a subquery that does not depend on the row once anyway.
    """

    lookup_name = "any_of_rows"

    def as_sql(self, compiler, connection):
        column, params = self.process_lhs(compiler, connection)
        rows, rows_params = self.process_rhs(compiler, connection)
        return f"{column} = ANY(ARRAY{rows})", (*params, *rows_params)

    def as_sqlite(self, compiler, connection):
        column, params = self.process_lhs(compiler, connection)
        rows, rows_params = self.process_rhs(compiler, connection)
        return f"{column} IN {rows}", (*params, *rows_params)


class StartsWithAny(ConditionLookup):
    """The column starts with one of the values of a subquery whose one column is named `prefix`.

    On PostgreSQL the rows of the column's own table that start with a prefix are found by a
    join, one range of the column's pattern index (`varchar_pattern_ops`, byte order whatever
    the collation) per prefix, so that hundreds of prefixes cost hundreds of short index reads
    rather than every row compared with every prefix. The range only finds the candidates; the
    `LIKE` decides. SQLite runs it as a subquery per row, which it flattens into lookups of the
    few prefixes.
    """

    lookup_name = "starts_with_any"

    def as_sql(self, compiler, connection):
        column, params = self.process_lhs(compiler, connection)
        rows, rows_params = self.process_rhs(compiler, connection)
        quote = connection.ops.quote_name
        table, own_column = quote(self.lhs.target.model._meta.db_table), quote(self.lhs.target.column)
        candidate = f"candidates.{own_column}"
        pattern = r"replace(replace(replace(prefixes.prefix, '\', '\\'), '%%', '\%%'), '_', '\_') || '%%'"
        join = (
            f"{candidate} ~>=~ prefixes.prefix AND {candidate} ~<~ (prefixes.prefix || chr(1114111))"
            f" AND {candidate} LIKE ({pattern})"
        )
        inside = f"SELECT {candidate} FROM {table} AS candidates JOIN {rows} AS prefixes ON {join}"
        return f"{column} IN ({inside})", (*params, *rows_params)

    def as_sqlite(self, compiler, connection):
        column, params = self.process_lhs(compiler, connection)
        rows, rows_params = self.process_rhs(compiler, connection)
        condition = f"substr({column}, 1, length(prefixes.prefix)) = prefixes.prefix"
        return f"EXISTS(SELECT 1 FROM {rows} AS prefixes WHERE {condition})", (*params, *params, *rows_params)
