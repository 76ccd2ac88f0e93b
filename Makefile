# bo's development loop. `make demo` and `make test` work on a fresh machine with only
# Python 3.11+: the first run creates .venv and installs bo with its dev tools.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PERIOD ?= 2025-09

.PHONY: demo demo-books test lint format check bench golden clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

## demo: run bo on the demo books at the project root
demo: $(STAMP)
	$(BIN)/bo check
	$(BIN)/bean-check ledgers/main.beancount
	$(BIN)/bo report trial --period $(PERIOD)

## demo-books: rewrite the demo books from the seeded generator (same seed, same bytes)
demo-books: $(STAMP)
	$(BIN)/python bench/generate_books.py --out .

## test: the test suite
test: $(STAMP)
	$(BIN)/pytest

## lint: ruff lint and format check
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## check: bo check on the demo books (what a books repo's CI runs)
check: $(STAMP)
	$(BIN)/bo check

## bench: generate large books and time bo against bean-check on them
bench: $(STAMP)
	$(BIN)/python bench/bench_check.py
	$(BIN)/python bench/bench_import.py

## golden: rewrite golden files from the current output (review the diff!)
golden: $(STAMP)
	$(BIN)/pytest --update-golden

clean:
	rm -rf $(VENV) .bo .pytest_cache .ruff_cache bench/out
