"""Permissions kept in a shared cache: a role change is seen on the very next request.

The suite's cache is local memory; `shared_cache` declares it shared, as a redis or memcached
CACHE_URL would, and puts sessions in it.
"""

import pytest
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from janitorial_crm import access_cache
from janitorial_crm.backends import CachedPermissionsBackend
from janitorial_crm.roles import Role, setup_roles
from janitorial_crm.services import user_set_role
from tests.admin_forms import admin_form_data
from tests.factories import make_user

pytestmark = pytest.mark.django_db

BOARD = reverse("scheduling:board")
AUTH_TABLES = ('FROM "auth_group"', 'FROM "auth_permission"')


@pytest.fixture
def shared_cache(settings):
    settings.CACHE_SHARED = True
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"


def logged_in(user):
    """A browser of its own for `user` (the admin acting meanwhile has another)."""
    browser = Client()
    browser.force_login(user)
    return browser


def auth_queries(browser, url):
    """(response, the request's SQL that read groups or permissions)."""
    with CaptureQueriesContext(connection) as captured:
        response = browser.get(url)
    sql = [q["sql"] for q in captured.captured_queries]
    return response, [s for s in sql if any(table in s for table in AUTH_TABLES)]


def change_role_in_admin(admin_user, user, role):
    admin = logged_in(admin_user)
    url = reverse("admin:janitorial_crm_user_change", args=[user.pk])
    response = admin.post(url, admin_form_data(admin.get(url), role=role))
    assert response.status_code == 302, response.context["adminform"].form.errors


def test_permissions_are_read_once_then_come_from_the_shared_cache(shared_cache, coordinator):
    browser = logged_in(coordinator)
    first, first_reads = auth_queries(browser, BOARD)
    second, second_reads = auth_queries(browser, BOARD)
    assert first.status_code == second.status_code == 200
    assert len(first_reads) == 2  # the groups with their permissions, the user's own
    assert second_reads == []


def test_without_a_shared_cache_each_request_reads_groups_and_permissions_once(
    settings, coordinator
):
    settings.CACHE_SHARED = False
    browser = logged_in(coordinator)
    for _ in range(2):
        response, reads = auth_queries(browser, BOARD)
        assert response.status_code == 200
        # The role and the group permissions come from one query; the user's own from another.
        assert len(reads) == 2
        assert sum('FROM "auth_group"' in sql for sql in reads) == 1


def test_a_role_given_in_admin_is_seen_on_the_next_request(shared_cache, admin_user, technician):
    browser = logged_in(technician)
    assert browser.get(BOARD).status_code == 403

    change_role_in_admin(admin_user, technician, Role.COORDINATOR.value)

    assert browser.get(BOARD).status_code == 200


def test_a_role_taken_away_in_admin_is_seen_on_the_next_request(
    shared_cache, admin_user, coordinator
):
    browser = logged_in(coordinator)
    assert browser.get(BOARD).status_code == 200

    change_role_in_admin(admin_user, coordinator, "")

    response = browser.get(BOARD)
    assert response.status_code == 302
    assert response["Location"] == reverse("waiting")


def test_a_permission_taken_from_a_group_is_seen_and_setup_roles_gives_it_back(
    shared_cache, coordinator
):
    browser = logged_in(coordinator)
    assert browser.get(BOARD).status_code == 200
    group = Group.objects.get(name=Role.COORDINATOR)

    group.permissions.remove(*group.permissions.filter(codename="manage_visits"))
    assert browser.get(BOARD).status_code == 403

    setup_roles()
    assert browser.get(BOARD).status_code == 200


def test_a_user_added_to_a_group_from_the_groups_side_is_seen(shared_cache, waiting_user):
    browser = logged_in(waiting_user)
    assert browser.get(BOARD).status_code == 302  # waiting for access

    Group.objects.get(name=Role.COORDINATOR).user_set.add(waiting_user)

    assert browser.get(BOARD).status_code == 200


def test_a_deleted_group_takes_its_role_with_it(shared_cache, coordinator):
    browser = logged_in(coordinator)
    assert browser.get(BOARD).status_code == 200

    Group.objects.get(name=Role.COORDINATOR).delete()

    assert browser.get(BOARD).status_code == 302


def test_a_user_made_superuser_has_every_permission_on_the_next_request(shared_cache, technician):
    browser = logged_in(technician)
    assert browser.get(BOARD).status_code == 403

    technician.is_superuser = True
    technician.save()

    assert browser.get(BOARD).status_code == 200


def test_a_read_that_overlaps_a_role_change_is_not_kept(shared_cache, monkeypatch, coordinator):
    """A request that read the old role from the database and stores it after the change has
    stored an entry the next request ignores."""
    read = access_cache._read_access

    def read_then_role_changes(user):
        access = read(user)
        user_set_role(user=type(user).objects.get(pk=user.pk), role=None)
        return access

    monkeypatch.setattr(access_cache, "_read_access", read_then_role_changes)
    coordinator_now = type(coordinator).objects.get(pk=coordinator.pk)
    assert access_cache.access_of(coordinator_now).group_names == {Role.COORDINATOR.value}
    monkeypatch.setattr(access_cache, "_read_access", read)

    fresh = type(coordinator).objects.get(pk=coordinator.pk)
    assert access_cache.access_of(fresh).group_names == frozenset()


@pytest.mark.parametrize("shared", [False, True])
@pytest.mark.parametrize("role", [*Role, None])
def test_the_backend_answers_what_djangos_model_backend_answers(settings, shared, role):
    settings.CACHE_SHARED = shared
    user = make_user(role, username="someone")
    cached = CachedPermissionsBackend()
    # Twice: the second answer comes from the cache when there is a shared one.
    for _ in range(2):
        ours = type(user).objects.get(pk=user.pk)
        django = type(user).objects.get(pk=user.pk)
        assert cached.get_all_permissions(ours) == ModelBackend().get_all_permissions(django)
        assert cached.get_user_permissions(ours) == ModelBackend().get_user_permissions(django)


def test_a_superuser_gets_every_permission_like_with_django(settings, superuser):
    settings.CACHE_SHARED = True
    ours = type(superuser).objects.get(pk=superuser.pk)
    assert CachedPermissionsBackend().get_all_permissions(ours) == (
        ModelBackend().get_all_permissions(superuser)
    )


def test_an_inactive_user_has_no_permissions(shared_cache, coordinator):
    coordinator.is_active = False
    coordinator.save()
    assert CachedPermissionsBackend().get_all_permissions(coordinator) == set()
    assert not coordinator.has_perm("scheduling.manage_visits")


class CacheServerDown:
    def get_many(self, keys):
        raise ConnectionError("cache server down")


def test_with_the_cache_server_down_permissions_come_from_the_database(
    settings, monkeypatch, coordinator, technician
):
    settings.CACHE_SHARED = True
    monkeypatch.setattr(access_cache, "cache", CacheServerDown())
    assert logged_in(coordinator).get(BOARD).status_code == 200
    assert logged_in(technician).get(BOARD).status_code == 403
