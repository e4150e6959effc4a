"""Who hears an event is asked of the gate for all subscribers at once: a few queries per
event however many streams are open."""

import pytest

from janitorial_crm.roles import Role
from live.broker import Message
from live.hub import Subscriber, deliveries
from live.scope import BATCH
from tests.factories import InspectionFactory, SiteMembershipFactory, VisitFactory, make_user

pytestmark = pytest.mark.django_db


def visit_message(visit):
    return Message("visit", visit.pk, visit.site_id, {"id": visit.pk}, id="1-0")


def test_company_wide_roles_cost_no_query(
    site, technician, coordinator, supervisor, admin_user, django_assert_num_queries
):
    visit = VisitFactory(site=site, assigned_to=technician)
    people = [coordinator, supervisor, admin_user]
    for person in people:
        person.role  # noqa: B018 - read when the stream opens, like the view does
    subscribers = [Subscriber(user=person) for person in people]
    with django_assert_num_queries(0):
        heard = deliveries(visit_message(visit), subscribers)
    assert {subscriber.user for subscriber, _item in heard} == {
        coordinator,
        supervisor,
        admin_user,
    }


def test_many_technicians_are_asked_in_one_query_per_batch(site, django_assert_num_queries):
    technicians = [make_user(Role.TECHNICIAN, username=f"tech{n}") for n in range(BATCH + 5)]
    for person in technicians:
        person.role  # noqa: B018
    visit = VisitFactory(site=site, assigned_to=technicians[7])
    subscribers = [Subscriber(user=person) for person in technicians]
    # The gate, then the visit log for those it kept out: BATCH technicians, then the last 5.
    with django_assert_num_queries(4):
        heard = deliveries(visit_message(visit), subscribers)
    assert [subscriber.user for subscriber, _item in heard] == [technicians[7]]


def test_clients_hear_inspections_only_where_their_membership_grants_it(site, client_user):
    without_grant = make_user(Role.CLIENT, username="nogrant")
    SiteMembershipFactory(site=site, user=without_grant, can_see_inspections=False)
    log = InspectionFactory(site=site)
    message = Message("inspection", log.pk, site.pk, {"id": log.pk}, id="1-0")
    heard = deliveries(message, [Subscriber(user=client_user), Subscriber(user=without_grant)])
    assert [subscriber.user for subscriber, _item in heard] == [client_user]
