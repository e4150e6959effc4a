import datetime as dt
import io
from collections import defaultdict
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.utils import timezone

from demo.large import (
    ITEMS_PER_SITE,
    LARGE_PASSWORD,
    USERNAME_STEMS,
    planned_counts,
    seed_large,
)
from inspections.models import SiteInspectionLog
from inventory.models import StockMovement, SupplyInventory
from janitorial_crm.roles import STAFF_ROLES, Role
from scheduling.models import (
    CleaningSchedule,
    Frequency,
    VisitSeries,
    VisitStatus,
    VisitStatusChange,
)
from scheduling.services.booking import find_clashes
from sites.models import ClientSite, SiteMembership

SCALE = 0.01
# A Tuesday evening: today's night visits are under way.
NOW = dt.datetime(2026, 11, 24, 21, 0, tzinfo=ZoneInfo("America/New_York"))

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen_time():
    with time_machine.travel(NOW, tick=False):
        yield


def seed(**kwargs):
    out = io.StringIO()
    result = seed_large(stdout=out, scale=SCALE, **kwargs)
    return result, out.getvalue()


def test_small_scale_makes_proportional_counts():
    _, output = seed()
    planned = planned_counts(SCALE)
    assert planned["sites"] == 10 and planned["visits"] == 500 and planned["inspections"] == 200
    assert ClientSite.objects.count() == planned["sites"]
    assert CleaningSchedule.objects.count() == planned["visits"]
    assert SupplyInventory.objects.count() == planned["sites"] * ITEMS_PER_SITE
    assert SiteInspectionLog.objects.count() == planned["inspections"]
    assert get_user_model().objects.count() == sum(planned["users"].values())
    assert VisitSeries.objects.exists()
    assert StockMovement.objects.count() > SupplyInventory.objects.count()
    assert "visits" in output and "Large demo data ready" in output


def test_full_scale_counts_match_a_mid_size_contractor():
    planned = planned_counts(1)
    assert sum(planned["users"].values()) == 200
    assert planned["users"][Role.TECHNICIAN] == 130
    assert (planned["sites"], planned["visits"]) == (1000, 50_000)
    assert (planned["stock_items"], planned["inspections"]) == (10_000, 20_000)


def test_every_user_has_the_role_their_name_says_and_the_shared_password():
    seed()
    stems = {stem: role for role, stem in USERNAME_STEMS.items()}
    users = get_user_model().objects.prefetch_related("groups")
    for user in users:
        role = stems[user.username.rstrip("0123456789")]
        assert user.role == role
        assert user.is_staff == (role in STAFF_ROLES)
        assert user.groups.count() == 1
    assert users.first().check_password(LARGE_PASSWORD)


def test_stock_ledger_agrees_with_quantity_on_hand_for_every_item():
    seed()
    ledger = defaultdict(list)
    for movement in StockMovement.objects.order_by("created_at", "pk"):
        ledger[movement.item_id].append(movement)
    items = list(SupplyInventory.objects.all())
    assert len(ledger) == len(items)
    for item in items:
        running = 0
        for movement in ledger[item.pk]:
            running += movement.quantity
            assert movement.quantity_after == running >= 0
        assert running == item.quantity_on_hand
        assert ledger[item.pk][0].note == "Opening stock"
        assert item.last_restocked_at is not None
    assert len({(i.site_id, i.sku) for i in items}) == len(items)


