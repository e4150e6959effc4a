"""The `<sitecode:…>` URL converter: site pages are named by their code."""

from django.urls import register_converter
from django.urls.converters import get_converters

from sites.models import normalise_site_code


class SiteCodeConverter:
    """Site codes are letters, digits and dashes: anything else (a NUL byte, a slash) is a
    404 before it reaches the database. Views get the code normalised (`/sites/own/` is OWN)."""

    regex = "[A-Za-z0-9-]{1,16}"

    def to_python(self, value):
        return normalise_site_code(value)

    def to_url(self, value):
        return value


def register_site_code():
    """Register `<sitecode:…>` once, for every URLconf that names site pages by code."""
    if "sitecode" not in get_converters():
        register_converter(SiteCodeConverter, "sitecode")
