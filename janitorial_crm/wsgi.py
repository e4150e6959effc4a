"""WSGI entry point (gunicorn janitorial_crm.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "janitorial_crm.settings")
application = get_wsgi_application()
