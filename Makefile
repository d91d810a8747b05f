# The README's commands. Everything else a newcomer needs is installed by these targets.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app classroom
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test lint format clean

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
	$(FLASK) demo
	@echo "Serving on http://$(HOST):$(PORT) (Ctrl+C to stop)"
	$(FLASK) run --host $(HOST) --port $(PORT)

## test: install the test dependencies, lint, and run the whole suite (browser tests included)
test: $(VENV)/.installed-test
	$(BIN)/ruff check classroom tests
	$(BIN)/pytest

lint: $(VENV)/.installed-test
	$(BIN)/ruff check classroom tests
	$(BIN)/ruff format --check classroom tests

format: $(VENV)/.installed-test
	$(BIN)/ruff format classroom tests

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
