"""`migrate` makes everything the default configuration needs: the database cache's table too
(CACHE_URL=dbcache://portal_cache), so no set-up step can be forgotten. Nothing for other caches."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    # Creates the table of every database cache that lives in this database, if it is missing.
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = []

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop, elidable=False)]
