"""The field count: a technician records usage or a shelf count for a whole site at once."""

from decimal import Decimal

import pytest

from inventory.models import MovementKind, StockMovement
from tests.factories import VisitFactory, make_stock_item

pytestmark = pytest.mark.django_db


@pytest.fixture
def items(coordinator, site):
    return [
        make_stock_item(by=coordinator, site=site, item_name="A towels", quantity="10"),
        make_stock_item(by=coordinator, site=site, item_name="B liners", quantity="4"),
        make_stock_item(by=coordinator, site=site, item_name="C soap", quantity="2.5"),
    ]


def rows_as_rendered(client, url):
    """The form's fields as the page renders them (management form and one row per item)."""
    response = client.get(url)
    formset = response.context["formset"]
    data = {
        f"rows-{name}": value
        for name, value in formset.management_form.initial.items()
        if name in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS")
    }
    for index, form in enumerate(formset.forms):
        data[f"rows-{index}-item"] = form["item"].value()
        data[f"rows-{index}-quantity"] = ""
    data["note"] = ""
    return response, data


def on_hand(items):
    for item in items:
        item.refresh_from_db()
    return [item.quantity_on_hand for item in items]


def test_the_page_is_a_phone_page_with_one_big_row_per_item(login, technician, site, items):
    response, _data = rows_as_rendered(login(technician), f"/stock/site/{site.pk}/usage/")
    text = response.content.decode()
    assert response.status_code == 200
    assert '<body class="field"' in text
    assert text.count('inputmode="decimal"') == 3
    assert "form-control-lg" in text
    assert text.index("A towels") < text.index("B liners") < text.index("C soap")


def test_a_technician_records_usage_for_several_items_and_blank_rows_are_skipped(
    login, technician, site, items
):
    client = login(technician)
    url = f"/stock/site/{site.pk}/usage/"
    _response, data = rows_as_rendered(client, url)
    data.update({"rows-0-quantity": "3", "rows-2-quantity": "0.5", "note": "Night visit"})
    response = client.post(url, data)
    assert response.status_code == 302 and response["Location"] == url
    assert on_hand(items) == [Decimal("7"), Decimal("4"), Decimal("2")]
    usages = StockMovement.objects.filter(kind=MovementKind.USAGE)
    assert usages.count() == 2
    assert set(usages.values_list("created_by", "note")) == {(technician.pk, "Night visit")}


def test_a_technician_counts_the_shelf_and_the_differences_are_recorded(
    login, technician, site, items
):
    client = login(technician)
    url = f"/stock/site/{site.pk}/count/"
    _response, data = rows_as_rendered(client, url)
    data.update({"rows-0-quantity": "12", "rows-1-quantity": "4", "rows-2-quantity": "0"})
    assert client.post(url, data).status_code == 302
    assert on_hand(items) == [Decimal("12"), Decimal("4"), Decimal("0")]
    corrections = StockMovement.objects.filter(kind=MovementKind.CORRECTION).order_by("item")
    assert list(corrections.values_list("quantity", flat=True)) == [2, 0, Decimal("-2.5")]


def test_one_refused_row_records_nothing_and_shows_the_error_on_that_row(
    login, technician, site, items
):
    client = login(technician)
    url = f"/stock/site/{site.pk}/usage/"
    _response, data = rows_as_rendered(client, url)
    data.update({"rows-0-quantity": "1", "rows-1-quantity": "5", "rows-2-quantity": "3"})
    response = client.post(url, data)
    assert response.status_code == 200
    forms = response.context["formset"].forms
    assert not forms[0].errors
    assert "Only 4 case on hand" in forms[1].errors["quantity"][0]
    assert "Only 2.5 case on hand" in forms[2].errors["quantity"][0]
    assert "nothing was recorded" in response.content.decode()
    assert on_hand(items) == [Decimal("10"), Decimal("4"), Decimal("2.5")]
    assert not StockMovement.objects.filter(kind=MovementKind.USAGE).exists()


