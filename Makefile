# The README's commands. Everything else a newcomer needs is installed by these targets.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app classroom
HOST ?= 127.0.0.1
PORT ?= 5000
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test test-fast test-postgres ci lint format clean

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Classroom needs Python 3.11 or newer (found: $$($(PYTHON) --version))."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

## run: install, create or update the database, load the demo class, serve on http://127.0.0.1:5000
run: $(VENV)/.installed
	$(FLASK) init-db
	$(FLASK) --debug demo
	@echo "Serving on http://$(HOST):$(PORT) (Ctrl+C to stop)"
	$(FLASK) run --host $(HOST) --port $(PORT)

## test: install the test dependencies and what the tests run that is missing (Debian's chromium,
## and nginx and openssl for the proxy test, which runs its own nginx: Debian's package also starts
## one on port 80); lint, and run the whole suite (browser tests included), a worker per core
## (WORKERS=1 for one process)
WORKERS ?= auto
PYTEST := $(BIN)/pytest -n $(WORKERS) --dist loadfile
test: $(VENV)/.installed-test test-packages
	$(BIN)/ruff check classroom tests
	$(PYTEST)

## test-fast: install the test dependencies, lint, and run every test but the browser tests
test-fast: $(VENV)/.installed-test
	$(BIN)/ruff check classroom tests
	$(PYTEST) --ignore=tests/browser

## test-postgres: the same suite on PostgreSQL: a throwaway server (Debian's postgresql, installed
## if missing) started for the run and deleted after it (tests/pg_cluster.py)
test-postgres: $(VENV)/.installed-test test-packages postgresql-package
	$(PYTHON) tests/pg_cluster.py -- $(PYTEST)

## ci: what CI runs (.ci/run): lint once, then the whole suite on SQLite and on PostgreSQL at the
## same time, two workers each (tests/both_engines.py), with one closing line of the sums
ci: $(VENV)/.installed-test test-packages postgresql-package
	$(BIN)/ruff check classroom tests
	$(PYTHON) tests/both_engines.py $(BIN)/pytest -n 2 --dist loadfile

.PHONY: test-packages postgresql-package
test-packages:
	@command -v chromium >/dev/null 2>&1 && [ -x /usr/sbin/nginx ] && command -v openssl >/dev/null 2>&1 || \
		{ $(SUDO) apt-get update && $(SUDO) apt-get install -y chromium nginx openssl; }

postgresql-package:
	@ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || command -v pg_ctl >/dev/null 2>&1 || \
		{ $(SUDO) apt-get update && $(SUDO) apt-get install -y postgresql; }

lint: $(VENV)/.installed-test
	$(BIN)/ruff check classroom tests
	$(BIN)/ruff format --check classroom tests

format: $(VENV)/.installed-test
	$(BIN)/ruff format classroom tests

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache

# --- the production server and the benchmark (docs/deployment.md, docs/performance.md) --------
.PHONY: serve bench

$(VENV)/.installed-serve: $(VENV)/.installed
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[serve]'
	touch $@

$(VENV)/.installed-bench: $(VENV)/.installed
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[bench,postgres]'
	touch $@

## serve: install gunicorn, create or update the database, serve on 127.0.0.1:8000 (gunicorn.conf.py)
serve: $(VENV)/.installed-serve
	$(FLASK) init-db
	$(BIN)/gunicorn --config gunicorn.conf.py

## classroom: serve the students' devices on this computer's network, with gunicorn on
## 0.0.0.0:8000 (CLASSROOM_PORT=...), printing the address and the join link as a QR code first
## (CLASS="Period 1" picks the class; docs/deployment.md#a-class-from-a-laptop)
CLASSROOM_PORT ?= 8000
.PHONY: classroom
classroom: $(VENV)/.installed-serve
	$(FLASK) init-db
	$(FLASK) join-link --port $(CLASSROOM_PORT) $(if $(CLASS),--class "$(CLASS)") $(if $(ALLOW_DEMO),--allow-demo)
	CLASSROOM_BIND=0.0.0.0:$(CLASSROOM_PORT) $(BIN)/gunicorn --config gunicorn.conf.py

## bench: install gunicorn, then measure and print the figures (docs/performance.md; about 9 min):
## cost per request against Flask's hello world, a district morning to its knee, a class's burst,
## the exports, insight and start-up. BENCH_ARGS=--quick for every part in about 2 minutes;
## "--scenario cost --lines page,feedback" for one change's cost; "--scenario district,burst
## --workers 2,3,5" to compare servers; "--database postgresql" beside PostgreSQL (Debian's package)
bench: $(VENV)/.installed-bench
	$(BIN)/python bench/run.py $(BENCH_ARGS)

## bench-suggest: recall and precision of the suggested key items against the seed reports' keys,
## and their time for a 1,000-word article (bench/suggest.py; BENCH_ARGS=--details for each miss)
.PHONY: bench-suggest
bench-suggest: $(VENV)/.installed
	$(BIN)/python bench/suggest.py $(BENCH_ARGS)

## bench-students: simulated students (strong, middling, weak, every sentence, each problem once...)
## on the shipped exercises, and the score each gets (bench/students.py, docs/scoring.md;
## BENCH_ARGS=--tasks for each step)
.PHONY: bench-students
bench-students: $(VENV)/.installed
	$(BIN)/python bench/students.py $(BENCH_ARGS)

## screenshots: the exercise and feedback pages at phone, tablet and laptop sizes, into docs/screenshots/
.PHONY: screenshots
screenshots: $(VENV)/.installed-test
	SCREENSHOTS_DIR=docs/screenshots $(BIN)/pytest -q tests/browser/test_screens.py tests/browser/test_feedback.py -k fits_every_screen
