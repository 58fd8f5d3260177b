# The sentences are copied into cases.Sentence by cases.0002 before the columns go.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('incidents', '0024_code_in_each_language'),
        ('cases', '0002_sentences_from_charges'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='charge',
            name='charge_sentence_only_on_conviction',
        ),
        migrations.RemoveField(
            model_name='charge',
            name='sentence',
        ),
        migrations.RemoveField(
            model_name='charge',
            name='sentence_months',
        ),
        migrations.RemoveField(
            model_name='historicalcharge',
            name='sentence',
        ),
        migrations.RemoveField(
            model_name='historicalcharge',
            name='sentence_months',
        ),
    ]
