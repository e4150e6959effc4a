"""Demo data: a small, realistic, deterministic cleaning company.

`seed_demo` (small) is what `make run` loads; `--if-empty` makes it a no-op on a database that
already has sites. Running it twice changes nothing: every row is found by a natural key first.
"""

import datetime as dt
import io
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from PIL import Image

from inspections.models import SiteInspectionLog
from inspections.photos import process_photo
from inspections.services import corrective_action_resolve, inspection_update
from inventory.models import Category, MovementKind, StockMovement, SupplyInventory, Unit
from inventory.services import stock_apply_movement
from janitorial_crm.roles import Role, setup_roles
from janitorial_crm.services import user_set_role
from scheduling import services as scheduling
from scheduling.models import CleaningSchedule, Frequency, VisitSeries, VisitStatus
from sites.models import ClientSite, ServiceLevel, SiteMembership

# Printed demo login for a local install; never used outside seed_demo.
DEMO_PASSWORD = "demo-pass-2026"  # noqa: S105  # nosec B105

USERS = [
    # username, full name, role
    ("admin", "Ada Admin", Role.ADMIN),
    ("supervisor", "Sam Supervisor", Role.SUPERVISOR),
    ("coordinator", "Cora Coordinator", Role.COORDINATOR),
    ("tech.maria", "Maria Lopez", Role.TECHNICIAN),
    ("tech.dev", "Dev Patel", Role.TECHNICIAN),
    ("inspector", "Ines Inspector", Role.INSPECTOR),
    ("client.acme", "Carl Client (Acme)", Role.CLIENT),
    ("client.harbor", "Hana Client (Harbor)", Role.CLIENT),
]

SITES = [
    # code, name, client, level, address, instructions
    (
        "ACME-HQ",
        "Acme Headquarters",
        "Acme Corp",
        ServiceLevel.PREMIUM,
        "100 Main Street, Springfield",
        "Badge at the loading dock. Alarm code from coordinator.",
    ),
    (
        "ACME-WH",
        "Acme Warehouse",
        "Acme Corp",
        ServiceLevel.BASIC,
        "2 Industrial Way, Springfield",
        "Restrooms and break room only.",
    ),
    (
        "HBR-CLINIC",
        "Harbor Family Clinic",
        "Harbor Health",
        ServiceLevel.HEALTHCARE,
        "45 Harbor Road, Shelbyville",
        "Exam rooms: hospital-grade disinfectant. Sharps: never touch.",
    ),
    (
        "LIB-CENTRAL",
        "Central Library",
        "City of Springfield",
        ServiceLevel.STANDARD,
        "1 Library Plaza, Springfield",
        "Enter by the staff door on Elm Street after 22:00.",
    ),
    (
        "SCH-WEST",
        "West Elementary School",
        "Springfield Schools",
        ServiceLevel.STANDARD,
        "300 West Ave, Springfield",
        "Gym floor: dust mop only, no wet cleaning on weekdays.",
    ),
]

STOCK = [
    # sku, name, category, unit, on hand, reorder level
    ("PT-2PLY", "Paper towels, 2-ply", Category.PAPER, Unit.CASE, "6", "4"),
    ("TP-JR", "Toilet paper, jumbo roll", Category.PAPER, Unit.CASE, "3", "4"),
    ("LN-33G", "Can liners 33 gal", Category.LINERS, Unit.BOX, "12", "5"),
    ("SOAP-FOAM", "Foam hand soap refill", Category.SOAP, Unit.BOTTLE, "2", "6"),
    ("DIS-QUAT", "Quat disinfectant concentrate", Category.CHEMICALS, Unit.GALLON, "4.5", "2"),
    ("GLV-NIT-L", "Nitrile gloves L", Category.PPE, Unit.BOX, "8", "3"),
]


# (site, sku): [(days ago, quantity used)]
DEMO_USAGE = {
    ("ACME-HQ", "LN-33G"): [(26, "2"), (15, "2"), (3, "2")],
    ("ACME-HQ", "PT-2PLY"): [(20, "1"), (8, "0.5")],
    ("HBR-CLINIC", "GLV-NIT-L"): [(25, "1"), (12, "1"), (2, "1")],
}


