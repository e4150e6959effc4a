"""Two people saving the same SKU at one site at once: both pass the form's check, the unique
constraint refuses the second, and the second sees a message next to the SKU (not a 500)."""

import threading

import pytest
from django.db import connection
from django.test import Client

from inventory.forms import SupplyInventoryForm
from inventory.models import SupplyInventory
from janitorial_crm.roles import Role
from tests.factories import ClientSiteFactory, StockItemFactory, make_user

SKU_TAKEN = "This site already stocks an item with this SKU."


def item_data(site, **overrides):
    data = {
        "site": site.pk,
        "item_name": "Paper towels",
        "sku": "pt-2ply",
        "category": "paper",
        "unit": "case",
        "reorder_level": "4",
        "par_level": "",
        "opening_quantity": "6",
    }
    return {**data, **overrides}


@pytest.fixture
def saved_meanwhile(monkeypatch):
    """`saved_meanwhile(site=..., sku=...)`: someone else saves an item with that SKU right
    after this request's form passed its checks (the race window, made certain)."""

    def arrange(*, site, sku):
        validate = SupplyInventoryForm.full_clean

        def full_clean(form):
            validate(form)
            StockItemFactory(site=site, sku=sku, item_name="Theirs")

        monkeypatch.setattr(SupplyInventoryForm, "full_clean", full_clean)

    return arrange


@pytest.mark.django_db
def test_creating_a_sku_someone_saved_a_moment_ago_is_a_form_error(
    login, coordinator, site, saved_meanwhile
):
    saved_meanwhile(site=site, sku="PT-2PLY")

    response = login(coordinator).post("/stock/new/", item_data(site))

    assert response.status_code == 200
    assert response.context["form"].errors["sku"] == [SKU_TAKEN]
    assert 'id="error_1_id_sku"' in response.content.decode()
    (theirs,) = SupplyInventory.objects.all()
    assert theirs.item_name == "Theirs" and not theirs.movements.exists()


@pytest.mark.django_db
def test_renaming_a_sku_to_one_someone_saved_a_moment_ago_is_a_form_error(
    login, coordinator, site, saved_meanwhile
):
    mine = StockItemFactory(site=site, sku="OLD-1", item_name="Mine")
    saved_meanwhile(site=site, sku="NEW-1")
    data = item_data(site, item_name="Mine", sku="new-1", reorder_level="5")
    del data["site"], data["opening_quantity"]

    response = login(coordinator).post(f"/stock/{mine.pk}/edit/", data)

    assert response.status_code == 200
    assert response.context["form"].errors["sku"] == [SKU_TAKEN]
    mine.refresh_from_db()
    assert mine.sku == "OLD-1"
    assert SupplyInventory.objects.filter(sku="NEW-1").count() == 1


@pytest.mark.django_db
def test_an_integrity_error_that_is_not_about_the_sku_is_not_hidden(
    login, coordinator, site, monkeypatch
):
    def broken(**kwargs):
        from django.db import IntegrityError

        raise IntegrityError("something else")

    monkeypatch.setattr("inventory.services.stock_item_create", broken)
    with pytest.raises(Exception, match="something else"):
        login(coordinator).post("/stock/new/", item_data(site))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_coordinators_creating_the_same_sku_at_once_get_one_item_and_one_message(
    monkeypatch,
):
    assert connection.vendor == "postgresql"
    site = ClientSiteFactory()
    users = [make_user(Role.COORDINATOR), make_user(Role.COORDINATOR)]
    # Both requests pass the form's checks before either saves.
    barrier = threading.Barrier(2, timeout=30)
    validate = SupplyInventoryForm.full_clean

    def full_clean(form):
        validate(form)
        if form.is_bound:
            barrier.wait()

    monkeypatch.setattr(SupplyInventoryForm, "full_clean", full_clean)
    responses, failures = [], []

    def post(user):
        try:
            client = Client()
            client.force_login(user)
            responses.append(client.post("/stock/new/", item_data(site)))
        except Exception as error:  # noqa: BLE001 - reported by the main thread
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    assert sorted(r.status_code for r in responses) == [200, 302]
    (refused,) = [r for r in responses if r.status_code == 200]
    assert refused.context["form"].errors["sku"] == [SKU_TAKEN]
    (item,) = SupplyInventory.objects.all()
    assert item.movements.count() == 1
