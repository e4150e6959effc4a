import csv
import datetime as dt
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.factories import ClientSiteFactory, InspectionFactory, StockItemFactory

URL = "/sites/export.csv"
NOW = dt.datetime(2026, 11, 24, 15, 0, tzinfo=ZoneInfo("America/New_York"))


def read_csv(response):
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment;" in response["Content-Disposition"]
    body = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(body)))


@time_machine.travel(NOW, tick=False)
def test_export_has_one_row_per_filtered_site_with_its_figures(login, coordinator, db):
    acme = ClientSiteFactory(
        site_code="ACME-1", site_name="Acme HQ", client_name="Acme", address="1 Main St\nSuite 2"
    )
    StockItemFactory(site=acme, quantity_on_hand=Decimal("1"), reorder_level=Decimal("3"))
    StockItemFactory(site=acme, quantity_on_hand=Decimal("9"), reorder_level=Decimal("3"))
    InspectionFactory(site=acme, inspection_date=NOW - dt.timedelta(days=3))
    ClientSiteFactory(site_code="GLOBEX-1", client_name="Globex")

    rows = read_csv(login(coordinator).get(URL, {"client": "Acme"}))

    assert rows[0][:3] == ["Code", "Name", "Client"]
    assert rows[1:] == [
        [
            "ACME-1",
            "Acme HQ",
            "Acme",
            "Standard",
            "1 Main St Suite 2",
            "yes",
            "",
            "1",
            "2026-11-21",
        ]
    ]


def test_export_neutralises_spreadsheet_formulas(login, coordinator, db):
    ClientSiteFactory(
        site_code="EVIL-1",
        site_name='=HYPERLINK("http://evil.example","click")',
        client_name="+cmd|' /C calc'!A0",
        address="@SUM(1+1)",
    )
    rows = read_csv(login(coordinator).get(URL))
    name, client_name, address = rows[1][1], rows[1][2], rows[1][4]
    assert name == '\'=HYPERLINK("http://evil.example","click")'
    assert client_name.startswith("'+")
    assert address == "'@SUM(1+1)"


@pytest.mark.parametrize("count", [3, 60])
def test_export_query_count_is_constant(
    login, coordinator, db, count, django_assert_max_num_queries
):
    for n in range(count):
        StockItemFactory(site=ClientSiteFactory(site_code=f"X{n:03d}"))
    client = login(coordinator)
    with django_assert_max_num_queries(9):
        rows = read_csv(client.get(URL))
    assert len(rows) == count + 1


def test_supervisor_and_admin_may_export(login, supervisor, admin_user, site):
    for user in (supervisor, admin_user):
        assert len(read_csv(login(user).get(URL))) == 2
