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
    data = {"id": visit.pk, "site": visit.site_id, "change": "changed", "fields": ["notes"]}
    return Message("visit", visit.pk, visit.site_id, data, id="1-0")


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
        SiteMembershipFactory(site=site, user=person)
        person.role  # noqa: B018 - read when the stream opens, like the view does
    visit = VisitFactory(site=site, assigned_to=technicians[7])
    subscribers = [Subscriber(user=person) for person in technicians]
    # Who is at the site (2), the gate (BATCH technicians, then the last 5), then the site's
    # visit log for the others (2 again): the members see today's visit there as a summary.
    with django_assert_num_queries(6):
        heard = dict(deliveries(visit_message(visit), subscribers))
    full = [
        sub.user for sub, (_type, _id, data) in heard.items() if "site" in data and len(data) > 3
    ]
    assert [subscriber.user for subscriber in heard] == technicians
    assert full == [technicians[7]]


def test_subscribers_with_nothing_at_the_site_cost_one_small_query(
    site, other_site, django_assert_num_queries
):
    technicians = [make_user(Role.TECHNICIAN, username=f"far{n}") for n in range(50)]
    for person in technicians:
        SiteMembershipFactory(site=other_site, user=person)
        person.role  # noqa: B018
    visit = VisitFactory(site=site, assigned_to=None)
    with django_assert_num_queries(2):
        heard = deliveries(visit_message(visit), [Subscriber(user=p) for p in technicians])
    assert heard == []


def test_clients_hear_inspections_only_where_their_membership_grants_it(site, client_user):
    without_grant = make_user(Role.CLIENT, username="nogrant")
    SiteMembershipFactory(site=site, user=without_grant, can_see_inspections=False)
    log = InspectionFactory(site=site)
    message = Message("inspection", log.pk, site.pk, {"id": log.pk}, id="1-0")
    heard = deliveries(message, [Subscriber(user=client_user), Subscriber(user=without_grant)])
    assert [subscriber.user for subscriber, _item in heard] == [client_user]


def test_the_prefilter_leaves_out_only_those_who_see_nothing_at_the_site(
    site, other_site, technician, inspector, client_user, django_assert_num_queries
):
    """`ClientSite.objects.assigned_user_ids` is `for_user` read the other way, and every
    streamed model's `for_user` stays within the user's sites: what the hub relies on to skip
    everyone else (live.scope.candidates)."""
    from inventory.models import SupplyInventory
    from live.scope import MODELS
    from sites.models import ClientSite
    from tests.factories import StockItemFactory

    holder = make_user(Role.TECHNICIAN, username="holder")  # no membership: a visit only
    stranger = make_user(Role.TECHNICIAN, username="stranger")
    VisitFactory(site=other_site, assigned_to=holder)
    VisitFactory(site=site, assigned_to=technician)
    InspectionFactory(site=site)
    InspectionFactory(site=other_site)
    StockItemFactory(site=site)
    StockItemFactory(site=other_site)
    people = [technician, inspector, client_user, holder, stranger]

    for place in (site, other_site):
        with django_assert_num_queries(2):
            assigned = ClientSite.objects.assigned_user_ids(place.pk)
        for person in people:
            sees = ClientSite.objects.for_user(person).filter(pk=place.pk).exists()
            assert (person.pk in assigned) == sees, (person, place)
    for person in people:
        sites = ClientSite.objects.for_user(person)
        for model in {*MODELS.values(), SupplyInventory}:
            outside = model._default_manager.for_user(person).exclude(site__in=sites)
            assert not outside.exists(), (model.__name__, person)