class Command(BaseCommand):
    help = "Load a small deterministic demo data set (safe to run twice)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing if any site already exists."
        )
        parser.add_argument(
            "--scale",
            choices=["small", "large"],
            default="small",
            help="large: 200 users, 1,000 sites, 50,000 visits, ... for bench/ (bulk inserts).",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="With --scale large: add a second data set to a database that has sites.",
        )
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Run even with DEBUG off (the demo accounts have a published password).",
        )

    def handle(
        self, *args, if_empty=False, allow_production=False, scale="small", force=False, **options
    ):
        if not settings.DEBUG and not allow_production:
            raise CommandError(
                "seed_demo creates accounts with a published password and refuses to run with "
                "DEBUG off. Use --allow-production for a throwaway staging database."
            )
        if scale == "large":
            from demo.large import seed_large

            seed_large(stdout=self.stdout, force=force)
            return
        if if_empty and ClientSite.objects.exists():
            self.stdout.write("Database already has data; demo data not loaded.")
        else:
            with transaction.atomic():
                setup_roles()
                self.seed_small()
            self.stdout.write(self.style.SUCCESS("Demo data ready."))
        self.print_logins()

    def print_logins(self):
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD})")
        for username, _full_name, role in USERS:
            self.stdout.write(f"  {role.label:<24} {username}")

    # -- the small data set -------------------------------------------------------------------
    def seed_small(self):
        users = {}
        User = get_user_model()
        for username, full_name, role in USERS:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={"full_name": full_name, "email": f"{username}@demo.example"},
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save()
                user_set_role(user=user, role=role)
            users[username] = user

        sites = {}
        for code, name, client, level, address, instructions in SITES:
            sites[code], _ = ClientSite.objects.get_or_create(
                site_code=code,
                defaults={
                    "site_name": name,
                    "client_name": client,
                    "service_level": level,
                    "address": address,
                    "instructions": instructions,
                    "primary_contact": users["coordinator"],
                },
            )

        memberships = [
            ("ACME-HQ", "tech.maria", False),
            ("ACME-WH", "tech.maria", False),
            ("HBR-CLINIC", "tech.dev", False),
            ("LIB-CENTRAL", "tech.dev", False),
            ("SCH-WEST", "tech.maria", False),
            ("ACME-HQ", "inspector", False),
            ("HBR-CLINIC", "inspector", False),
            ("LIB-CENTRAL", "inspector", False),
            ("ACME-HQ", "client.acme", True),
            ("ACME-WH", "client.acme", False),
            ("HBR-CLINIC", "client.harbor", True),
        ]
        for code, username, grant in memberships:
            SiteMembership.objects.get_or_create(
                site=sites[code], user=users[username], defaults={"can_see_inspections": grant}
            )

        self.seed_visits(sites, users)
        self.seed_stock(sites, users)
        self.seed_inspections(sites, users)

    def seed_visits(self, sites, users):
        today = timezone.localdate()
        monday = today - dt.timedelta(days=today.weekday())
        plan = [
            # site, technician, start, end
            ("ACME-HQ", "tech.maria", dt.time(18, 0), dt.time(22, 0)),
            ("LIB-CENTRAL", "tech.dev", dt.time(22, 0), dt.time(2, 0)),  # overnight
            ("HBR-CLINIC", "tech.dev", dt.time(19, 0), dt.time(21, 30)),
            ("SCH-WEST", "tech.maria", dt.time(15, 30), dt.time(17, 30)),
        ]
        # The two weeks before this one give the visit log and the monthly report a history.
        for offset in range(-14, 7):
            day = monday + dt.timedelta(days=offset)
            for code, username, start, end in plan:
                if day.weekday() >= 5 and code == "SCH-WEST":
                    continue
                if day < today:
                    status = (
                        VisitStatus.MISSED
                        if offset in (-13, 1) and code == "SCH-WEST"
                        else VisitStatus.COMPLETED
                    )
                else:
                    status = VisitStatus.SCHEDULED
                visit, created = CleaningSchedule.objects.get_or_create(
                    site=sites[code],
                    service_date=day,
                    start_time=start,
                    defaults={
                        "assigned_to": users[username],
                        "end_time": end,
                        "status": status,
                    },
                )
                if created and status == VisitStatus.COMPLETED:
                    visit.started_at = visit.starts_at + dt.timedelta(minutes=5)
                    visit.completed_at = visit.ends_at - dt.timedelta(minutes=10)
                    visit.status_changed_at = visit.completed_at
                    visit.status_changed_by = users[username]
                    visit.save()
        if not VisitSeries.objects.exists():
            # Recurring work planned through the same service coordinators use.
            next_monday = today + dt.timedelta(days=7 - today.weekday())
            scheduling.series_create(
                site=sites["ACME-WH"],
                assigned_to=users["tech.maria"],
                frequency=Frequency.WEEKLY,
                first_date=today,
                start_time=dt.time(6, 30),
                end_time=dt.time(8, 0),
                notes="Restrooms and break room.",
                by=users["coordinator"],
            )
            scheduling.series_create(
                site=sites["LIB-CENTRAL"],
                assigned_to=users["tech.dev"],
                frequency=Frequency.WEEKDAYS,
                first_date=next_monday,
                start_time=dt.time(22, 0),
                end_time=dt.time(2, 0),
                skip_dates=[dt.date(today.year, 12, 25)],
                by=users["coordinator"],
            )

    def seed_stock(self, sites, users):
        for site in sites.values():
            for sku, name, category, unit, on_hand, reorder in STOCK:
                item, created = SupplyInventory.objects.get_or_create(
                    site=site,
                    sku=sku,
                    defaults={
                        "item_name": name,
                        "category": category,
                        "unit": unit,
                        "reorder_level": Decimal(reorder),
                    },
                )
                if created:
                    stock_apply_movement(
                        item=item,
                        kind=MovementKind.RESTOCK,
                        quantity=Decimal(on_hand),
                        by=users["coordinator"],
                        note="Opening stock",
                    )
                    if (site.site_code, sku) in DEMO_USAGE:
                        self.seed_usage(item, DEMO_USAGE[site.site_code, sku], users)

    def seed_usage(self, item, usages, users):
        """A month of usage so the forecast has something to say. The service stamps movements
        with the current time; the demo spreads them over the month afterwards."""
        now = timezone.now()
        item.movements.update(created_at=now - dt.timedelta(days=31))
        for days_ago, quantity in usages:
            movement = stock_apply_movement(
                item=item,
                kind=MovementKind.USAGE,
                quantity=Decimal(quantity),
                by=users["tech.maria"],
                note="Night visit",
            )
            StockMovement.objects.filter(pk=movement.pk).update(
                created_at=now - dt.timedelta(days=days_ago)
            )

    def seed_inspections(self, sites, users):
        now = timezone.now()
        rows = [
            ("ACME-HQ", 20, 92, "Lobby spotless. Restroom 2F mirror streaks.", ""),
            (
                "ACME-HQ",
                6,
                78,
                "Break room sink stained; bins not relined.",
                "Descale break-room sink; reline all bins nightly.",
            ),
            ("HBR-CLINIC", 12, 95, "Exam rooms to standard.", ""),
            (
                "HBR-CLINIC",
                2,
                64,
                "Waiting room floor sticky; sanitiser dispensers empty.",
                "Deep-clean waiting room floor; refill dispensers and log refills.",
            ),
            ("LIB-CENTRAL", 40, 88, "Reading room dusty shelves top row.", ""),
            (
                "ACME-WH",
                11,
                69,
                "Restroom floor drains smell.",
                "Flush floor drains weekly; enzyme treatment.",
            ),
        ]
        for code, days_ago, score, findings, actions in rows:
            log, created = SiteInspectionLog.objects.get_or_create(
                site=sites[code],
                findings=findings,
                defaults={
                    "inspector": users["inspector"],
                    "inspection_date": now - dt.timedelta(days=days_ago),
                    "score": score,
                    "corrective_actions": actions,
                },
            )
            if created and actions:
                inspection_update(log=log, photos=[demo_photo((150, 110, 70))])
        resolved = SiteInspectionLog.objects.get(site=sites["ACME-HQ"], score=78)
        if resolved.resolved_at is None:
            corrective_action_resolve(
                log=resolved,
                by=users["coordinator"],
                note="Sink descaled; bins relined nightly.",
                photo=demo_photo((60, 140, 90)),
            )


def demo_photo(color):
    """A plain generated photo, through the same pipeline as an upload from a phone."""
    buffer = io.BytesIO()
    Image.new("RGB", (1600, 1200), color).save(buffer, "JPEG")
    return process_photo(SimpleUploadedFile("demo.jpg", buffer.getvalue()))
