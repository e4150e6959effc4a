"""What a user may do, read once per request, or once per role change with a shared cache.

A user's *access* is the names of their groups (their role) and the permissions of their groups
and their own. `access_of(user)` reads it in two queries (groups with their permissions in one,
the user's own permissions in the other) and keeps it on the user object for the request;
`User.role` and `CachedPermissionsBackend` both read it, so the groups are fetched once.

With a shared cache (`settings.CACHE_SHARED`: redis or memcached, every worker sees the same
entries) the access is also kept there, stamped with two version tokens: one per user and one
for everybody. A change to a user's groups or own permissions renews the user's token; a change
to a group or a permission renews everybody's (the signals in `connect_signals`). An entry whose
stamp is not the current pair is ignored, so a role change is seen on the very next request by
every worker, and a request that read the database before the change and stores its answer
after it stores an entry that is already stale. Writes that bypass signals (`QuerySet.update`,
raw SQL) are seen after `ACCESS_CACHE_SECONDS` at the latest.

Without a shared cache nothing is kept between requests: a per-process cache would let one
worker go on granting a role another worker has just taken away.
"""

import logging
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

if TYPE_CHECKING:
    from janitorial_crm.models import User

logger = logging.getLogger(__name__)

EVERYONE_KEY = "access:everyone"
# Attributes a user object keeps for the rest of the request (ModelBackend's names for the
# permission sets, so that its own code finds them too).
REQUEST_ATTRIBUTES = ("_access", "_perm_cache", "_user_perm_cache", "_group_perm_cache", "role")


@dataclass(frozen=True)
class Access:
    group_names: frozenset[str]
    group_perms: frozenset[str]
    user_perms: frozenset[str]
    superuser: bool  # computed for a superuser (every permission) or not


@dataclass(frozen=True)
class _Entry:
    stamp: tuple[str, str]  # (everyone's token, the user's token) when it was read
    access: Access


def cache_shared() -> bool:
    return bool(getattr(settings, "CACHE_SHARED", False))


def access_of(user: "User") -> Access:
    """The user's access: from the user object, else the shared cache, else the database."""
    access = user.__dict__.get("_access")
    if access is None or access.superuser != user.is_superuser:
        access = _cached_access(user) if cache_shared() and user.pk else _read_access(user)
        user.__dict__["_access"] = access
    return access


def _user_key(pk: object) -> str:
    return f"access:user:{pk}"


def _token_key(pk: object) -> str:
    return f"access:token:{pk}"


def _token(key: str, found: dict[str, Any]) -> str:
    """The current token under `key`; a missing one (never set, or evicted) is made anew, so an
    entry stamped before the eviction can never match it."""
    token = found.get(key)
    if token is None:
        token = uuid.uuid4().hex
        if not cache.add(key, token, timeout=None):
            token = cache.get(key) or token
    return str(token)


def _cached_access(user: "User") -> Access:
    entry_key, token_key = _user_key(user.pk), _token_key(user.pk)
    try:
        found = cache.get_many([EVERYONE_KEY, token_key, entry_key])
        stamp = (_token(EVERYONE_KEY, found), _token(token_key, found))
    # Each cache backend raises its client library's own errors (redis, pymemcache), as
    # Django's cached_db sessions know: answer from the database and keep nothing.
    except Exception:  # noqa: BLE001
        logger.warning(
            "Access cache unavailable; permissions read from the database.", exc_info=True
        )
        return _read_access(user)
    entry = found.get(entry_key)
    if (
        isinstance(entry, _Entry)
        and entry.stamp == stamp
        and entry.access.superuser == user.is_superuser
    ):
        return entry.access
    access = _read_access(user)
    try:
        cache.set(entry_key, _Entry(stamp, access), timeout=settings.ACCESS_CACHE_SECONDS)
    except Exception:  # noqa: BLE001
        logger.warning("Access cache unavailable; permissions not kept.", exc_info=True)
    return access