def test_every_visit_agrees_with_its_series_site_and_assignee():
    seed()
    members = set(SiteMembership.objects.values_list("site_id", "user_id"))
    technicians = set(
        get_user_model().objects.with_role(Role.TECHNICIAN).values_list("pk", flat=True)
    )
    visits = CleaningSchedule.objects.select_related("series")
    for visit in visits:
        assert visit.start_time != visit.end_time
        if visit.series:
            assert visit.series.site_id == visit.site_id
            assert visit.series.frequency == visit.frequency
            assert visit.series.first_date <= visit.service_date
            assert visit.service_date <= visit.series.materialised_until
        else:
            assert visit.frequency == Frequency.ONCE
        if visit.assigned_to_id:
            assert visit.assigned_to_id in technicians
            assert (visit.site_id, visit.assigned_to_id) in members
        if visit.status == VisitStatus.COMPLETED:
            assert visit.started_at < visit.completed_at <= timezone.now()
            assert visit.status_changed_by_id == visit.assigned_to_id
        elif visit.status == VisitStatus.IN_PROGRESS:
            assert visit.started_at <= timezone.now() and visit.completed_at is None
        elif visit.status == VisitStatus.SCHEDULED:
            assert visit.started_at is None and visit.ends_at > timezone.now()
        elif visit.status == VisitStatus.MISSED:  # by the nightly job, attributed to nobody
            assert visit.status_changed_at > visit.ends_at and not visit.status_changed_by_id
        else:
            assert visit.status_changed_at and visit.status_changed_by_id
    assert visits.filter(service_date=timezone.localdate(), status=VisitStatus.IN_PROGRESS)
    assert any(visit.is_overnight for visit in visits)


def test_no_technician_is_booked_twice_at_once():
    seed()
    visits = CleaningSchedule.objects.filter(assigned_to__isnull=False).not_cancelled()
    for visit in visits.select_related("assigned_to"):
        slot = [(visit.service_date, visit.start_time, visit.end_time)]
        clashes = find_clashes(technician=visit.assigned_to, slots=slot, exclude_pks=[visit.pk])
        assert not clashes, (visit, clashes)


def test_status_history_leads_to_each_visit_status():
    seed()
    last_move = {}
    for change in VisitStatusChange.objects.order_by("changed_at", "pk"):
        assert change.from_status != change.to_status
        last_move[change.visit_id] = change
    for visit in CleaningSchedule.objects.all():
        move = last_move.get(visit.pk)
        if visit.status == VisitStatus.SCHEDULED:
            assert move is None
        else:
            assert move.to_status == visit.status
            assert move.changed_at == visit.status_changed_at
            assert move.changed_by_id == visit.status_changed_by_id


def test_inspections_are_at_the_visited_site_and_resolutions_are_attributed():
    seed()
    logs = list(SiteInspectionLog.objects.select_related("schedule"))
    assert all(0 <= log.score <= 100 and log.inspection_date < timezone.now() for log in logs)
    assert all(log.schedule.site_id == log.site_id for log in logs if log.schedule)
    assert all(log.resolved_by_id for log in logs if log.resolved_at)
    with_actions = [log for log in logs if log.corrective_actions]
    assert 0 < len(with_actions) < len(logs) / 4
    members = set(SiteMembership.objects.values_list("site_id", "user_id"))
    assert all((log.site_id, log.inspector_id) in members for log in logs)


def test_clients_see_a_few_sites_and_some_hold_the_inspection_grant():
    seed()
    clients = SiteMembership.objects.filter(user__username__startswith="client")
    assert clients.exists()
    assert clients.filter(can_see_inspections=True).exists() or clients.count() < 3


def test_running_twice_without_force_refuses_and_adds_nothing():
    seed()
    with pytest.raises(CommandError, match="already has sites"):
        seed()
    assert ClientSite.objects.count() == planned_counts(SCALE)["sites"]


def test_force_adds_a_second_identical_set_under_its_own_names():
    first, _ = seed()
    second, _ = seed(force=True)
    assert (first["prefix"], second["prefix"]) == ("", "r2.")
    assert ClientSite.objects.filter(site_code__startswith="R2-").count() == 10
    assert get_user_model().objects.filter(username="r2.tech001").exists()
    # The same seed makes the same data: the second set mirrors the first.
    scores = [
        list(
            SiteInspectionLog.objects.filter(site__site_code__startswith=prefix)
            .order_by("pk")
            .values_list("score", flat=True)
        )
        for prefix in ("S", "R2-")
    ]
    assert scores[0] == scores[1]


def test_scale_must_be_positive():
    with pytest.raises(CommandError):
        seed_large(stdout=io.StringIO(), scale=0)


def test_seed_demo_scale_large_refuses_a_database_with_sites(site):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("seed_demo", "--scale", "large", "--allow-production")
