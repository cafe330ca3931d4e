# Two everyday commands: `make run` (set up and start the wizard) and `make test` (set up and test).
# Both install the serve extra (textual-serve), so `make run ARGS=serve` serves the wizard to a browser.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: run test lint format bench stress snapshot-update clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[serve]'
	touch $@

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test,serve]'
	touch $(STAMP) $@

run: $(STAMP)
	$(BIN)/telewizard $(ARGS)

lint: $(TEST_STAMP)
	$(BIN)/ruff check wizard tests tools
	$(BIN)/ruff format --check wizard tests tools
	$(BIN)/mypy wizard

test: lint
	$(BIN)/python -m pytest -m "not slow"

format: $(TEST_STAMP)
	$(BIN)/ruff check --fix wizard tests tools
	$(BIN)/ruff format wizard tests tools

bench: $(TEST_STAMP)
	$(BIN)/python -m tests.bench

stress: $(TEST_STAMP)
	$(BIN)/python -m pytest -m slow

snapshot-update: $(TEST_STAMP)
	$(BIN)/python -m pytest tests/tui --snapshot-update

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache .hypothesis

# Regenerate the committed example playbook from the bundled example design (run after any change to
# the example, the content pack or wizard/playbook/; tests/test_example.py fails until you do).
.PHONY: examples
examples: $(STAMP)
	SOURCE_DATE_EPOCH=1796083200 $(BIN)/telewizard export wizard/examples/riverbend-virtual-urgent-care.toml -o exports/riverbend-virtual-urgent-care-playbook.md
