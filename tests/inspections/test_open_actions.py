"""One meaning of "open corrective action" everywhere: the list filter and the dashboard count
(SQL), the detail page and the resolve action (Python), and corrective actions stored stripped.
Also the seed's photoUrl (`SiteInspectionLog.photo_url`)."""

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from inspections.models import PhotoKind, SiteInspectionLog
from tests.factories import InspectionFactory, InspectionPhotoFactory

pytestmark = pytest.mark.django_db

LIST = reverse("inspections:inspection_list")


def listed(client, **query):
    return {log.pk for log in client.get(LIST, query).context["object_list"]}


@pytest.mark.parametrize("actions", ["", " ", "\n\t ", "Descale the sink."])
def test_the_list_the_detail_page_and_the_resolve_action_agree_on_open(
    login, coordinator, site, actions
):
    # Whitespace alone cannot be saved any more (see the next tests), but a row written
    # before, or by hand, must not be open for SQL and closed for Python.
    log = InspectionFactory(site=site, corrective_actions=actions)
    client = login(coordinator)

    in_open_list = log.pk in listed(client, open_actions="1")
    detail = client.get(log.get_absolute_url())
    resolve = client.post(
        reverse("inspections:inspection_resolve", args=[log.pk]), {"note": "Done."}
    )

    assert detail.context["can_resolve"] == in_open_list
    log.refresh_from_db()
    assert resolve.status_code == 302
    assert (log.resolved_at is not None) == in_open_list == (actions != "")


@pytest.mark.parametrize("actions", [" ", "\n\t "])
def test_whitespace_only_corrective_actions_are_saved_empty_and_not_open(
    login, inspector, site, actions
):
    data = {
        "site": site.pk,
        "schedule": "",
        "inspection_date": "2026-11-24T20:30",
        "score": "77",
        "findings": "Fine.",
        "corrective_actions": actions,
        "internal_notes": "",
    }
    client = login(inspector)

    assert client.post(reverse("inspections:inspection_create"), data).status_code == 302
    log = SiteInspectionLog.objects.get()
    assert log.corrective_actions == "" and not log.has_open_actions
    assert listed(client, open_actions="1") == set()

    data["corrective_actions"] = "  Mop the lobby.  "
    client.post(reverse("inspections:inspection_update", args=[log.pk]), data)
    log.refresh_from_db()
    assert log.corrective_actions == "Mop the lobby." and log.has_open_actions
    assert listed(client, open_actions="1") == {log.pk}


def test_the_migration_strips_stored_corrective_actions(site):
    padded = InspectionFactory(site=site, corrective_actions="  Fix the tap.\n")
    blank = InspectionFactory(site=site, corrective_actions=" \n ")
    clean = InspectionFactory(site=site, corrective_actions="Mop.")
    migration = importlib.import_module("inspections.migrations.0004_strip_corrective_actions")

    migration.strip_corrective_actions(apps, None)

    stored = dict(SiteInspectionLog.objects.values_list("pk", "corrective_actions"))
    assert stored == {padded.pk: "Fix the tap.", blank.pk: "", clean.pk: "Mop."}


def test_the_dashboard_summary_counts_what_the_list_filters_list(login, coordinator, site):
    now = timezone.now()
    for days, actions in [(1, "a"), (10, "b"), (20, "c"), (20, "")]:
        InspectionFactory(
            site=site, corrective_actions=actions, inspection_date=now - dt.timedelta(days=days)
        )
    client = login(coordinator)
    request = RequestFactory().get("/")
    request.user = coordinator
    html = Template("{% load inspections_tags %}{% open_actions_summary %}").render(
        Context({"request": request})
    )

    overdue = len(listed(client, overdue="1"))
    assert (len(listed(client, open_actions="1")), overdue) == (3, 2)
    assert f'id="overdue-actions-badge">{overdue}<' in html


def test_photo_url_is_the_first_finding_photo_through_the_protected_view(
    login, inspector, coordinator, other_site, site
):
    log = InspectionFactory(site=site)
    InspectionPhotoFactory(log=log, kind=PhotoKind.AFTER)
    first = InspectionPhotoFactory(log=log)
    InspectionPhotoFactory(log=log)
    elsewhere = InspectionFactory(site=other_site)

    log = SiteInspectionLog.objects.prefetch_related("photos").get(pk=log.pk)

    assert log.photo_url == reverse("inspections:photo", args=[first.pk, "full"])
    assert login(coordinator).get(log.photo_url).status_code == 200
    assert elsewhere.photo_url == ""
    outsider_photo = InspectionPhotoFactory(log=elsewhere)
    assert login(inspector).get(outsider_photo.get_absolute_url()).status_code == 404
