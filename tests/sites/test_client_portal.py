"""A client (facility manager) is shown their own sites' summary pages and no way into the
internal ones. That the internal pages refuse a client is in the access matrix
(tests/access/test_matrix.py)."""

from tests.factories import StockItemFactory


def test_client_pages_link_to_nothing_internal(login, client_user, site):
    StockItemFactory(site=site)
    client = login(client_user)
    for url in ("/", "/sites/", "/sites/OWN-1/", "/sites/OWN-1/report/"):
        content = client.get(url).content.decode()
        for internal in ("/sites/new/", "/edit/", "export.csv", "/members/", "/stock/"):
            assert internal not in content, (url, internal)
