"""A `next` from the browser never turns a saved action into an error or an open redirect.

Every junk value sends the user to the action's own fallback page, and the action is applied
exactly once.
"""

import pytest
from django.urls import reverse

from scheduling.models import VisitStatus
from tests.factories import VisitFactory
from tests.scheduling.helpers import TODAY, t

pytestmark = pytest.mark.django_db

MY_DAY = reverse("scheduling:my_day")
BOARD = reverse("scheduling:board")

JUNK_NEXT = [
    "foo",
    "logout",
    "a.b",
    "//evil.example",
    "https://evil.example/",
    "/\\evil",
    "/visits/\x00",
    "/" + "a" * 5000,
    "/accounts/logout/",
    "/accounts/login/?next=/visits/",
    "/admin/logout/",
    "/no/such/page/",
    " /visits/",
    "/%2Fevil.example",
]


def junk_ids(value):
    return repr(value[:30])


@pytest.mark.parametrize("junk", JUNK_NEXT, ids=junk_ids)
class TestJunkNextFallsBack:
    def test_starting_a_visit_goes_to_my_day_and_starts_it_once(
        self, frozen, login, technician, site, junk
    ):
        visit = VisitFactory(site=site, assigned_to=technician, service_date=TODAY)
        url = reverse("scheduling:visit_start", args=[visit.pk])
        response = login(technician).post(url, {"next": junk})
        assert (response.status_code, response["Location"]) == (302, MY_DAY)
        visit.refresh_from_db()
        assert visit.status == VisitStatus.IN_PROGRESS
        assert visit.status_changes.count() == 1

    def test_completing_a_visit_goes_to_my_day_and_completes_it_once(
        self, frozen, login, technician, site, junk
    ):
        visit = VisitFactory(site=site, assigned_to=technician, service_date=TODAY)
        client = login(technician)
        client.post(reverse("scheduling:visit_start", args=[visit.pk]))
        url = reverse("scheduling:visit_complete", args=[visit.pk])
        response = client.post(url, {"next": junk})
        assert (response.status_code, response["Location"]) == (302, MY_DAY)
        visit.refresh_from_db()
        assert visit.status == VisitStatus.COMPLETED
        assert visit.status_changes.filter(to_status=VisitStatus.COMPLETED).count() == 1

    def test_a_note_goes_to_my_day_and_is_added_once(self, frozen, login, technician, site, junk):
        visit = VisitFactory(site=site, assigned_to=technician, service_date=TODAY, notes="")
        url = reverse("scheduling:visit_note", args=[visit.pk])
        response = login(technician).post(url, {"note": "Door code changed", "next": junk})
        assert (response.status_code, response["Location"]) == (302, MY_DAY)
        visit.refresh_from_db()
        assert visit.notes.count("Door code changed") == 1

    def test_moving_a_visit_goes_to_the_board_and_moves_it_once(
        self, frozen, login, coordinator, technician, site, junk
    ):
        visit = VisitFactory(site=site, assigned_to=technician, service_date=TODAY)
        client = login(coordinator)
        url = reverse("scheduling:visit_move", args=[visit.pk])
        page = client.get(url, {"next": junk})
        assert page.status_code == 200
        assert f'href="{BOARD}"' in page.content.decode()
        response = client.post(
            url,
            {
                "assigned_to": technician.pk,
                "service_date": str(TODAY),
                "start_time": "06:00",
                "end_time": "08:00",
                "next": junk,
            },
        )
        assert (response.status_code, response["Location"]) == (302, BOARD)
        visit.refresh_from_db()
        assert (visit.start_time, visit.end_time) == (t("06:00"), t("08:00"))

    def test_cancelling_a_visit_goes_to_the_visit_and_cancels_it_once(
        self, frozen, login, coordinator, technician, site, junk
    ):
        visit = VisitFactory(site=site, assigned_to=technician, service_date=TODAY)
        url = reverse("scheduling:visit_cancel", args=[visit.pk])
        response = login(coordinator).post(url, {"scope": "this", "next": junk})
        assert (response.status_code, response["Location"]) == (302, visit.get_absolute_url())
        visit.refresh_from_db()
        assert visit.status == VisitStatus.CANCELLED
        assert visit.status_changes.count() == 1


class TestSafeNextIsHonoured:
    def test_a_page_of_this_site_with_its_query_string_is_where_the_action_returns(
        self, frozen, login, technician, site
    ):
        visit = VisitFactory(site=site, assigned_to=technician, service_date=TODAY)
        back = f"{visit.get_absolute_url()}?tab=notes"
        response = login(technician).post(
            reverse("scheduling:visit_start", args=[visit.pk]), {"next": back}
        )
        assert response["Location"] == back

    def test_a_move_returns_to_the_board_week_it_came_from(
        self, frozen, login, coordinator, technician, site
    ):
        visit = VisitFactory(site=site, assigned_to=technician, service_date=TODAY)
        back = f"{BOARD}?week={TODAY}&view=site"
        response = login(coordinator).post(
            reverse("scheduling:visit_move", args=[visit.pk]),
            {
                "assigned_to": technician.pk,
                "service_date": str(TODAY),
                "start_time": "06:00",
                "end_time": "08:00",
                "next": back,
            },
        )
        assert response["Location"] == back
