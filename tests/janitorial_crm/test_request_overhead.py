"""What a page costs besides its own rows: session, user, role and permissions, and the
navigation's low-stock badge. With a shared cache only the user's row is read from the database.

The bounds are today's counts on the cast's small data; the list pages' own query counts are
asserted to stay constant with more rows by each app's tests.
"""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import StockItemFactory, VisitFactory

pytestmark = pytest.mark.django_db

BADGE = reverse("portal:low_stock_badge")
# (page, who opens it, queries without a shared cache, with one)
PAGES = [
    ("scheduling:visit_list", "coordinator", 9, 5),
    ("scheduling:my_day", "technician", 5, 2),
    ("portal:site_list", "coordinator", 8, 4),
    ("inventory:item_list", "coordinator", 8, 4),
]
OVERHEAD = ('FROM "django_session"', 'FROM "auth_group"', 'FROM "auth_permission"')
LOW_STOCK_COUNT = 'FROM "inventory_supplyinventory" WHERE'


@pytest.fixture
def shared_cache(settings):
    settings.CACHE_SHARED = True
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"


@pytest.fixture
def local_cache(settings):
    """The default: each process's memory (also when the suite runs with a CACHE_URL)."""
    settings.CACHE_SHARED = False
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"


@pytest.fixture
def busy_site(site, technician):
    for hour in (8, 12, 16):
        VisitFactory(site=site, assigned_to=technician, start_time=f"{hour:02d}:00")
    StockItemFactory(site=site, quantity_on_hand=Decimal("1"))
    StockItemFactory(site=site, quantity_on_hand=Decimal("40"))
    return site


def second_visit(request, client, name, who, assert_max_queries=None, bound=0):
    """The page's SQL on its second visit (the first fills the caches there are), within
    `bound` queries if `assert_max_queries` (pytest-django's fixture) is given."""
    client.force_login(request.getfixturevalue(who))
    url = reverse(name)
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        if assert_max_queries is None:
            response = client.get(url)
        else:
            with assert_max_queries(bound):
                response = client.get(url)
    assert response.status_code == 200
    return [q["sql"] for q in captured.captured_queries]


@pytest.mark.parametrize(("name", "who", "bound", "_"), PAGES)
def test_without_a_shared_cache_a_page_reads_session_role_and_permissions_once(
    request, client, local_cache, busy_site, django_assert_max_num_queries, name, who, bound, _
):
    sql = second_visit(request, client, name, who, django_assert_max_num_queries, bound)
    assert sum('FROM "django_session"' in s for s in sql) == 1
    assert sum('FROM "auth_group"' in s for s in sql) == 1  # the role and group permissions
    assert sum('FROM "auth_permission"' in s for s in sql) == 1  # the user's own


@pytest.mark.parametrize(("name", "who", "_", "bound"), PAGES)
def test_with_a_shared_cache_a_page_reads_only_the_users_row_besides_its_own(
    request, client, shared_cache, busy_site, django_assert_max_num_queries, name, who, _, bound
):
    sql = second_visit(request, client, name, who, django_assert_max_num_queries, bound)
    assert not [s for s in sql if any(table in s for table in OVERHEAD)]
    assert not [s for s in sql if LOW_STOCK_COUNT in s and "reorder_level" in s]


@pytest.mark.parametrize(("name", "who", "_", "__"), PAGES)
def test_the_shared_cache_saves_the_session_permissions_and_badge_queries(
    request, settings, local_cache, busy_site, name, who, _, __
):
    plain = len(second_visit(request, Client(), name, who))
    settings.CACHE_SHARED = True
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    # A new client: the session engine is chosen when the middleware is built.
    shared = len(second_visit(request, Client(), name, who))
    badge = 1 if who == "coordinator" else 0
    # The session, the groups with their permissions, the user's own permissions, the badge.
    assert plain - shared == 3 + badge


class TestLowStockBadgeInTheSharedCache:
    def test_pages_reuse_the_count_until_it_expires(
        self, frozen, settings, login, shared_cache, coordinator, site
    ):
        # Memory, which expires entries on the frozen clock (a redis server keeps its own).
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "LOCATION": "badge-expiry",
            }
        }
        cache.clear()
        StockItemFactory(site=site, quantity_on_hand=0)
        client = login(coordinator)
        assert client.get(reverse("inventory:item_list")).context["low_stock_count"] == 1

        StockItemFactory(site=site, quantity_on_hand=0)
        assert client.get(reverse("inventory:item_list")).context["low_stock_count"] == 1

        frozen.shift(31)
        assert client.get(reverse("inventory:item_list")).context["low_stock_count"] == 2

    def test_the_badges_own_fragment_counts_afresh_for_the_pages_that_follow(
        self, login, shared_cache, coordinator, site
    ):
        StockItemFactory(site=site, quantity_on_hand=0)
        client = login(coordinator)
        client.get(reverse("inventory:item_list"))
        StockItemFactory(site=site, quantity_on_hand=0)

        fragment = client.get(BADGE, headers={"HX-Request": "true"})
        assert 'id="low-stock-badge">2<' in fragment.content.decode()
        assert client.get(reverse("inventory:item_list")).context["low_stock_count"] == 2

    def test_a_technician_has_no_badge_and_no_count(
        self, request, client, shared_cache, technician, site
    ):
        StockItemFactory(site=site, quantity_on_hand=0)
        sql = second_visit(request, client, "scheduling:my_day", "technician")
        assert not [s for s in sql if "inventory_supplyinventory" in s]
