"""The inspection list redraws itself from the live stream: the stream it opens, and the
re-fetch of its trends and table through the list's own view and gate (filters, sort and page
kept), in a bounded number of queries."""

import pytest
from django.urls import reverse

from janitorial_crm.roles import Role
from tests.factories import (
    ClientSiteFactory,
    InspectionFactory,
    InspectionPhotoFactory,
    SiteMembershipFactory,
    make_user,
)
from tests.live_pages import (
    htmx_headers,
    queries,
    refetch,
    region,
    stream,
    template_names,
    triggers,
)

pytestmark = pytest.mark.django_db

LIST = reverse("inspections:inspection_list")
REGION = "inspections/includes/_inspection_list_live.html"
# The trends and the table alone: session, user, groups, permissions ×2, the count, the page's
# inspections, their photos and the trends (no navigation, no filter dropdowns).
REGION_QUERY_BOUND = 11


def fetch(client, url=LIST):
    return client.get(url, headers=htmx_headers("inspection-live"))


@pytest.mark.parametrize(
    ("role", "types"),
    [
        ("coordinator", ["stock", "inspection", "action"]),  # + the low-stock badge
        ("inspector", ["inspection", "action"]),
        ("client_user", ["inspection", "action"]),
    ],
)
def test_listens_to_inspections_and_actions(request, login, role, types, live_stream):
    url = f"{LIST}?score_below=70&ordering=-score&page=1"
    response = login(request.getfixturevalue(role)).get(url)
    assert stream(response) == (live_stream, types, None)
    attrs = region(response, "inspection-live")
    assert attrs["hx-get"] == url
    assert triggers(attrs) == ["sse:inspection", "sse:action", "live:refresh"]


def test_the_re_fetch_answers_the_table_alone_with_the_change_and_the_filters_kept(
    login, coordinator, site, live_stream
):
    client = login(coordinator)
    url = f"{LIST}?score_below=70"
    attrs = region(client.get(url), "inspection-live")
    InspectionFactory(site=site, score=42)
    InspectionFactory(site=site, score=95)

    response = refetch(client, attrs)

    assert response.status_code == 200
    assert template_names(response)[0] == REGION
    assert "inspections/siteinspectionlog_list.html" not in template_names(response)
    content = response.content.decode()
    assert "<html" not in content and 'class="filter-form' not in content
    assert [log.score for log in response.context["object_list"]] == [42]


def test_the_re_fetch_is_scoped_like_the_list(login, site, other_site):
    InspectionFactory(site=site, score=61)
    InspectionFactory(site=other_site, score=33)
    no_grant = make_user(Role.CLIENT)
    SiteMembershipFactory(site=site, user=no_grant, can_see_inspections=False)
    assert list(fetch(login(no_grant)).context["object_list"]) == []


def test_an_anonymous_re_fetch_is_sent_to_log_in_like_the_list(client):
    response = fetch(client)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_user_waiting_for_a_role_is_sent_to_wait_like_the_list(login, waiting_user):
    assert fetch(login(waiting_user))["Location"] == "/accounts/waiting/"


def _make_rows(count):
    for n in range(count):
        log = InspectionFactory(site=ClientSiteFactory(), score=50 + n % 50)
        InspectionPhotoFactory(log=log)


def test_the_re_fetch_runs_as_many_queries_for_few_and_many_inspections(
    login, coordinator, client_user, site, django_assert_max_num_queries
):
    url = f"{LIST}?ordering=-score&q="
    counts = []
    for rows in (2, 30):
        _make_rows(rows)
        for user in (coordinator, client_user):
            client = login(user)
            with django_assert_max_num_queries(REGION_QUERY_BOUND):
                response, count = queries(lambda client=client: fetch(client, url))
            assert response.status_code == 200
            counts.append(count)
    assert counts[:2] == counts[2:]
