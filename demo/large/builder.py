"""Builds the large demo data set in memory and bulk-inserts it, one kind of row at a time."""

import datetime as dt
import random
import time
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.utils import timezone

from demo.large.visits import VisitPlanner, status_history
from demo.large.vocabulary import (
    ACTIONS,
    BATCH_SIZE,
    BUILDINGS,
    CATALOG,
    CITIES,
    CLIENT_COMPANIES,
    CLIENT_WORDS_A,
    CLIENT_WORDS_B,
    FINDINGS_FAIR,
    FINDINGS_GOOD,
    FINDINGS_POOR,
    FIRST_NAMES,
    ITEMS_PER_SITE,
    LARGE_PASSWORD,
    LAST_NAMES,
    SEED,
    SITES,
    STREETS,
    USERNAME_STEMS,
)
from inspections.models import SiteInspectionLog
from inventory.models import MovementKind, StockMovement, SupplyInventory
from janitorial_crm.roles import STAFF_ROLES, Role
from scheduling.models import CleaningSchedule, VisitSeries, VisitStatus, VisitStatusChange
from sites.models import ClientSite, ServiceLevel, SiteMembership


class Builder:
    """One run of the seed: the rows of each step, kept for the steps after it."""

    def __init__(self, *, stdout, counts, started, user_prefix, code_prefix):
        self.stdout = stdout
        self.counts = counts
        self.started = started
        self.user_prefix, self.code_prefix = user_prefix, code_prefix
        self.now = timezone.now()
        self.today = timezone.localdate(self.now)
        self.tz = timezone.get_current_timezone()
        self.rows = {}

    def say(self, message):
        self.stdout.write(message + "\n")

    def done(self, label, count):
        self.rows[label] = count
        self.say(f"  {label:<18} {count:>7,}  ({time.monotonic() - self.started:5.1f} s)")

    def at(self, day, hour_minute):
        return dt.datetime.combine(day, dt.time(*hour_minute), tzinfo=self.tz)

    def run(self):
        self.say(f"Seeding the large demo data set (prefix {self.user_prefix or 'none'})")
        for step in (
            self.make_users,
            self.make_sites,
            self.make_visits,
            self.make_stock,
            self.make_inspections,
        ):
            # Demo data, not secrets. One seeded generator per step: the visits' statuses
            # depend on the time of day, and must not change the stock or the inspections.
            self.rng = random.Random(f"{SEED}:{step.__name__}")  # noqa: S311  # nosec B311
            step()

    # -- people ---------------------------------------------------------------------------
    def make_users(self):
        User = get_user_model()
        password = make_password(LARGE_PASSWORD)  # one hash for all: hashing is slow on purpose
        users, roles = [], []
        for role, count in self.counts["users"].items():
            for number in range(1, count + 1):
                username = f"{self.user_prefix}{USERNAME_STEMS[role]}{number:03d}"
                first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)
                users.append(
                    User(
                        username=username,
                        email=f"{username}@large-demo.example",
                        full_name=f"{first} {last}",
                        first_name=first,
                        last_name=last,
                        password=password,
                        is_staff=role in STAFF_ROLES,
                    )
                )
                roles.append(role)
        User.objects.bulk_create(users, batch_size=BATCH_SIZE)
        groups = {group.name: group.pk for group in Group.objects.filter(name__in=Role.values)}
        Through = User.groups.through
        Through.objects.bulk_create(
            [
                Through(user_id=user.pk, group_id=groups[role.value])
                for user, role in zip(users, roles, strict=True)
            ],
            batch_size=BATCH_SIZE,
        )
        self.by_role = {role: [] for role in Role}
        for user, role in zip(users, roles, strict=True):
            self.by_role[role].append(user)
        self.done("users", len(users))

    # -- sites and members ------------------------------------------------------------------
    def make_sites(self):
        rng = self.rng
        companies = [f"{a} {b}" for a in CLIENT_WORDS_A for b in CLIENT_WORDS_B]
        rng.shuffle(companies)
        companies = companies[: max(1, round(CLIENT_COMPANIES * self.counts["sites"] / SITES))]
        coordinators = self.by_role[Role.COORDINATOR]
        levels = [
            ServiceLevel.BASIC,
            ServiceLevel.STANDARD,
            ServiceLevel.PREMIUM,
            ServiceLevel.HEALTHCARE,
        ]
        sites = []
        for number in range(1, self.counts["sites"] + 1):
            company = companies[number % len(companies)]
            building = rng.choice(BUILDINGS)
            sites.append(
                ClientSite(
                    site_code=f"{self.code_prefix}S{number:04d}",
                    site_name=f"{company.split()[0]} {building} {number}",
                    client_name=company,
                    service_level=rng.choices(levels, weights=[25, 45, 20, 10])[0],
                    address=(
                        f"{rng.randint(1, 999)} {rng.choice(STREETS)} Street, {rng.choice(CITIES)}"
                    ),
                    instructions=rng.choice(
                        ["Badge at the loading dock.", "Alarm code from the coordinator.", ""]
                    ),
                    internal_notes=rng.choice(["", "", "Client slow to pay; keep it tidy."]),
                    primary_contact=coordinators[number % len(coordinators)],
                    active=rng.random() < 0.96,
                )
            )
        ClientSite.objects.bulk_create(sites, batch_size=BATCH_SIZE)
        self.sites = sites
        self.done("sites", len(sites))

        # Field staff share the sites out evenly; a third of the sites have a backup technician.
        technicians = self.by_role[Role.TECHNICIAN]
        inspectors = self.by_role[Role.INSPECTOR]
        order = list(range(len(sites)))
        rng.shuffle(order)
        self.site_techs = {}
        self.site_inspectors = {}
        memberships = []
        for position, index in enumerate(order):
            site = sites[index]
            techs = [technicians[position % len(technicians)]]
            if len(technicians) > 1 and rng.random() < 0.35:
                techs.append(rng.choice([t for t in technicians if t is not techs[0]]))
            inspector = inspectors[position % len(inspectors)]
            self.site_techs[site.pk] = techs
            self.site_inspectors[site.pk] = [inspector]
            memberships += [SiteMembership(site=site, user=user) for user in [*techs, inspector]]
        # Each client user is a facility manager of one company, on a few of its sites.
        by_company = {}
        for site in sites:
            by_company.setdefault(site.client_name, []).append(site)
        company_names = sorted(by_company)
        for number, client in enumerate(self.by_role[Role.CLIENT]):
            own = by_company[company_names[number % len(company_names)]]
            for site in rng.sample(own, min(len(own), rng.randint(2, 5))):
                memberships.append(
                    SiteMembership(site=site, user=client, can_see_inspections=rng.random() < 0.6)
                )
        SiteMembership.objects.bulk_create(memberships, batch_size=BATCH_SIZE)
        self.done("site members", len(memberships))

    # -- visits -------------------------------------------------------------------------------
    def make_visits(self):
        planner = VisitPlanner(self)
        series = planner.plan_series()
        # Planned before saving: occurrences nobody could take go to the series' skip dates.
        visits = planner.plan_visits()
        VisitSeries.objects.bulk_create(series, batch_size=BATCH_SIZE)
        self.done("visit series", len(series))
        CleaningSchedule.objects.bulk_create(visits, batch_size=BATCH_SIZE)
        self.done("visits", len(visits))
        history = status_history(visits)
        VisitStatusChange.objects.bulk_create(history, batch_size=BATCH_SIZE)
        self.done("status changes", len(history))
        # Inspections may follow a completed visit at the same site.
        self.completed_visits = {}
        for visit in visits:
            if visit.status == VisitStatus.COMPLETED:
                self.completed_visits.setdefault(visit.site_id, []).append(visit)

    # -- stock ----------------------------------------------------------------------------------
    def make_stock(self):
        rng = self.rng
        coordinators = self.by_role[Role.COORDINATOR]
        items, histories = [], []
        for site in self.sites:
            for sku, name, category, unit, reorder, par, use in sorted(
                rng.sample(CATALOG, ITEMS_PER_SITE)
            ):
                item = SupplyInventory(
                    site=site,
                    item_name=name,
                    sku=sku,
                    category=category,
                    unit=unit,
                    reorder_level=Decimal(reorder),
                    par_level=Decimal(par) if rng.random() < 0.7 else None,
                )
                history = self.stock_history(item, par, use, site, coordinators)
                item.quantity_on_hand = history[-1].quantity_after
                item.last_restocked_at = max(
                    m.created_at for m in history if m.kind == MovementKind.RESTOCK
                )
                item.created_at = history[0].created_at
                item.updated_at = history[-1].created_at
                items.append(item)
                histories.append(history)
        SupplyInventory.objects.bulk_create(items, batch_size=BATCH_SIZE)
        movements = []
        for item, history in zip(items, histories, strict=True):
            for movement in history:
                movement.item = item
                movements.append(movement)
        StockMovement.objects.bulk_create(movements, batch_size=BATCH_SIZE)
        self.done("stock items", len(items))
        self.done("stock movements", len(movements))

    def stock_history(self, item, par, use, site, coordinators):
        """An opening restock 30 days ago, then usage (and sometimes a restock) up to now."""
        rng = self.rng
        reorder = int(item.reorder_level)
        opened = self.now - dt.timedelta(days=30, minutes=rng.randint(0, 600))
        quantity = Decimal(rng.randint((reorder + par) // 2, par))
        history = [
            StockMovement(
                kind=MovementKind.RESTOCK,
                quantity=quantity,
                quantity_after=quantity,
                note="Opening stock",
                created_by=rng.choice(coordinators),
                created_at=opened,
            )
        ]
        span = int((self.now - opened).total_seconds()) - 600
        moments = sorted(rng.sample(range(60, span), rng.randint(1, 6)))
        for seconds in moments:
            when = opened + dt.timedelta(seconds=seconds)
            if quantity <= reorder and rng.random() < 0.9:
                change = Decimal(par) - quantity
                kind, note, by = MovementKind.RESTOCK, "Delivery", rng.choice(coordinators)
            else:
                change = -min(quantity, Decimal(rng.randint(1, use)))
                kind, note, by = MovementKind.USAGE, "", rng.choice(self.site_techs[site.pk])
            if not change:
                continue
            quantity += change
            history.append(
                StockMovement(
                    kind=kind,
                    quantity=change,
                    quantity_after=quantity,
                    note=note,
                    created_by=by,
                    created_at=when,
                )
            )
        return history

    # -- inspections ------------------------------------------------------------------------
    def make_inspections(self):
        rng = self.rng
        coordinators = self.by_role[Role.COORDINATOR]
        logs = []
        for _ in range(self.counts["inspections"]):
            site = rng.choice(self.sites)
            schedule = None
            done_here = self.completed_visits.get(site.pk)
            if done_here and rng.random() < 0.35:
                schedule = rng.choice(done_here)
                when = schedule.completed_at + dt.timedelta(minutes=rng.randint(10, 90))
            else:
                day = self.today - dt.timedelta(days=rng.randint(1, 364))
                when = self.at(day, (rng.randint(8, 16), rng.choice((0, 15, 30, 45))))
            when = min(when, self.now - dt.timedelta(minutes=5))
            score = max(30, min(100, round(rng.betavariate(9, 1.8) * 100)))
            if score >= 85:
                findings, action_odds = rng.choice(FINDINGS_GOOD), 0.01
            elif score >= 70:
                findings, action_odds = rng.choice(FINDINGS_FAIR), 0.1
            else:
                findings, action_odds = rng.choice(FINDINGS_POOR), 0.5
            log = SiteInspectionLog(
                site=site,
                schedule=schedule,
                inspector=rng.choice(self.site_inspectors[site.pk]),
                inspection_date=when,
                score=score,
                findings=findings,
                internal_notes=rng.choice(["", "", "", "Crew lead new this month."]),
                created_at=when,
                updated_at=when,
            )
            if rng.random() < action_odds:
                log.corrective_actions = rng.choice(ACTIONS)
                resolved = when + dt.timedelta(hours=rng.randint(4, 240))
                if resolved < self.now and rng.random() < 0.85:
                    log.resolved_at = log.updated_at = resolved
                    log.resolved_by = rng.choice(coordinators)
                    log.resolution_note = "Done and checked on the next visit."
            logs.append(log)
        SiteInspectionLog.objects.bulk_create(logs, batch_size=BATCH_SIZE)
        self.done("inspections", len(logs))
