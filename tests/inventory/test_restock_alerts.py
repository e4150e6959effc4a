"""`manage.py send_restock_alerts`: each coordinator gets each newly low item once."""

import io
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command

from inventory.models import MovementKind
from inventory.services import stock_apply_movement
from janitorial_crm.roles import Role
from tests.factories import make_stock_item, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Run the command as cron would, with its after-commit mail actually sent."""

    def _run():
        out = io.StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_restock_alerts", stdout=out)
        return out.getvalue()

    return _run


@pytest.fixture
def coordinators(coordinator):
    second = make_user(Role.COORDINATOR, username="coord2")
    make_user(Role.COORDINATOR, username="gone", is_active=False)
    make_user(Role.SUPERVISOR, username="boss")
    return [coordinator, second]


def use(item, quantity, by):
    stock_apply_movement(item=item, kind=MovementKind.USAGE, quantity=quantity, by=by)


def restock(item, quantity, by):
    stock_apply_movement(item=item, kind=MovementKind.RESTOCK, quantity=quantity, by=by)


def test_each_active_coordinator_gets_a_digest_of_the_low_items(
    run, coordinators, technician, site, other_site
):
    towels = make_stock_item(
        by=technician, site=site, item_name="Towels", sku="PT", quantity="10", reorder_level=4
    )
    make_stock_item(by=technician, site=site, item_name="Liners", quantity="30", reorder_level=4)
    gloves = make_stock_item(
        by=technician, site=other_site, item_name="Gloves", quantity="1", reorder_level=2
    )
    use(towels, "7", technician)

    output = run()

    assert "Digest of 2 items sent to 2 coordinators" in output
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        user.email for user in coordinators
    )
    message = mail.outbox[0]
    assert message.subject == "Restock needed: 2 items at 2 sites"
    assert "Towels (PT): 3 case on hand, reorder at 4; order 5 case" in message.body
    assert "Gloves" in message.body and "Liners" not in message.body
    assert "OTHER-1 · Other Plaza" in message.body
    towels.refresh_from_db()
    gloves.refresh_from_db()
    assert towels.low_alerted_at is not None and gloves.low_alerted_at is not None


def test_an_item_is_not_reported_again_while_it_stays_low(run, coordinators, technician, site):
    item = make_stock_item(by=technician, site=site, quantity="3", reorder_level=4)
    run()
    assert len(mail.outbox) == 2
    use(item, "1", technician)  # lower still, but the same spell of low stock
    output = run()
    assert len(mail.outbox) == 2
    assert "No item became low" in output


def test_a_new_low_item_is_reported_alone(run, coordinators, technician, site):
    make_stock_item(by=technician, site=site, item_name="Old", quantity="3", reorder_level=4)
    run()
    fresh = make_stock_item(
        by=technician, site=site, item_name="Fresh", quantity="9", reorder_level=4
    )
    use(fresh, "5", technician)
    mail.outbox.clear()
    run()
    assert len(mail.outbox) == 2
    assert "Fresh" in mail.outbox[0].body and "Old" not in mail.outbox[0].body


def test_an_item_restocked_and_low_again_is_reported_again(run, coordinators, technician, site):
    item = make_stock_item(by=technician, site=site, quantity="3", reorder_level=4)
    run()
    restock(item, "10", technician)
    use(item, "10", technician)
    mail.outbox.clear()
    run()
    assert len(mail.outbox) == 2


def test_a_restock_that_stays_at_or_below_the_reorder_level_is_the_same_spell(
    run, coordinators, technician, site
):
    item = make_stock_item(by=technician, site=site, quantity="2", reorder_level=4)
    run()
    restock(item, "2", technician)  # 4: still low
    use(item, "1", technician)
    mail.outbox.clear()
    run()
    assert mail.outbox == []


def test_an_item_whose_reorder_level_was_lowered_then_raised_is_reported_again(
    run, coordinators, technician, site
):
    item = make_stock_item(by=technician, site=site, quantity="3", reorder_level=4)
    run()
    type(item).objects.filter(pk=item.pk).update(reorder_level=Decimal("1"))
    run()  # no longer low: its old alert is forgotten
    type(item).objects.filter(pk=item.pk).update(reorder_level=Decimal("5"))
    mail.outbox.clear()
    run()
    assert len(mail.outbox) == 2


def test_nothing_is_marked_while_no_coordinator_can_receive_it(run, technician, site):
    item = make_stock_item(by=technician, site=site, quantity="1", reorder_level=4)
    assert "No active coordinator" in run()
    item.refresh_from_db()
    assert item.low_alerted_at is None
    make_user(Role.COORDINATOR, username="newcomer")
    run()
    assert len(mail.outbox) == 1


def test_no_mail_leaves_if_the_transaction_rolls_back(coordinators, technician, site):
    # Without executing on-commit callbacks (the test transaction never commits), nothing is sent.
    make_stock_item(by=technician, site=site, quantity="1", reorder_level=4)
    call_command("send_restock_alerts", stdout=io.StringIO())
    assert mail.outbox == []


def test_the_digest_is_plain_text_without_html_escaping(run, coordinators, technician, site):
    make_stock_item(
        by=technician, site=site, item_name="Soap & sanitiser <1L>", quantity="1", reorder_level=4
    )
    run()
    assert "Soap & sanitiser <1L>" in mail.outbox[0].body
