"""What reaches a stream and when: after commit only, replayed after a reconnect, reset when
too much was missed, filtered, and a visit taken away is "gone"."""

import datetime as dt

import pytest
from django.db import transaction

from inventory import services as stock_services
from inventory.models import MovementKind
from janitorial_crm.roles import Role
from scheduling import services
from scheduling.models import VisitStatus
from tests.clock import TODAY
from tests.factories import VisitFactory, make_stock_item, make_user

pytestmark = pytest.mark.django_db


def start(visit, by):
    return services.visit_transition(visit=visit, to_status=VisitStatus.IN_PROGRESS, by=by)


def note(visit, by, text="checked"):
    return services.visit_add_note(visit=visit, by=by, text=text)


def test_a_rolled_back_change_announces_nothing(live, site, technician):
    visit = VisitFactory(site=site, assigned_to=technician)

    def started_then_failed():
        with transaction.atomic():
            start(visit, technician)
            raise RuntimeError("the request failed after the change")

    async def scenario():
        stream = await live.open(technician)
        with pytest.raises(RuntimeError):
            await live.change(started_then_failed)
        await live.change(note, visit, technician)
        event = await stream.event()
        assert event.data["change"] == "changed"  # the note: the start never went out
        assert event.data["fields"] == ["notes"]

    live.run(scenario)


def test_a_reconnecting_client_gets_what_it_missed(live, site, technician):
    visit = VisitFactory(site=site, assigned_to=technician)

    async def scenario():
        first = await live.open(technician)
        await live.change(note, visit, technician, "one")
        seen = await first.event()
        await first.close()
        await live.change(note, visit, technician, "two")
        await live.change(start, visit, technician)
        again = await live.open(technician, headers={"Last-Event-ID": seen.id})
        missed = [await again.event(), await again.event()]
        assert [event.data["change"] for event in missed] == ["changed", "status_changed"]
        assert seen.id < missed[0].id < missed[1].id
        # Then live, with nothing sent twice.
        await live.change(note, visit, technician, "three")
        assert (await again.event()).data["change"] == "changed"

    live.run(scenario)


def test_a_new_stream_starts_at_the_newest_event(live, site, technician):
    """Its first frame carries the newest id (no event), so a reconnect replays from there."""
    visit = VisitFactory(site=site, assigned_to=technician)

    async def scenario():
        await live.change(note, visit, technician)
        stream = await live.open(technician)
        position = await stream.frame()
        assert position.id and position.event is None
        await live.change(start, visit, technician)
        assert (await stream.event()).id > position.id

    live.run(scenario)


def test_too_old_a_last_event_id_gets_reset(live, settings, site, technician):
    settings.LIVE_REPLAY_EVENTS = 2
    settings.LIVE_REPLAY_SECONDS = 0
    settings.LIVE_REPLAY_MAX_EVENTS = 2
    visit = VisitFactory(site=site, assigned_to=technician)

    async def scenario():
        first = await live.open(technician)
        await live.change(note, visit, technician, "one")
        seen = await first.event()
        for text in ("two", "three", "four"):
            await live.change(note, visit, technician, text)
        again = await live.open(technician, headers={"Last-Event-ID": seen.id})
        assert (await again.event()).event == "reset"
        await live.change(start, visit, technician)
        assert (await again.event()).data["change"] == "status_changed"

    live.run(scenario)


@pytest.mark.parametrize("last_event_id", ["garbage", "1-0", "²-1", "1-\xb3", "-", "9" * 60])
def test_an_unknown_last_event_id_gets_reset(live, technician, site, last_event_id):
    async def scenario():
        stream = await live.open(technician, headers={"Last-Event-ID": last_event_id})
        assert (await stream.event()).event == "reset"

    live.run(scenario)


def test_more_missed_events_than_the_replay_limit_get_reset(live, settings, site, technician):
    settings.LIVE_REPLAY_LIMIT = 2
    visit = VisitFactory(site=site, assigned_to=technician)

    async def scenario():
        first = await live.open(technician)
        await live.change(note, visit, technician, "one")
        seen = await first.event()
        for text in ("two", "three", "four"):
            await live.change(note, visit, technician, text)
        again = await live.open(technician, headers={"Last-Event-ID": seen.id})
        assert (await again.event()).event == "reset"

    live.run(scenario)


