"""The bench scripts are programs in bench/, not a package: their directory goes on the path.

Appended, not prepended: bench/api.py must not shadow the project's `api` app.
"""

import sys
from pathlib import Path

BENCH = str(Path(__file__).resolve().parents[2] / "bench")
if BENCH not in sys.path:
    sys.path.append(BENCH)
