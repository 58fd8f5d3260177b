# Two commands for a new user: `make run` and `make test`. Everything else is here for them.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST_PORT ?= 127.0.0.1:8000

.PHONY: run test test-sqlite test-postgres lint check install install-dev migrate clean bench

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

migrate: install
	DEBUG=1 $(PY) manage.py migrate --no-input

run: migrate
	DEBUG=1 $(PY) manage.py load_demo
	DEBUG=1 $(PY) manage.py demo_admin
	DEBUG=1 $(PY) manage.py runserver $(HOST_PORT)

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

check: install-dev
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run
	DEBUG=1 $(PY) manage.py check

test-sqlite: install-dev
	$(PY) -m pytest

test-postgres: install-dev
	$(PY) scripts/with_postgres.py -- $(PY) -m pytest

# The whole suite: lint, migrations in sync, tests on SQLite, then again on PostgreSQL.
test: lint check test-sqlite test-postgres

clean:
	rm -rf $(VENV) db.sqlite3 test-artifacts .pytest_cache .ruff_cache

# Benchmark of the public pages at SIZE incidents: `make bench SIZE=100000`. Uses DATABASE_URL
# (PostgreSQL) when set, else a throwaway PostgreSQL cluster. Results in bench/results/.
SIZE ?= 10000
.venv-bench/.installed:
	$(PYTHON) -m venv .venv-bench
	.venv-bench/bin/pip install --quiet datasette==0.65.5
	touch $@

bench: install-dev .venv-bench/.installed
ifdef DATABASE_URL
	DEBUG=1 $(PY) manage.py migrate --no-input && SIZE=$(SIZE) $(PY) bench/run.py
else
	$(PY) scripts/with_postgres.py -- sh -c 'DEBUG=1 $(PY) manage.py migrate --no-input -v0 && SIZE=$(SIZE) $(PY) bench/run.py'
endif