def test_replay_is_scoped_too(live, site, other_site, technician, coordinator):
    """What a technician missed at another site stays unknown to them after a reconnect."""
    visit = VisitFactory(site=site, assigned_to=technician)
    elsewhere = VisitFactory(site=other_site, assigned_to=None)

    async def scenario():
        first = await live.open(technician)
        await live.change(note, visit, technician, "one")
        seen = await first.event()
        await live.change(note, elsewhere, coordinator, "not yours")
        await live.change(start, visit, technician)
        again = await live.open(technician, headers={"Last-Event-ID": seen.id})
        assert (await again.event()).data == {
            "id": visit.pk,
            "site": site.pk,
            "change": "status_changed",
            "from_status": "scheduled",
            "to_status": "in_progress",
        }

    live.run(scenario)


def test_types_and_site_filters(live, site, other_site, coordinator, technician):
    visit = VisitFactory(site=site, assigned_to=technician)
    elsewhere = VisitFactory(site=other_site, assigned_to=None)
    item = make_stock_item(by=coordinator, site=site)

    async def scenario():
        stock_only = await live.open(coordinator, query="?types=stock")
        this_site = await live.open(coordinator, query=f"?site={site.pk}&types=visit")
        await live.change(note, elsewhere, coordinator)
        await live.change(note, visit, coordinator)
        await live.change(
            stock_services.stock_apply_movement,
            item=item,
            kind=MovementKind.RESTOCK,
            quantity=5,
            by=coordinator,
        )
        assert (await stock_only.event()).event == "stock"
        event = await this_site.event()
        assert (event.event, event.data["id"]) == ("visit", visit.pk)

    live.run(scenario)


def test_a_technician_hears_stock_at_their_sites_only(live, site, other_site, technician):
    coordinator = make_user(Role.COORDINATOR, username="c2")
    theirs = make_stock_item(by=coordinator, site=other_site, item_name="Bleach")
    mine = make_stock_item(by=coordinator, site=site, item_name="Soap")

    def restock(item):
        return stock_services.stock_apply_movement(
            item=item, kind=MovementKind.RESTOCK, quantity=3, by=coordinator
        )

    async def scenario():
        stream = await live.open(technician, query="?types=stock")
        await live.change(restock, theirs)
        await live.change(restock, mine)
        event = await stream.event()
        assert (event.data["id"], event.data["quantity_on_hand"]) == (mine.pk, "3.00")

    live.run(scenario)


def test_a_reassigned_visit_is_gone_for_its_former_technician(live, site, technician, coordinator):
    """Next week's visit: not in the site's visit log either, so the former technician is told
    only that it is gone."""
    newcomer = make_user(Role.TECHNICIAN, username="newcomer")
    visit = VisitFactory(site=site, assigned_to=technician, service_date=TODAY + dt.timedelta(7))

    def reassign():
        return services.visit_update(
            visit=visit,
            by=coordinator,
            assigned_to=newcomer,
            service_date=visit.service_date,
            start_time=visit.start_time,
            end_time=visit.end_time,
        )

    async def scenario():
        former = await live.open(technician)
        new = await live.open(newcomer)
        await live.change(reassign)
        assert (await former.event()).data == {"id": visit.pk, "change": "gone"}
        event = await new.event()
        assert event.data["change"] == "changed"
        assert event.data["fields"] == ["assigned_to", "end_time", "service_date", "start_time"]

    live.run(scenario)


def test_heartbeats_and_the_end_of_a_stream(live, settings, technician, site):
    settings.LIVE_HEARTBEAT_SECONDS = 0.05
    settings.LIVE_STREAM_SECONDS = 0.2

    async def scenario():
        stream = await live.open(technician)
        await stream.frame()  # where it starts
        assert (await stream.frame()).comment == "ping"
        with pytest.raises(StopAsyncIteration):
            while True:
                await stream.frame()

    live.run(scenario)


def test_a_subscriber_that_cannot_keep_up_is_told_to_reset(live, settings, site, technician):
    settings.LIVE_QUEUE_SIZE = 2
    visit = VisitFactory(site=site, assigned_to=technician)

    async def scenario():
        stream = await live.open(technician)
        for text in ("one", "two", "three"):
            await live.change(note, visit, technician, text)
        await live.settled()
        assert (await stream.event()).event == "reset"
        with pytest.raises(StopAsyncIteration):
            await stream.event()

    live.run(scenario)
