"""On PostgreSQL, trigram indexes (GiST, which reads names nearest first) of the folded names and
their other spellings: the possible duplicates of a name being entered are the names nearest to it
by trigrams (`core.duplicates`), read through them rather than by reading every name. SQLite has
no such index type; there the migration does nothing."""

from django.db import migrations

from core.trigram_indexes import trigram_indexes


class Migration(migrations.Migration):
    dependencies = [("people", "0007_names_normalised_by_the_folding_rule")]

    operations = [trigram_indexes({"people_person_name_normalised_trgm_gist": ("people_person", "name_normalised"), "people_namevariant_normalised_trgm_gist": ("people_namevariant", "normalised")}, method="gist")]
