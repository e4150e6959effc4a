"""`unique_violation_as`: a unique constraint that refuses a write becomes a form error, but only
when the value really is taken; any other IntegrityError is not hidden."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from janitorial_crm.db import unique_violation_as
from sites.models import ClientSite
from tests.factories import ClientSiteFactory

pytestmark = pytest.mark.django_db

TAKEN = {"site_code": "Another site already uses this code."}


def test_a_value_saved_meanwhile_is_a_form_error_and_the_transaction_goes_on():
    ClientSiteFactory(site_code="TWIN-1", site_name="First")
    late = ClientSite(site_code="TWIN-1", site_name="Late twin")

    def taken():
        # Runs after the refused INSERT, in the same transaction.
        return ClientSite.objects.filter(site_code="TWIN-1").exists()

    with pytest.raises(ValidationError) as refused, unique_violation_as(TAKEN, taken=taken):
        late.save()

    assert refused.value.message_dict == {"site_code": [TAKEN["site_code"]]}
    assert late.pk is None
    assert ClientSite.objects.filter(site_code="TWIN-1").count() == 1


def test_an_integrity_error_about_something_else_is_raised_as_it_was():
    ClientSiteFactory(site_code="TWIN-1", site_name="First")
    asked = []

    def taken():
        asked.append(True)
        return False

    with pytest.raises(IntegrityError), unique_violation_as(TAKEN, taken=taken):
        ClientSite(site_code="TWIN-1", site_name="Late twin").save()

    assert asked == [True]
