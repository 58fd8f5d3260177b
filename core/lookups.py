import json

from django.db.models import BooleanField, Lookup


class AnyOf(Lookup):
    """`column = ANY(array)`: a column equal to one of many values, passed as one parameter.

    Filtering with `__in` on the ids of a result set already read compiles one placeholder per
    id, which for thousands of ids costs more than the query. The array goes as the text of an
    array literal, which psycopg2 passes on as it is, rather than a Python list it would adapt
    value by value. SQLite reads the list as a JSON array.
    """

    lookup_name = "any_of"
    prepare_rhs = False

    @property
    def output_field(self):
        return BooleanField()

    def as_sql(self, compiler, connection):
        column, params = self.process_lhs(compiler, connection)
        array_type = f"{self.lhs.output_field.db_type(connection)}[]"
        return f"{column} = ANY(%s::{array_type})", (*params, "{" + ",".join(map(str, self.rhs)) + "}")

    def as_sqlite(self, compiler, connection):
        column, params = self.process_lhs(compiler, connection)
        return f"{column} IN (SELECT value FROM json_each(%s))", (*params, json.dumps(list(self.rhs)))
