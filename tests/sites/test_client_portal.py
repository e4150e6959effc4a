"""A client (facility manager) reaches their own sites' summary pages and nothing else."""

import pytest

from sites.models import ClientSite, SiteMembership
from tests.factories import SiteMembershipFactory, StockItemFactory, make_user


@pytest.fixture
def targets(site, other_site, technician):
    stranger = SiteMembershipFactory(site=other_site, user=make_user("Client"))
    own = SiteMembership.objects.get(site=site, user=technician)
    return {"own": own, "stranger": stranger}


INTERNAL = [
    # method, url, expected status
    ("get", "/sites/new/", 403),
    ("post", "/sites/new/", 403),
    ("get", "/sites/export.csv", 403),
    ("get", "/sites/OWN-1/edit/", 403),
    ("post", "/sites/OWN-1/edit/", 403),
    ("post", "/sites/OWN-1/deactivate/", 403),
    ("post", "/sites/OWN-1/reactivate/", 403),
    ("post", "/sites/OWN-1/delete/", 403),
    ("post", "/sites/OWN-1/members/add/", 403),
    ("post", "/sites/OWN-1/members/{own}/remove/", 403),
    ("post", "/sites/OWN-1/members/{own}/grant/", 403),
    ("get", "/sites/OTHER-1/", 404),
    ("get", "/sites/OTHER-1/report/", 404),
    ("get", "/sites/OTHER-1/edit/", 404),
    ("post", "/sites/OTHER-1/deactivate/", 404),
    ("post", "/sites/OTHER-1/members/{stranger}/remove/", 404),
    ("post", "/sites/OTHER-1/members/{stranger}/grant/", 404),
]


@pytest.mark.parametrize(("method", "url", "expected"), INTERNAL)
def test_client_cannot_reach_internal_site_pages(
    login, client_user, targets, method, url, expected
):
    url = url.format(own=targets["own"].pk, stranger=targets["stranger"].pk)
    client = login(client_user)
    data = {"user": client_user.pk, "site_name": "Hacked", "can_see_inspections": "1"}
    response = getattr(client, method)(url, data) if method == "post" else client.get(url)
    assert response.status_code == expected
    assert ClientSite.objects.filter(site_code="OWN-1", active=True, site_name="Own Tower").exists()
    assert SiteMembership.objects.filter(pk=targets["own"].pk).exists()
    assert SiteMembership.objects.filter(pk=targets["stranger"].pk).exists()


def test_client_pages_link_to_nothing_internal(login, client_user, site):
    StockItemFactory(site=site)
    client = login(client_user)
    for url in ("/", "/sites/", "/sites/OWN-1/", "/sites/OWN-1/report/"):
        content = client.get(url).content.decode()
        for internal in ("/sites/new/", "/edit/", "export.csv", "/members/", "/stock/"):
            assert internal not in content, (url, internal)
