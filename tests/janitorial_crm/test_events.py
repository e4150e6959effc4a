"""The event bus: a change announces itself after its transaction commits, from the service
layer, so every write path (portal, admin, API, commands) publishes, once per change, and a
rolled-back change never does."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from inventory.models import MovementKind
from inventory.services import StockBatchError, stock_apply_movements
from janitorial_crm import events
from scheduling.models import VisitStatus
from tests.clock import NOW, TODAY
from tests.factories import InspectionFactory, StockItemFactory, VisitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def received():
    """Every event delivered to subscribers during the test, in order."""
    seen = []
    handler = events.subscribe(seen.append)
    yield seen
    events.unsubscribe(handler)


def kinds(received):
    return [event.kind for event in received]


def test_a_change_rolled_back_announces_nothing(received, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            events.publish("stock.low", object_id=1, site_id=1)
            raise RuntimeError("the change failed")
        events.publish("stock.low", object_id=2, site_id=1)

    assert [event.object_id for event in received] == [2]


def test_an_event_waits_for_the_commit(received, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        event = events.publish("inspection.filed", object_id=7, site_id=3, score=88)
        assert received == []
    callbacks[0]()

    assert received == [event]
    assert (event.object_id, event.site_id, event.changes) == (7, 3, {"score": 88})
    assert event.occurred_at == NOW


def test_an_event_carries_plain_values_never_model_instances(site):
    with pytest.raises(TypeError):
        events.publish("stock.low", object_id=1, site_id=site.pk, site=site)


def test_an_unknown_kind_is_a_programming_error():
    with pytest.raises(ValueError, match="Unknown event kind"):
        events.publish("visit.teleported", object_id=1, site_id=1)


def test_a_failing_subscriber_does_not_silence_the_others(
    received, django_capture_on_commit_callbacks, caplog
):
    def broken(event):
        raise RuntimeError("receiver down")

    events.subscribe(broken)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            events.publish("stock.low", object_id=1, site_id=1)
    finally:
        events.unsubscribe(broken)

    assert kinds(received) == ["stock.low"]
    assert "receiver down" in caplog.text


# -- each service publishes exactly once per change ---------------------------------------------


def test_starting_a_visit_publishes_its_status_change_once(
    login, technician, site, received, django_capture_on_commit_callbacks
):
    visit = VisitFactory(site=site, assigned_to=technician)

    with django_capture_on_commit_callbacks(execute=True):
        login(technician).post(reverse("scheduling:visit_start", args=[visit.pk]))

    visit.refresh_from_db()
    assert visit.status == VisitStatus.IN_PROGRESS
    assert [(e.kind, e.object_id, e.site_id, e.changes) for e in received] == [
        (
            "visit.status_changed",
            visit.pk,
            site.pk,
            {"from_status": "scheduled", "to_status": "in_progress"},
        )
    ]


def test_marking_missed_visits_publishes_one_event_per_visit(
    site, technician, received, django_capture_on_commit_callbacks
):
    overdue = [
        VisitFactory(site=site, assigned_to=technician, service_date=TODAY - dt.timedelta(days=n))
        for n in (1, 2)
    ]
    VisitFactory(site=site, assigned_to=technician, service_date=TODAY + dt.timedelta(days=1))

    with django_capture_on_commit_callbacks(execute=True):
        call_command("mark_missed", stdout=io.StringIO())
        call_command("mark_missed", stdout=io.StringIO())  # nothing left: nothing announced

    assert sorted(e.object_id for e in received) == sorted(v.pk for v in overdue)
    assert {e.changes["to_status"] for e in received} == {"missed"}


def test_filing_an_inspection_publishes_it_once(
    login, inspector, site, received, django_capture_on_commit_callbacks
):
    data = {
        "site": site.pk,
        "schedule": "",
        "inspection_date": "2026-11-24T10:30",
        "score": "64",
        "findings": "Lobby glass smeared.",
        "corrective_actions": "Clean the lobby glass.",
        "internal_notes": "",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = login(inspector).post(reverse("inspections:inspection_create"), data)

    assert response.status_code == 302
    (event,) = received
    assert (event.kind, event.site_id) == ("inspection.filed", site.pk)
    assert event.changes == {"score": 64, "has_corrective_actions": True}


def test_resolving_a_corrective_action_publishes_it_once(
    login, coordinator, site, received, django_capture_on_commit_callbacks
):
    log = InspectionFactory(site=site, corrective_actions="Descale the sink.")
    url = reverse("inspections:inspection_resolve", args=[log.pk])

    with django_capture_on_commit_callbacks(execute=True):
        login(coordinator).post(url, {"note": "Descaled."})
        login(coordinator).post(url, {"note": "Descaled again."})  # refused: already resolved

    assert [(e.kind, e.object_id) for e in received] == [("action.resolved", log.pk)]


def test_stock_falling_to_its_reorder_level_publishes_stock_low_once(
    login, coordinator, site, received, django_capture_on_commit_callbacks
):
    item = StockItemFactory(site=site, quantity_on_hand=Decimal("8"), reorder_level=Decimal("5"))
    url = reverse("inventory:movement_create", args=[item.pk])
    usage = {"kind": MovementKind.USAGE, "quantity": "3", "note": ""}

    with django_capture_on_commit_callbacks(execute=True):
        login(coordinator).post(url, usage)  # 8 → 5: at the reorder level
        login(coordinator).post(url, usage)  # 5 → 2: already low, no news

    item.refresh_from_db()
    assert item.quantity_on_hand == Decimal("2")
    assert [(e.kind, e.object_id, e.changes) for e in received if e.kind == "stock.low"] == [
        ("stock.low", item.pk, {"quantity_on_hand": "5.00", "reorder_level": "5.00"})
    ]
    # Each movement announces the new quantity.
    assert [e.changes["quantity_on_hand"] for e in received if e.kind == "stock.changed"] == [
        "5.00",
        "2.00",
    ]


def test_a_refused_stock_batch_publishes_nothing(
    login, technician, site, received, django_capture_on_commit_callbacks
):
    low_soon = StockItemFactory(
        site=site, quantity_on_hand=Decimal("6"), reorder_level=Decimal("5")
    )
    short = StockItemFactory(site=site, quantity_on_hand=Decimal("1"))

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(StockBatchError):
        stock_apply_movements(
            changes=[(low_soon, "2"), (short, "9")], kind=MovementKind.USAGE, by=technician
        )

    assert received == []


def test_admin_reassigning_a_visit_announces_it_and_tells_the_former_technician(
    login, supervisor, technician, site, received, django_capture_on_commit_callbacks
):
    from janitorial_crm.roles import Role
    from tests.factories import make_user
    from tests.scheduling.test_admin import change_data

    newcomer = make_user(Role.TECHNICIAN, username="newcomer")
    visit = VisitFactory(site=site, assigned_to=technician)
    with django_capture_on_commit_callbacks(execute=True):
        response = login(supervisor).post(
            reverse("admin:scheduling_cleaningschedule_change", args=[visit.pk]),
            change_data(visit, assigned_to=newcomer.pk),
        )
    assert response.status_code == 302
    [event] = received
    assert (event.kind, event.object_id, event.former_viewers) == (
        "visit.changed",
        visit.pk,
        (technician.pk,),
    )
    assert event.changes == {"fields": ["assigned_to"]}


def test_admin_deleting_visits_announces_each(
    login, supervisor, technician, site, received, django_capture_on_commit_callbacks
):
    visits = [VisitFactory(site=site, assigned_to=technician) for _ in range(2)]
    with django_capture_on_commit_callbacks(execute=True):
        response = login(supervisor).post(
            reverse("admin:scheduling_cleaningschedule_changelist"),
            {
                "action": "delete_selected",
                "_selected_action": [v.pk for v in visits],
                "post": "yes",
            },
        )
    assert response.status_code == 302
    assert sorted((e.kind, e.object_id, e.former_viewers) for e in received) == [
        ("visit.deleted", visit.pk, (technician.pk,)) for visit in visits
    ]


def test_planning_a_series_announces_each_new_visit(
    login, coordinator, technician, site, received, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = login(coordinator).post(
            reverse("scheduling:visit_create"),
            {
                "site": site.pk,
                "assigned_to": technician.pk,
                "first_date": str(TODAY + dt.timedelta(days=1)),
                "start_time": "18:00",
                "end_time": "20:00",
                "frequency": "weekly",
                "until": str(TODAY + dt.timedelta(days=21)),
            },
        )
    assert response.status_code == 302, response.context["form"].errors
    assert kinds(received) == ["visit.created"] * 3


def test_editing_an_inspection_announces_it(
    login, inspector, site, received, django_capture_on_commit_callbacks
):
    from tests.inspections.test_inspection_form import form_data

    log = InspectionFactory(site=site, inspector=inspector)
    with django_capture_on_commit_callbacks(execute=True):
        response = login(inspector).post(
            reverse("inspections:inspection_update", args=[log.pk]),
            form_data(site, findings="Lobby glass.", inspection_date="2026-11-24T11:30"),
        )
    assert response.status_code == 302
    assert [(e.kind, e.object_id) for e in received] == [("inspection.changed", log.pk)]