def _read_access(user: "User") -> Access:
    """The same answers as Django's ModelBackend, in two queries instead of three (its group
    permissions, plus the groups for the role)."""
    if user.pk is None:
        return Access(frozenset(), frozenset(), frozenset(), superuser=user.is_superuser)
    names: set[str] = set()
    group_perms: set[str] = set()
    rows = (
        Group.objects.filter(user=user)
        .values_list("name", "permissions__content_type__app_label", "permissions__codename")
        .order_by()
    )
    for name, app_label, codename in rows:
        names.add(name)
        if codename is not None:
            group_perms.add(f"{app_label}.{codename}")
    if user.is_superuser:
        # ModelBackend gives a superuser every permission, as their own and their groups'.
        everything = frozenset(_perm_names(Permission.objects.all()))
        return Access(frozenset(names), everything, everything, superuser=True)
    own = frozenset(_perm_names(Permission.objects.filter(user=user)))
    return Access(frozenset(names), frozenset(group_perms), own, superuser=False)


def _perm_names(permissions: Any) -> set[str]:
    pairs = permissions.values_list("content_type__app_label", "codename").order_by()
    return {f"{app_label}.{codename}" for app_label, codename in pairs}


# --- Invalidation ---------------------------------------------------------------------------


def _renew(key: str) -> None:
    """Renew a token now and again when the transaction commits: a request that reads the
    database in between sees the old rows and stamps them with a token that is then replaced.

    A cache that cannot be written to fails the change (a role change that workers might not
    see must not pass for done)."""
    if not cache_shared():
        return
    cache.set(key, uuid.uuid4().hex, timeout=None)
    transaction.on_commit(lambda: cache.set(key, uuid.uuid4().hex, timeout=None))


def forget_user(user_pk: object) -> None:
    """The user's access changed (groups, own permissions)."""
    _renew(_token_key(user_pk))


def forget_everyone() -> None:
    """A group or a permission changed: everyone's access may have."""
    _renew(EVERYONE_KEY)


def forget_on_object(user: Any) -> None:
    """Drop what a user object keeps for the request (its role, its permission sets)."""
    for name in REQUEST_ATTRIBUTES:
        user.__dict__.pop(name, None)


def _forget_members(instance: Any, reverse: bool, pk_set: set[Any] | None) -> None:
    """A change to User.groups or User.user_permissions, from either side."""
    if not reverse:
        forget_on_object(instance)
        forget_user(instance.pk)
    elif pk_set is None:
        forget_everyone()  # a group's or a permission's users cleared: who they were is gone
    else:
        for pk in pk_set:
            forget_user(pk)


def _user_relation_changed(
    sender: Any, instance: Any, action: str, reverse: bool, pk_set: Any, **kwargs: Any
) -> None:
    if action in {"post_add", "post_remove", "post_clear"}:
        _forget_members(instance, reverse, pk_set)


def _group_permissions_changed(sender: Any, action: str, **kwargs: Any) -> None:
    if action in {"post_add", "post_remove", "post_clear"}:
        forget_everyone()


def _group_or_permission_saved(sender: Any, created: bool, **kwargs: Any) -> None:
    # A new group or permission belongs to nobody yet; a renamed group is another role.
    if not created:
        forget_everyone()


def _group_or_permission_deleted(sender: Any, **kwargs: Any) -> None:
    # Deleting cascades to the memberships without m2m signals.
    forget_everyone()


def _user_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    # SQLite may hand a deleted user's id to the next new user.
    forget_user(instance.pk)


def connect_signals() -> None:
    user_model = get_user_model()
    uid = "janitorial_crm.access_cache"
    m2m_changed.connect(
        _user_relation_changed, sender=user_model.groups.through, dispatch_uid=f"{uid}.groups"
    )
    m2m_changed.connect(
        _user_relation_changed,
        sender=user_model.user_permissions.through,
        dispatch_uid=f"{uid}.user_permissions",
    )
    m2m_changed.connect(
        _group_permissions_changed,
        sender=Group.permissions.through,
        dispatch_uid=f"{uid}.group_permissions",
    )
    for model in (Group, Permission):
        post_save.connect(
            _group_or_permission_saved, sender=model, dispatch_uid=f"{uid}.saved.{model.__name__}"
        )
        post_delete.connect(
            _group_or_permission_deleted,
            sender=model,
            dispatch_uid=f"{uid}.deleted.{model.__name__}",
        )
    post_delete.connect(_user_deleted, sender=user_model, dispatch_uid=f"{uid}.user_deleted")
