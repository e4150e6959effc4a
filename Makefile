# Two commands on a fresh machine with Python 3.11+:
#   make run   - venv, install, migrate, roles, demo data, serve on http://127.0.0.1:8000
#   make test  - venv with dev tools, lint, the whole suite (SQLite)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/janitorial_crm_ci
PYTEST_WORKERS ?= 2

.PHONY: run test test-postgres test-clocks lint venv venv-dev demo chromium faketime clean bench audit

$(BIN)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(BIN)/.installed-dev: requirements.txt requirements-dev.txt $(BIN)/.installed
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

venv: $(BIN)/.installed
venv-dev: $(BIN)/.installed-dev

demo: venv
	$(PY) manage.py migrate --noinput
	$(PY) manage.py setup_roles
	$(PY) manage.py extend_schedules
	$(PY) manage.py seed_demo --if-empty

# The ASGI server serves the whole app, live updates (/live/) included.
run: demo
	$(PY) -m uvicorn janitorial_crm.asgi:application --host $(HOST) --port $(PORT)

lint: venv-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/bandit -q -c pyproject.toml -r janitorial_crm sites scheduling inventory inspections portal live pickers demo
	$(BIN)/mypy
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

# Debian's chromium drives the browser tests (Playwright's own download does not work offline).
chromium:
	@[ -n "$$CHROMIUM_PATH" ] || command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq chromium >/dev/null; fi; }

# Debian's faketime shifts the machine's clock for the shifted-clock runs of the suite.
faketime:
	@command -v faketime >/dev/null 2>&1 || { \
	  echo "Installing Debian's faketime for the shifted-clock runs"; \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq faketime >/dev/null; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq faketime >/dev/null; fi; }

test: lint chromium
	$(BIN)/pytest -n $(PYTEST_WORKERS) -m "not postgres" --cov --cov-report=term:skip-covered

# The same suite against PostgreSQL (production's database); needs a server at PG_URL.
test-postgres: venv-dev
	DATABASE_URL=$(PG_URL) $(BIN)/pytest -n $(PYTEST_WORKERS) -m "not browser"

# The suite under shifted machine clocks: it must not care what day it runs on. Each run starts
# the machine's clock at the given moment (UTC) and lets it tick: the autumn night when 01:30
# happens twice in New York, and a year and a month from now (a time bomb shows up a year
# early). The spring-forward night is covered by the frozen DST tests. Browser tests run on the
# real clock and are left out, and so are the two input fuzzers (the junk sweep and the API's
# schemathesis run): they read no clock of their own, run in both other legs, and would double
# the time of these runs.
CLOCK_SUITE = $(BIN)/pytest -n $(PYTEST_WORKERS) -q -m "not postgres and not browser" \
	--ignore=tests/security --ignore=tests/api/test_schemathesis.py
test-clocks: venv-dev faketime
	faketime -f "@2027-11-07 05:30:00" $(CLOCK_SUITE)
	faketime -f "+400d" $(CLOCK_SUITE)

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache .ruff_cache

# Large data set + load benchmark (see bench/README.md). Use a scratch database:
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/crm_bench make bench
bench: venv
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo --scale large
	$(PY) bench/run.py
