"""Demo data: a small, realistic, deterministic cleaning company.

`seed_demo` (small) is what `make run` loads; `--if-empty` makes it a no-op on a database that
already has sites. Running it twice changes nothing: every row is found by a natural key first.
"""

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from inspections.models import SiteInspectionLog
from inventory.models import Category, MovementKind, StockMovement, SupplyInventory, Unit
from janitorial_crm.roles import Role, setup_roles
from janitorial_crm.services import user_set_role
from scheduling.models import CleaningSchedule, VisitStatus
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


class Command(BaseCommand):
    help = "Load a small deterministic demo data set (safe to run twice)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing if any site already exists."
        )

    def handle(self, *args, if_empty=False, **options):
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
        for offset in range(7):
            day = monday + dt.timedelta(days=offset)
            for code, username, start, end in plan:
                if day.weekday() >= 5 and code == "SCH-WEST":
                    continue
                if day < today:
                    status = (
                        VisitStatus.MISSED
                        if offset == 1 and code == "SCH-WEST"
                        else (VisitStatus.COMPLETED)
                    )
                else:
                    status = VisitStatus.SCHEDULED
                CleaningSchedule.objects.get_or_create(
                    site=sites[code],
                    service_date=day,
                    start_time=start,
                    defaults={
                        "assigned_to": users[username],
                        "end_time": end,
                        "status": status,
                    },
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
                    quantity = Decimal(on_hand)
                    StockMovement.objects.create(
                        item=item,
                        kind=MovementKind.RESTOCK,
                        quantity=quantity,
                        quantity_after=quantity,
                        note="Opening stock",
                        created_by=users["coordinator"],
                    )
                    item.quantity_on_hand = quantity
                    item.last_restocked_at = timezone.now()
                    item.save(update_fields=["quantity_on_hand", "last_restocked_at"])

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
        ]
        for code, days_ago, score, findings, actions in rows:
            SiteInspectionLog.objects.get_or_create(
                site=sites[code],
                findings=findings,
                defaults={
                    "inspector": users["inspector"],
                    "inspection_date": now - dt.timedelta(days=days_ago),
                    "score": score,
                    "corrective_actions": actions,
                },
            )
