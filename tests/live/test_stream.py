"""/live/: who may connect, what they hear, and the event format."""

import datetime as dt

import pytest

from janitorial_crm.roles import Role
from scheduling import services
from scheduling.models import VisitStatus
from tests.factories import VisitFactory, make_user

pytestmark = pytest.mark.django_db


def start(visit, by):
    return services.visit_transition(visit=visit, to_status=VisitStatus.IN_PROGRESS, by=by)


def test_the_technician_and_the_coordinator_hear_a_visit_start(live, site, technician, coordinator):
    visit = VisitFactory(site=site, assigned_to=technician)

    async def scenario():
        mine = await live.open(technician)
        office = await live.open(coordinator)
        assert mine.response["Content-Type"].startswith("text/event-stream")
        await live.change(start, visit, technician)
        for stream in (mine, office):
            event = await stream.event()
            assert event.event == "visit"
            assert event.id
            assert event.data == {
                "id": visit.pk,
                "site": site.pk,
                "change": "status_changed",
                "from_status": "scheduled",
                "to_status": "in_progress",
            }

    live.run(scenario)


def test_nobody_outside_the_scope_hears_it(live, site, other_site, technician, client_user):
    """Another technician's visit elsewhere: neither hears it. The technician's own visit: they
    hear it in full; the client of its site, who sees only the visit log (past and today's
    visits), hears that it changed and nothing more; of a visit next week, nothing."""
    other_tech = make_user(Role.TECHNICIAN, username="othertech")
    theirs = VisitFactory(site=other_site, assigned_to=other_tech)
    mine = VisitFactory(site=site, assigned_to=technician)
    upcoming = VisitFactory(
        site=site, assigned_to=technician, service_date=mine.service_date + dt.timedelta(days=7)
    )

    async def scenario():
        me = await live.open(technician)
        client = await live.open(client_user)
        await live.change(start, theirs, other_tech)
        await live.change(start, upcoming, technician)
        await live.change(start, mine, technician)
        assert [(await me.event()).data["id"] for _ in range(2)] == [upcoming.pk, mine.pk]
        event = await client.event()
        assert event.data == {"id": mine.pk, "site": site.pk, "change": "status_changed"}

    live.run(scenario)


def test_anonymous_is_refused(live):
    async def scenario():
        stream = await live.open()
        assert stream.status_code == 401
        assert stream.response["WWW-Authenticate"] == "Bearer"

    live.run(scenario)


def test_a_user_without_a_role_is_refused(live, waiting_user):
    async def scenario():
        assert (await live.open(waiting_user)).status_code == 403

    live.run(scenario)


def test_bad_filters_are_400_and_a_foreign_site_is_404(live, technician, site, other_site):
    async def scenario():
        assert (await live.open(technician, query="?types=visit,weather")).status_code == 400
        assert (await live.open(technician, query="?site=abc")).status_code == 400
        assert (await live.open(technician, query="?site=%C2%B2")).status_code == 400
        assert (await live.open(technician, query="?site=1" + "0" * 40)).status_code == 400
        assert (await live.open(technician, query=f"?site={other_site.pk}")).status_code == 404
        assert (await live.open(technician, query="?site=999999")).status_code == 404
        assert (await live.open(technician, query=f"?site={site.pk}")).status_code == 200

    live.run(scenario)


def test_a_bearer_token_subscribes(live, technician, site):
    visit = VisitFactory(site=site, assigned_to=technician)

    async def scenario():
        token = await live.token(technician)
        stream = await live.open(token=token)
        await live.change(start, visit, technician)
        assert (await stream.event()).data["id"] == visit.pk
        assert (await live.open(token="jcrm_nonsense")).status_code == 401

    live.run(scenario)


def test_a_wsgi_server_answers_503_instead_of_holding_a_worker(client, technician):
    """Under WSGI (gunicorn's sync workers, runserver) a stream would never end."""
    client.force_login(technician)
    response = client.get("/live/")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/problem+json"
