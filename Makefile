# `make run` sets up everything and serves the product with demo data; `make test` sets up and runs every test.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# Links in SMS, e-mail, QR codes and PDFs point here: the port `make run` serves on, unless set.
SITE_URL ?= http://127.0.0.1:$(PORT)
PG_URL ?= postgres://postgres@127.0.0.1:5432/aftersales
# The suite runs on every core (pytest-xdist; each worker has its own test database); TEST_WORKERS=0 runs it in one.
TEST_WORKERS ?= auto
PYTEST := $(PY) -m pytest -n $(TEST_WORKERS)

.PHONY: setup run worker test test-fast test-early test-pg test-browser lint bench bench-smoke messages clean

setup: $(VENV)/.deps-stamp node_modules/.package-lock.json messages
	$(PY) manage.py migrate --noinput -v0

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip

$(VENV)/.deps-stamp: $(VENV)/bin/python pyproject.toml constraints.txt
	$(VENV)/bin/pip install -q -c constraints.txt -e '.[dev]'
	touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

# msgfmt comes from gettext; install it on Debian if missing and we may.
messages: $(VENV)/.deps-stamp
	@command -v msgfmt >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y -q gettext >/dev/null; } || { echo "Install gettext (msgfmt) to compile translations"; exit 1; }
	cd aftersales && ../$(PY) ../manage.py compilemessages -v0

run: setup
	SITE_URL=$(SITE_URL) $(PY) manage.py seed_demo --size small
	@echo "Serving on http://127.0.0.1:$(PORT) (with the background worker); Ctrl-C stops both."
	@trap 'kill 0' INT TERM EXIT; \
	  SITE_URL=$(SITE_URL) $(VENV)/bin/celery -A aftersales worker -B --loglevel=warning --concurrency=2 --without-gossip --without-mingle & \
	  SITE_URL=$(SITE_URL) $(PY) manage.py runserver 127.0.0.1:$(PORT) & \
	  wait

worker: setup
	SITE_URL=$(SITE_URL) $(VENV)/bin/celery -A aftersales worker -B --loglevel=info --without-gossip --without-mingle

# Debian's Chromium for the browser tests; never a downloaded browser.
chromium:
	@command -v chromium >/dev/null || { [ "$$(id -u)" = 0 ] && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null; } || echo "Chromium is missing: browser tests will be skipped"

lint: $(VENV)/.deps-stamp
	$(PY) manage.py makemigrations --check --dry-run -v0
	$(VENV)/bin/lint-imports --no-cache

test: setup chromium lint
	DJANGO_SETTINGS_MODULE=aftersales.settings.test $(PYTEST)

# The suite again with the clock at 00:30 in Tehran (21:00 UTC, the day before), so that a UTC day
# taken for Tehran's fails (issue 13). Browser tests, schemathesis and the security matrix are left out
# to bound CI's time.
test-early: setup
	FROZEN_CLOCK=00:30 DJANGO_SETTINGS_MODULE=aftersales.settings.test $(PYTEST) -m "not browser and not schemathesis" --ignore=tests/security

test-pg: setup chromium
	DJANGO_SETTINGS_MODULE=aftersales.settings.test DATABASE_URL=$(PG_URL) $(PYTEST)

test-browser: setup chromium
	DJANGO_SETTINGS_MODULE=aftersales.settings.test $(PYTEST) -m browser

# Every benchmark on a fresh PostgreSQL database at the documented sizes (`make bench ONLY=bench_repairs` runs
# one; BENCH_REUSE_DB=1 keeps the filled data between runs), each figure against its aim, then a summary.
bench: setup
	$(PY) benchmarks/run.py $(ONLY)

# Every benchmark at tiny sizes on a fresh database: it still runs and its checks (exactly once, nothing lost,
# gap-free) hold. CI runs it.
bench-smoke: setup
	BENCH_DATABASE_URL=$(PG_URL)_bench_smoke $(PY) benchmarks/run.py --smoke $(ONLY)

clean:
	rm -rf $(VENV) node_modules var
