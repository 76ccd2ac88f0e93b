# bo's development loop. `make demo` and `make test` work on a fresh machine with only
# Python 3.11+: the first run creates .venv and installs bo with its dev tools.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo demo-books test lint format check docs bench golden clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

## demo: close September 2025 on a scratch copy of the demo books (a git repo of its own)
DEMO := build/demo
demo: $(STAMP)
	rm -rf $(DEMO) && mkdir -p $(DEMO)
	cp -R bo.yaml ledgers statements schedules budgets sops templates scenarios parties $(DEMO)/
	printf '.bo/\n' > $(DEMO)/.gitignore
	cd $(DEMO) && git init -q && git config user.name "Dana Reyes" && \
		git config user.email dana@larkspur.example && git add -A && git commit -qm "Demo books"
	$(BIN)/bo check --books $(DEMO)
	$(BIN)/bean-check $(DEMO)/ledgers/main.beancount
	# September carries planted problems: the close shows them and exits 1 (0 would be a bug).
	cd $(DEMO) && $(CURDIR)/$(BIN)/bo close 2025-09; test $$? -eq 1
	@echo "close report: $(DEMO)/reports/2025-09/close.md"

## demo-books: rewrite the demo books from the seeded generator (same seed, same bytes)
demo-books: $(STAMP)
	$(BIN)/python bench/generate_books.py --out .

## test: the test suite, on every core (pytest-xdist)
test: $(STAMP)
	$(BIN)/pytest -n auto --dist worksteal

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

## docs: the settings reference in docs/settings/, from the models that read each file
docs: $(STAMP)
	$(BIN)/python -m bo.schema docs/settings

## bench: generate large books and time bo against bean-check on them
BENCHES := check import reconcile dupes dupes_truth reports audit close commands cash matching forecast
bench: $(STAMP)
	@failed=""; for b in $(BENCHES); do \
		echo "== bench_$$b"; $(BIN)/python bench/bench_$$b.py || failed="$$failed $$b"; \
	done; if [ -n "$$failed" ]; then echo "bench: missed target or failed:$$failed"; exit 1; fi

## golden: rewrite golden files from the current output (review the diff!)
golden: $(STAMP)
	$(BIN)/pytest --update-golden

clean:
	rm -rf $(VENV) .bo .pytest_cache .ruff_cache bench/out
