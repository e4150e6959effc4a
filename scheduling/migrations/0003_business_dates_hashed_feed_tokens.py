"""Business-date validators on the visit and series dates, and calendar feed tokens stored as
their SHA-256 hash.

Existing tokens keep working: each stored token is replaced by its hash, so a phone subscribed
before this migration keeps syncing with the same URL. Going back cannot recover the tokens:
the rows get fresh random tokens and are revoked (their owners make a new link).
"""

import hashlib
import secrets

import django.utils.timezone
from django.db import migrations, models

import janitorial_crm.validators


def hash_tokens(apps, schema_editor):
    CalendarFeedToken = apps.get_model("scheduling", "CalendarFeedToken")
    for row in CalendarFeedToken.objects.only("pk", "token"):
        row.token_hash = hashlib.sha256(row.token.encode()).hexdigest()
        row.save(update_fields=["token_hash"])


def revoke_unrecoverable_tokens(apps, schema_editor):
    CalendarFeedToken = apps.get_model("scheduling", "CalendarFeedToken")
    now = django.utils.timezone.now()
    for row in CalendarFeedToken.objects.only("pk"):
        row.token = secrets.token_urlsafe(32)
        row.revoked_at = row.revoked_at or now
        row.save(update_fields=["token", "revoked_at"])


class Migration(migrations.Migration):
    dependencies = [
        ("scheduling", "0002_status_history_feed_tokens"),
    ]

    operations = [
        migrations.AlterField(
            model_name="cleaningschedule",
            name="service_date",
            field=models.DateField(
                validators=[janitorial_crm.validators.validate_business_date], verbose_name="date"
            ),
        ),
        migrations.AlterField(
            model_name="visitseries",
            name="first_date",
            field=models.DateField(
                validators=[janitorial_crm.validators.validate_business_date],
                verbose_name="first date",
            ),
        ),
        migrations.AlterField(
            model_name="visitseries",
            name="until",
            field=models.DateField(
                blank=True,
                null=True,
                validators=[janitorial_crm.validators.validate_business_date],
                verbose_name="end date",
            ),
        ),
        # Tokens → hashes, in steps that also run backwards.
        migrations.AddField(
            model_name="calendarfeedtoken",
            name="token_hash",
            field=models.CharField(
                editable=False, max_length=64, null=True, verbose_name="token hash"
            ),
        ),
        migrations.AlterField(
            model_name="calendarfeedtoken",
            name="token",
            field=models.CharField(max_length=64, null=True, unique=True, verbose_name="token"),
        ),
        migrations.RunPython(hash_tokens, revoke_unrecoverable_tokens),
        migrations.RemoveField(
            model_name="calendarfeedtoken",
            name="token",
        ),
        migrations.AlterField(
            model_name="calendarfeedtoken",
            name="token_hash",
            field=models.CharField(
                editable=False, max_length=64, unique=True, verbose_name="token hash"
            ),
        ),
    ]
