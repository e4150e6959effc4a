"""What the large demo data set is made of: its size, names, words and supply catalogue."""

from inventory.models import Category, Unit
from janitorial_crm.roles import Role
from scheduling.models import Frequency

# Every large-demo account shares this password; the benchmark logs in with it.
LARGE_PASSWORD = "large-demo-pass-2026"  # noqa: S105  # nosec B105
SEED = 20260901
BATCH_SIZE = 2000

ROLE_COUNTS = {
    Role.ADMIN: 2,
    Role.SUPERVISOR: 3,
    Role.COORDINATOR: 15,
    Role.TECHNICIAN: 130,
    Role.INSPECTOR: 30,
    Role.CLIENT: 20,
}
USERNAME_STEMS = {
    Role.ADMIN: "admin",
    Role.SUPERVISOR: "supervisor",
    Role.COORDINATOR: "coord",
    Role.TECHNICIAN: "tech",
    Role.INSPECTOR: "insp",
    Role.CLIENT: "client",
}
SITES = 1000
VISITS = 50_000
ITEMS_PER_SITE = 10
INSPECTIONS = 20_000
CLIENT_COMPANIES = 40
# Share of the visits that recurring series may take; one-off jobs fill the rest.
RECURRING_SHARE = 0.9


def _words(text):
    """A word list written compactly: entries separated by "|"."""
    return text.split("|")


FIRST_NAMES = _words(
    "Maria|Dev|Ana|Luis|Grace|Omar|Chen|Fatima|Ivan|Rosa|Kwame|Lena|Tariq|Mei|Jorge|Aisha|"
    "Pedro|Sofia|Hiro|Nadia|Samuel|Elena|Yusuf|Carmen|Andre|Priya|Tomas|Leila|Marco|Zoe"
)
LAST_NAMES = _words(
    "Lopez|Patel|Kim|Okafor|Novak|Rossi|Nguyen|Haddad|Silva|Schmidt|Moreno|Ito|Khan|Brown|"
    "Garcia|Muller|Costa|Ahmed|Jensen|Diaz|Wong|Kowalski|Mensah|Ortiz|Reyes|Singh"
)
CLIENT_WORDS_A = _words(
    "Acme|Harbor|Summit|Riverside|Granite|Maple|Beacon|Northgate|Lakeview|Civic"
)
CLIENT_WORDS_B = _words("Corp|Health|Schools|Properties|Logistics|Bank")
BUILDINGS = _words(
    "Headquarters|Warehouse|Clinic|Branch Office|Library|Elementary School|Data Center|"
    "Call Center|Distribution Hub|Medical Office|Lab Building|Annex"
)
STREETS = _words("Main|Elm|Harbor|Oak|Industrial|Library|Park|Lake|Mill|Church|Market|River")
CITIES = _words("Springfield|Shelbyville|Ogdenville|North Haverbrook|Capital City|Brockway")

# Visit time slots (start, end); several cross midnight, as night work does.
RECURRING_SLOTS = [
    ((18, 0), (22, 0), 22),
    ((17, 30), (20, 30), 14),
    ((19, 0), (23, 0), 12),
    ((22, 0), (2, 0), 14),
    ((23, 0), (3, 0), 5),
    ((3, 0), (6, 0), 4),
    ((5, 0), (8, 0), 8),
    ((6, 0), (9, 0), 8),
    ((16, 0), (20, 0), 7),
    ((12, 0), (15, 0), 6),
]
ONE_OFF_SLOTS = [(8, 0), (10, 0), (13, 0), (20, 0), (22, 0)]
FREQUENCY_WEIGHTS = [
    (Frequency.DAILY, 1),
    (Frequency.WEEKDAYS, 4),
    (Frequency.WEEKLY, 36),
    (Frequency.BIWEEKLY, 30),
    (Frequency.MONTHLY, 29),
]
SERIES_NOTES = {
    Frequency.DAILY: "Nightly clean: restrooms, trash, floors.",
    Frequency.WEEKDAYS: "Weeknight clean: offices, restrooms, break rooms.",
    Frequency.WEEKLY: "Weekly clean: all areas, vacuum, restrooms restocked.",
    Frequency.BIWEEKLY: "Fortnightly clean: offices and common areas.",
    Frequency.MONTHLY: "Monthly deep clean: high dusting, vents, baseboards.",
}
ONE_OFF_JOBS = [
    "Carpet shampoo, ground floor.",
    "Strip and wax corridor floors.",
    "Post-event clean-up.",
    "Window washing, inside.",
    "Move-out clean of vacated suite.",
]
VISIT_NOTES = [
    "Restroom 2 out of soap; refilled from closet.",
    "Lobby mats replaced.",
    "Conference room left locked; skipped.",
    "Extra trash after office party.",
]

# sku, item, category, unit, reorder level, par level, typical use per movement
CATALOG = [
    ("PT-2PLY", "Paper towels, 2-ply", Category.PAPER, Unit.CASE, 4, 12, 2),
    ("TP-JR", "Toilet paper, jumbo roll", Category.PAPER, Unit.CASE, 4, 12, 2),
    ("TT-SEAT", "Toilet seat covers", Category.PAPER, Unit.BOX, 2, 6, 1),
    ("LN-33G", "Can liners 33 gal", Category.LINERS, Unit.BOX, 5, 15, 2),
    ("LN-13G", "Can liners 13 gal", Category.LINERS, Unit.BOX, 4, 12, 1),
    ("SOAP-FOAM", "Foam hand soap refill", Category.SOAP, Unit.BOTTLE, 6, 18, 3),
    ("SAN-GEL", "Hand sanitiser gel", Category.SOAP, Unit.BOTTLE, 4, 12, 2),
    ("DIS-QUAT", "Quat disinfectant concentrate", Category.CHEMICALS, Unit.GALLON, 2, 6, 1),
    ("GLS-CLN", "Glass cleaner", Category.CHEMICALS, Unit.LITRE, 3, 10, 1),
    ("FLR-NEU", "Neutral floor cleaner", Category.CHEMICALS, Unit.GALLON, 2, 6, 1),
    ("GLV-NIT-L", "Nitrile gloves L", Category.PPE, Unit.BOX, 3, 10, 1),
    ("GLV-NIT-M", "Nitrile gloves M", Category.PPE, Unit.BOX, 3, 10, 1),
    ("MOP-HEAD", "Microfiber mop heads", Category.TOOLS, Unit.PACK, 2, 6, 1),
    ("CLOTH-MF", "Microfiber cloths", Category.TOOLS, Unit.PACK, 3, 8, 1),
]

FINDINGS_GOOD = [
    "Lobby and restrooms to standard.",
    "Floors clean, bins emptied, supplies full.",
    "Offices tidy; minor dust on high ledges.",
]
FINDINGS_FAIR = [
    "Restroom mirrors streaked; one dispenser empty.",
    "Break room sink stained; bins not relined.",
    "Corridor corners not vacuumed.",
]
FINDINGS_POOR = [
    "Restrooms not cleaned; floor sticky, odour.",
    "Trash not removed from several offices; spill in kitchen left.",
    "Waiting room floor dirty; sanitiser dispensers empty.",
]
ACTIONS = [
    "Deep-clean restrooms and log it on the next visit.",
    "Refill dispensers and check them on every visit.",
    "Descale break-room sink; reline all bins nightly.",
    "Retrain the crew on the corridor checklist.",
]
