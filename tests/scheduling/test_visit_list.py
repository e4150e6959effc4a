import datetime as dt

import pytest
from django.urls import reverse

from janitorial_crm.roles import Role
from scheduling.models import VisitStatus
from tests.factories import ClientSiteFactory, VisitFactory, make_user
from tests.scheduling.helpers import TODAY, queries_for, t

pytestmark = pytest.mark.django_db

LIST = reverse("scheduling:visit_list")
LIST_QUERY_BOUND = 12


@pytest.fixture
def visits(technician, site, other_site):
    other_tech = make_user(Role.TECHNICIAN, full_name="Zed Zimmer")
    return {
        "a": VisitFactory(
            site=site, assigned_to=technician, service_date=TODAY, notes="Buff the lobby"
        ),
        "b": VisitFactory(
            site=other_site,
            assigned_to=other_tech,
            service_date=TODAY + dt.timedelta(days=3),
            status=VisitStatus.MISSED,
        ),
        "c": VisitFactory(
            site=site,
            assigned_to=None,
            service_date=TODAY - dt.timedelta(days=3),
            start_time=t("06:00"),
            end_time=t("07:00"),
        ),
    }


def shown(client, query, visits):
    response = client.get(f"{LIST}?{query}")
    assert response.status_code == 200
    return [key for key, visit in visits.items() if visit in response.context["object_list"]]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["a", "b", "c"]),
        ("q=lobby", ["a"]),
        ("q=other", ["b"]),
        ("q=zimmer", ["b"]),
        ("site={site}", ["a", "c"]),
        ("assigned_to={technician}", ["a"]),
        ("status=missed", ["b"]),
        ("date_from={today}", ["a", "b"]),
        ("date_to={today}", ["a", "c"]),
        ("date_from={today}&date_to={today}", ["a"]),
        ("date_from=not-a-date", ["a", "b", "c"]),
    ],
)
def test_list_filters(login, coordinator, visits, site, technician, query, expected):
    query = query.format(site=site.pk, technician=technician.pk, today=TODAY)
    assert shown(login(coordinator), query, visits) == expected


@pytest.mark.parametrize(
    ("ordering", "first"),
    [("service_date", "c"), ("-service_date", "b"), ("site", "b"), ("-start_time", "a")],
)
def test_list_sorts(login, coordinator, visits, ordering, first):
    response = login(coordinator).get(f"{LIST}?ordering={ordering}")
    assert response.context["object_list"][0] == visits[first]


def test_list_highlights_unassigned_and_links_each_visit(login, coordinator, visits):
    html = login(coordinator).get(LIST).content.decode()
    assert "Unassigned" in html
    assert "status-missed" in html
    for visit in visits.values():
        assert visit.get_absolute_url() in html


def test_technician_filter_offers_a_technician_only_themselves(login, technician, visits):
    response = login(technician).get(LIST)
    choices = list(response.context["filter"].form.fields["assigned_to"].queryset)
    assert choices == [technician]


def test_list_query_count_is_the_same_for_few_and_many_rows(
    login, coordinator, technician, django_assert_max_num_queries
):
    client = login(coordinator)
    sites = [ClientSiteFactory() for _ in range(3)]

    def add(count):
        for n in range(count):
            VisitFactory(site=sites[n % 3], assigned_to=technician if n % 2 else None)

    add(2)
    with django_assert_max_num_queries(LIST_QUERY_BOUND):
        _response, few = queries_for(client, LIST)
    add(30)
    with django_assert_max_num_queries(LIST_QUERY_BOUND):
        response, many = queries_for(client, LIST)
    assert len(response.context["object_list"]) == 25  # paginated
    assert many == few
