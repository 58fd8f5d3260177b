# Two commands for a new user: `make run` and `make test`. Everything else is here for them.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST_PORT ?= 127.0.0.1:8000

.PHONY: run serve test test-sqlite test-postgres test-replicas lint check audit install install-dev migrate clean bench bench-data \
	bench-load bench-duplicates bench-import bench-serve bench-export compile-messages messages

# setuptools is upgraded with pip: the copy a Python 3.11 venv starts with (65.5.0) has a known
# vulnerability (make audit).
$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip setuptools
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

# The translation catalogues, compiled with Babel (pure Python): locale/<language>/LC_MESSAGES/django.mo,
# and locale-completions/ (scripts/complete_catalogues.py) for what Django's own catalogues lack.
compile-messages: install
	$(VENV)/bin/pybabel compile --domain django --directory locale
	$(VENV)/bin/pybabel compile --domain django --directory locale-completions

# After changing interface strings: extract them into the catalogues (needs GNU gettext, on a
# developer's machine only), translate the new entries, then `make compile-messages`.
messages: install
	DEBUG=1 $(PY) manage.py makemessages --locale ru --locale kk --no-obsolete --add-location file --extension html,txt,py,md \
		--ignore 'tests/*' --ignore 'bench/*' --ignore 'scripts/*' --ignore 'staticfiles/*' --ignore 'locale/*'

migrate: install compile-messages
	DEBUG=1 $(PY) manage.py migrate --no-input

run: migrate
	DEBUG=1 $(PY) manage.py load_demo
	DEBUG=1 $(PY) manage.py demo_admin --address $(HOST_PORT)
	DEBUG=1 $(PY) manage.py runserver $(HOST_PORT)

# The site in production (scripts/serve.py): DEBUG off, gunicorn (deploy/gunicorn.conf.py) on HOST_PORT,
# after `check --deploy`, migrate and collectstatic. Refuses to start without SECRET_KEY and
# ALLOWED_HOSTS in the environment. Behind nginx: deploy/nginx.conf and the README's "Deploying".
serve: install compile-messages
	HOST_PORT=$(HOST_PORT) $(PY) scripts/serve.py

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

check: install-dev
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run
	DEBUG=1 $(PY) manage.py check

# Known vulnerabilities of the pinned requirements and of the installed environment (scripts/audit.py,
# pip-audit). Fails on any; where the vulnerability data cannot be fetched, says so and passes.
audit: install-dev
	$(PY) scripts/audit.py

test-sqlite: install-dev compile-messages
	$(PY) -m pytest

# The web server's own tests (marked web_server: gunicorn and nginx in front) run in the SQLite pass only.
test-postgres: install-dev compile-messages
	$(PY) scripts/with_postgres.py -- $(PY) -m pytest -m "not web_server"

# Read replicas (tests/test_replicas.py) against a PostgreSQL primary and a streaming replica of their own.
test-replicas: install-dev compile-messages
	$(PY) scripts/with_postgres.py --replica -- $(PY) -m pytest tests/test_replicas.py

# The whole suite: lint, migrations in sync, known vulnerabilities, then the tests on SQLite and
# on PostgreSQL side by side (two jobs: each pass mostly keeps one core busy; each pass's output is
# printed whole when it ends), then the read replicas.
test: lint check audit
	$(MAKE) --jobs=2 --output-sync=target test-sqlite test-postgres
	$(MAKE) test-replicas

clean:
	rm -rf $(VENV) db.sqlite3 test-artifacts .pytest_cache .ruff_cache

# Benchmark of the public pages at SIZE incidents: `make bench SIZE=100000`. Uses DATABASE_URL
# (PostgreSQL) when set, else a PostgreSQL cluster of its own, started with BENCH_PG_SETTINGS:
# a throwaway one, or with BENCH_PGDATA=DIR the one kept in DIR (created on first use, the dataset
# generated once). `make bench-data` only generates the dataset. Results in bench/results/.
SIZE ?= 10000
BENCH_PGDATA ?=
BENCH_PG_SETTINGS := --set shared_buffers=2GB --set work_mem=32MB --set effective_cache_size=16GB \
	--set random_page_cost=1.1
