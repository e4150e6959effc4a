"""factory-boy factories, one module per app, all importable from `tests.factories`."""

from tests.factories.inspections import *  # noqa: F403
from tests.factories.inventory import *  # noqa: F403
from tests.factories.scheduling import *  # noqa: F403
from tests.factories.sites import *  # noqa: F403
from tests.factories.users import *  # noqa: F403
from tests.factories.webhooks import *  # noqa: F403