@pytest.mark.parametrize("bad", ["abc", "0", "1.234"])
def test_bad_usage_quantities_are_field_errors(login, technician, site, items, bad):
    client = login(technician)
    url = f"/stock/site/{site.pk}/usage/"
    _response, data = rows_as_rendered(client, url)
    data["rows-1-quantity"] = bad
    response = client.post(url, data)
    assert response.status_code == 200
    assert "quantity" in response.context["formset"].forms[1].errors
    assert on_hand(items) == [Decimal("10"), Decimal("4"), Decimal("2.5")]


def test_an_empty_form_asks_for_at_least_one_quantity(login, technician, site, items):
    client = login(technician)
    url = f"/stock/site/{site.pk}/usage/"
    _response, data = rows_as_rendered(client, url)
    response = client.post(url, data)
    assert response.status_code == 200
    assert "at least one item" in response.content.decode()


def test_an_item_of_another_site_cannot_be_smuggled_into_the_form(
    login, technician, coordinator, site, items, other_site
):
    elsewhere = make_stock_item(by=coordinator, site=other_site, quantity="10")
    client = login(technician)
    url = f"/stock/site/{site.pk}/usage/"
    _response, data = rows_as_rendered(client, url)
    data.update({"rows-0-item": str(elsewhere.pk), "rows-0-quantity": "3"})
    response = client.post(url, data)
    assert response.status_code == 200
    elsewhere.refresh_from_db()
    assert elsewhere.quantity_on_hand == 10
    assert on_hand(items)[0] == 10


def test_the_same_item_twice_is_refused(login, technician, site, items):
    client = login(technician)
    url = f"/stock/site/{site.pk}/usage/"
    _response, data = rows_as_rendered(client, url)
    data.update(
        {"rows-1-item": data["rows-0-item"], "rows-0-quantity": "1", "rows-1-quantity": "1"}
    )
    response = client.post(url, data)
    assert response.status_code == 200
    assert on_hand(items)[0] == 10


def test_a_technician_at_another_site_gets_404(login, technician, other_site):
    client = login(technician)
    assert client.get(f"/stock/site/{other_site.pk}/usage/").status_code == 404
    assert client.post(f"/stock/site/{other_site.pk}/count/", {}).status_code == 404


def test_a_technician_holding_a_visit_at_a_site_may_record_usage_there(
    login, technician, coordinator, other_site
):
    VisitFactory(site=other_site, assigned_to=technician)
    item = make_stock_item(by=coordinator, site=other_site, quantity="3")
    client = login(technician)
    url = f"/stock/site/{other_site.pk}/usage/"
    _response, data = rows_as_rendered(client, url)
    data["rows-0-quantity"] = "1"
    assert client.post(url, data).status_code == 302
    assert on_hand([item]) == [2]


@pytest.mark.parametrize("who", ["inspector", "client_user"])
def test_inspectors_and_clients_may_not_record_usage_at_their_site(request, login, site, who):
    response = login(request.getfixturevalue(who)).get(f"/stock/site/{site.pk}/usage/")
    assert response.status_code == 403


def test_a_coordinator_may_count_any_site(login, coordinator, other_site):
    assert login(coordinator).get(f"/stock/site/{other_site.pk}/count/").status_code == 200


def test_a_site_without_items_says_so(login, technician, site):
    response = login(technician).get(f"/stock/site/{site.pk}/usage/")
    assert "No items are stocked at this site yet." in response.content.decode()


@pytest.mark.parametrize("rows", [2, 40])
def test_the_field_count_page_runs_a_constant_number_of_queries(
    login, technician, coordinator, site, django_assert_max_num_queries, rows
):
    for n in range(rows):
        make_stock_item(by=coordinator, site=site, quantity="5", item_name=f"Item {n}")
    client = login(technician)
    with django_assert_max_num_queries(9):
        assert client.get(f"/stock/site/{site.pk}/usage/").status_code == 200
