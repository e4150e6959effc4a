import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import F

from inspections.models import SiteInspectionLog
from inventory.models import SupplyInventory
from scheduling.models import CleaningSchedule
from sites.models import ClientSite, SiteMembership

pytestmark = pytest.mark.django_db


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (
            get_user_model(),
            ClientSite,
            SiteMembership,
            CleaningSchedule,
            SupplyInventory,
            SiteInspectionLog,
        )
    }


def test_seed_demo_builds_a_small_realistic_company_and_is_safe_to_run_twice(capsys):
    call_command("seed_demo", "--allow-production")
    first = counts()
    assert first["ClientSite"] >= 5
    assert CleaningSchedule.objects.filter(end_time__lt=F("start_time")).exists()
    assert SupplyInventory.objects.low().exists()
    assert SiteInspectionLog.objects.exists()
    roles = {user.role for user in get_user_model().objects.prefetch_related("groups")}
    assert len(roles) == 6
    call_command("seed_demo", "--allow-production")
    assert counts() == first
    out = capsys.readouterr().out
    assert "Demo logins" in out and "coordinator" in out


def test_seed_demo_if_empty_leaves_an_existing_database_alone(site, capsys):
    call_command("seed_demo", "--if-empty", "--allow-production")
    assert ClientSite.objects.count() == 1
    assert "not loaded" in capsys.readouterr().out


def test_demo_stock_ledger_agrees_with_quantities():
    from django.db.models import Sum

    call_command("seed_demo", "--allow-production")
    for item in SupplyInventory.objects.annotate(total=Sum("movements__quantity")):
        assert item.total == item.quantity_on_hand


def test_seed_demo_refuses_to_run_in_production(settings):
    from django.core.management.base import CommandError

    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG off"):
        call_command("seed_demo")
    assert not ClientSite.objects.exists()