BENCH_CLUSTER := $(PY) scripts/with_postgres.py $(BENCH_PG_SETTINGS) $(if $(BENCH_PGDATA),--keep $(BENCH_PGDATA))
BENCH_MIGRATE := DEBUG=1 $(PY) manage.py migrate --no-input -v0

.venv-bench/.installed:
	$(PYTHON) -m venv .venv-bench
	.venv-bench/bin/pip install --quiet datasette==0.65.5
	touch $@

bench: install-dev .venv-bench/.installed
ifdef DATABASE_URL
	$(BENCH_MIGRATE) && SIZE=$(SIZE) $(PY) bench/run.py
else
	$(BENCH_CLUSTER) -- sh -c '$(BENCH_MIGRATE) && SIZE=$(SIZE) $(PY) bench/run.py'
endif

bench-data: install-dev
ifdef DATABASE_URL
	$(BENCH_MIGRATE) && SIZE=$(SIZE) BENCH_ONLY_GENERATE=1 $(PY) bench/run.py
else
	$(BENCH_CLUSTER) -- sh -c '$(BENCH_MIGRATE) && SIZE=$(SIZE) BENCH_ONLY_GENERATE=1 $(PY) bench/run.py'
endif

# The person form's possible-duplicates lookup among the people of the bench dataset of SIZE
# (`make bench-data` first; DATABASE_URL or BENCH_PGDATA=DIR names it). Results in
# bench/results/duplicates-<people>.{json,md}.
bench-duplicates: install-dev
ifdef DATABASE_URL
	$(PY) bench/duplicates.py
else
	$(BENCH_CLUSTER) -- $(PY) bench/duplicates.py
endif

# `manage.py import_records` on a file of ROWS incidents (50,000 unless given): dry run and import.
bench-import: install-dev compile-messages
ifdef DATABASE_URL
	$(BENCH_MIGRATE) && $(PY) bench/import_records.py
else
	$(BENCH_CLUSTER) -- sh -c '$(BENCH_MIGRATE) && $(PY) bench/import_records.py'
endif

# The public site under load as `make serve` runs it (bench/serve_load.py): 50 clients, then 30
# requests a second, on the dataset of SIZE (`make bench-data` first; DATABASE_URL or
# BENCH_PGDATA=DIR names it). Results in bench/results/serve-load-<incidents>.{json,md}.
bench-serve: install-dev compile-messages
ifdef DATABASE_URL
	$(BENCH_MIGRATE) && $(PY) bench/serve_load.py
else
	$(BENCH_CLUSTER) -- sh -c '$(BENCH_MIGRATE) && $(PY) bench/serve_load.py'
endif

# The public CSV export downloaded from gunicorn at SIZE incidents (bench/export.py): the newest
# 100,000 incidents, then every public one; time to the first row, total, rows a second and the
# worker's peak memory. The dataset is generated when missing (DATABASE_URL or BENCH_PGDATA=DIR
# names it). Results in bench/results/export-<SIZE>.{json,md}.
bench-export: install-dev compile-messages
ifdef DATABASE_URL
	$(BENCH_MIGRATE) && SIZE=$(SIZE) $(PY) bench/export.py
else
	$(BENCH_CLUSTER) -- sh -c '$(BENCH_MIGRATE) && SIZE=$(SIZE) $(PY) bench/export.py'
endif

# Staff saves overlapping under public load, through a real server (bench/load.py): on a temporary
# SQLite file, then on a throwaway PostgreSQL. Results in bench/results/load-<database>.json and .md.
bench-load: install
	DATABASE_URL= $(PY) bench/load.py
	$(PY) scripts/with_postgres.py -- $(PY) bench/load.py
