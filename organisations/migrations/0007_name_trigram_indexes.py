"""On PostgreSQL, trigram indexes (GiST, which reads names nearest first) of the folded names and
their other spellings: the possible duplicates of a name being entered are the names nearest to it
by trigrams (`core.duplicates`), read through them rather than by reading every name. SQLite has
no such index type; there the migration does nothing."""

from django.db import migrations

from core.trigram_indexes import trigram_indexes


class Migration(migrations.Migration):
    dependencies = [("organisations", "0006_names_normalised_by_the_folding_rule")]

    operations = [trigram_indexes({"organisations_organisation_name_normalised_trgm_gist": ("organisations_organisation", "name_normalised"), "organisations_alias_normalised_trgm_gist": ("organisations_organisationalias", "normalised")}, method="gist")]
