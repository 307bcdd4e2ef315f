# The project's scripts: `make demo` and `make test` are the README's quick start.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --disable-pip-version-check -q
JOBS ?= auto

.PHONY: demo test lint typecheck selfcheck unit install dev bandit-parity clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Markers record what was installed, so a second `make` does not reinstall.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(PIP) install -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(PIP) install -e '.[dev]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
dev: $(VENV)/.installed-dev

# Reviews the bundled example project; findings are expected (exit 1), anything else fails.
demo: install
	$(BIN)/scrutiny review examples/ ; status=$$?; test $$status -le 1

lint: dev
	$(BIN)/ruff format --check src tests benchmarks scripts
	$(BIN)/ruff check src tests benchmarks scripts

typecheck: dev
	$(BIN)/mypy

# scrutiny reviews its own code: any finding fails the build.
selfcheck: dev
	$(BIN)/scrutiny review --quiet src

unit: dev
	$(BIN)/pytest -n $(JOBS) --cov --cov-report=term --cov-fail-under=90

test: lint typecheck selfcheck unit

bandit-parity: install
	$(BIN)/python benchmarks/compare_bandit.py --write docs/bandit-parity.md

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .coverage* .bench
