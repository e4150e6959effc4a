"""What "a refused request changes nothing" is checked against: every row of the domain tables.

Row counts and the newest `updated_at` would miss an in-place change under the frozen clock
(every write stamps the same moment), so the snapshot keeps the rows themselves; the world is a
few dozen rows, so this costs about a millisecond a request.
"""

import functools

from django.apps import apps
from django.db import connection

# The apps whose tables hold the company's data, accounts and roles, and the admin's history.
# Sessions and axes' login-attempt log change on refused requests by design.
DOMAIN_APPS = ["janitorial_crm", "sites", "scheduling", "inventory", "inspections", "auth", "admin"]


@functools.cache
def domain_tables():
    tables = []
    for label in DOMAIN_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            meta = model._meta
            if meta.managed and not meta.proxy and meta.db_table not in dict(tables):
                tables.append((meta.db_table, meta.pk.column))
    return tables


def snapshot():
    quote = connection.ops.quote_name
    rows = {}
    with connection.cursor() as cursor:
        for table, pk in domain_tables():
            cursor.execute(f"SELECT * FROM {quote(table)} ORDER BY {quote(pk)}")  # noqa: S608
            rows[table] = cursor.fetchall()
    return rows


def changed_tables(before, after):
    return sorted(table for table in before if before[table] != after[table])
