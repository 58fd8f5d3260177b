"""The evidence files' models move here from the incidents app, with their rows.

The tables were created by incidents 0004_evidence_files. Here the models are taken into this
app's state over the same tables, the tables then get this app's names, and the content types
follow, so that permissions and the groups holding them stay as they are.
"""

import django.db.models.deletion
import evidence_files.storage
import uuid
from django.conf import settings
from django.db import migrations, models


MODELS = ("storedfile", "evidencefile", "evidenceaccess")


def move_content_types(apps, schema_editor, old="incidents", new="evidence_files"):
    content_types = apps.get_model("contenttypes", "ContentType").objects
    for model in MODELS:
        if not content_types.filter(app_label=new, model=model).exists():
            content_types.filter(app_label=old, model=model).update(app_label=new)


def move_content_types_back(apps, schema_editor):
    move_content_types(apps, schema_editor, old="evidence_files", new="incidents")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('incidents', '0018_order_rows_by_their_parents_id'),
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='StoredFile',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('sha256', models.CharField(editable=False, max_length=64, unique=True, verbose_name='SHA-256')),
                        ('size', models.PositiveBigIntegerField(editable=False, verbose_name='size in bytes')),
                        ('content_type', models.CharField(editable=False, max_length=100, verbose_name='detected type')),
                        ('original', models.FileField(editable=False, max_length=200, storage=evidence_files.storage.get_evidence_storage, upload_to='', verbose_name='original')),
                        ('public_image', models.FileField(blank=True, editable=False, max_length=200, storage=evidence_files.storage.get_evidence_storage, upload_to='', verbose_name='public copy')),
                        ('thumbnail', models.FileField(blank=True, editable=False, max_length=200, storage=evidence_files.storage.get_evidence_storage, upload_to='', verbose_name='thumbnail')),
                        ('stored_at', models.DateTimeField(auto_now_add=True, verbose_name='stored')),
                    ],
                    options={
                        'db_table': 'incidents_storedfile',
                        'verbose_name': 'stored file',
                        'verbose_name_plural': 'stored files',
                        'ordering': ['pk'],
                    },
                ),
                migrations.CreateModel(
                    name='EvidenceFile',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('public_id', models.UUIDField(default=uuid.uuid4, editable=False, unique=True, verbose_name='public identifier')),
                        ('original_filename', models.CharField(max_length=255, verbose_name='uploaded file name')),
                        ('uploaded_at', models.DateTimeField(auto_now_add=True, verbose_name='uploaded')),
                        ('evidence', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='attachments', to='incidents.evidence', verbose_name='evidence')),
                        ('uploaded_by', models.ForeignKey(help_text='Empty only for files stored before uploads were recorded.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='uploaded by')),
                        ('stored_file', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='attachments', to='evidence_files.storedfile', verbose_name='stored file')),
                    ],
                    options={
                        'db_table': 'incidents_evidencefile',
                        'verbose_name': 'evidence file',
                        'verbose_name_plural': 'evidence files',
                        'ordering': ['evidence', 'uploaded_at', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='EvidenceAccess',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('accessed_at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='accessed')),
                        ('was_public', models.BooleanField(help_text='Whether the public could see this evidence at the time.', verbose_name='evidence was public')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='user')),
                        ('attachment', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='accesses', to='evidence_files.evidencefile', verbose_name='file')),
                    ],
                    options={
                        'db_table': 'incidents_evidenceaccess',
                        'verbose_name': 'access to an original',
                        'verbose_name_plural': 'accesses to originals',
                        'ordering': ['-accessed_at', '-pk'],
                    },
                ),
                migrations.AddConstraint(
                    model_name='evidencefile',
                    constraint=models.UniqueConstraint(fields=('evidence', 'stored_file'), name='evidence_file_once_per_evidence'),
                ),
            ],
        ),
        migrations.AlterModelTable(name='storedfile', table=None),
        migrations.AlterModelTable(name='evidencefile', table=None),
        migrations.AlterModelTable(name='evidenceaccess', table=None),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
