import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("month", ["0001-01", "9999-12", "2026-13", "garbage"])
def test_report_month_out_of_range_falls_back_to_this_month(login, coordinator, site, month):
    response = login(coordinator).get(f"/sites/{site.site_code}/report/?month={month}")
    assert response.status_code == 200
    assert response.context["month"] == timezone.localdate().replace(day=1)


@pytest.mark.parametrize("path", ["/sites/%00/", "/sites/A%00B/report/", "/sites/a.b/"])
def test_site_urls_refuse_codes_with_odd_characters(login, coordinator, site, path):
    assert login(coordinator).get(path).status_code == 404
