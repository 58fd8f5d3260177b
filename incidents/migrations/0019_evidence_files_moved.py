"""The evidence files' models now belong to the evidence_files app (its 0001 takes over the tables):
they leave this app's state, and nothing changes in the database."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('incidents', '0018_order_rows_by_their_parents_id'),
        ('evidence_files', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='evidencefile',
                    name='evidence',
                ),
                migrations.RemoveField(
                    model_name='evidencefile',
                    name='stored_file',
                ),
                migrations.RemoveField(
                    model_name='evidencefile',
                    name='uploaded_by',
                ),
                migrations.DeleteModel(
                    name='EvidenceAccess',
                ),
                migrations.DeleteModel(
                    name='StoredFile',
                ),
                migrations.DeleteModel(
                    name='EvidenceFile',
                ),
            ],
        ),
    ]
