"""Who may open which stock page: one table for every route of the app."""

import pytest
from django.urls import reverse

from inventory import urls as inventory_urls
from tests.factories import StockItemFactory

pytestmark = pytest.mark.django_db

ROLES = ("admin_user", "supervisor", "coordinator", "technician", "inspector", "client_user")
OK, FORBIDDEN, NOT_FOUND = 200, 403, 404

# route name, object ("own" = the cast's site, "other" = nobody's), expected status per ROLES.
MATRIX = [
    ("item_list", None, (OK, OK, OK, OK, OK, FORBIDDEN)),
    ("item_export", None, (OK, OK, OK, OK, OK, FORBIDDEN)),
    ("low_stock", None, (OK, OK, OK, OK, OK, FORBIDDEN)),
    ("item_create", None, (OK, OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN)),
    ("item_detail", "own", (OK, OK, OK, OK, OK, FORBIDDEN)),
    ("item_detail", "other", (OK, OK, OK, NOT_FOUND, NOT_FOUND, FORBIDDEN)),
    ("item_update", "own", (OK, OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN)),
    ("item_update", "other", (OK, OK, OK, NOT_FOUND, NOT_FOUND, FORBIDDEN)),
    ("movement_create", "own", (OK, OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN)),
    ("movement_create", "other", (OK, OK, OK, NOT_FOUND, NOT_FOUND, FORBIDDEN)),
    ("site_usage", "own", (OK, OK, OK, OK, FORBIDDEN, FORBIDDEN)),
    ("site_usage", "other", (OK, OK, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND)),
    ("site_count", "own", (OK, OK, OK, OK, FORBIDDEN, FORBIDDEN)),
    ("site_count", "other", (OK, OK, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND)),
]
SITE_ROUTES = {"site_usage", "site_count"}


def url_for(name, which, site, other_site):
    if which is None:
        return reverse(f"inventory:{name}")
    target_site = site if which == "own" else other_site
    if name in SITE_ROUTES:
        return reverse(f"inventory:{name}", kwargs={"pk": target_site.pk})
    item = StockItemFactory(site=target_site)
    return reverse(f"inventory:{name}", kwargs={"pk": item.pk})


@pytest.mark.parametrize(("name", "which", "expected"), MATRIX)
@pytest.mark.parametrize("role_index", range(len(ROLES)))
def test_access_matrix(request, login, site, other_site, name, which, expected, role_index):
    user = request.getfixturevalue(ROLES[role_index])
    response = login(user).get(url_for(name, which, site, other_site))
    assert response.status_code == expected[role_index], (name, which, ROLES[role_index])


@pytest.mark.parametrize(("name", "which", "_expected"), MATRIX)
def test_anonymous_users_are_sent_to_login(client, site, other_site, name, which, _expected):
    response = client.get(url_for(name, which, site, other_site))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(("name", "which", "_expected"), MATRIX[:3])
def test_users_without_a_role_are_sent_to_the_waiting_page(
    login, waiting_user, site, other_site, name, which, _expected
):
    response = login(waiting_user).get(url_for(name, which, site, other_site))
    assert response.status_code == 302
    assert response["Location"] == reverse("waiting")


def test_every_route_of_the_app_is_in_the_matrix():
    routes = {pattern.name for pattern in inventory_urls.urlpatterns}
    assert routes == {name for name, _which, _expected in MATRIX}
