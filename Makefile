# afmon: two commands a newcomer needs (make demo, make test), plus the developer's tools.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test check lint typecheck imports bench clean install

# The venv is rebuilt when pyproject.toml changes; the stamp records the last good install.
$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/afmon demo

# Two test workers per core: most tests wait (Textual pilots settling, loopback servers,
# child processes), so one per core left the cores half idle (2 cores: -n 2 took 244 s
# with 5m07 of CPU, -n 4 177 s with 5m11). Byte-compile our modules first: the suite starts
# afmon processes and parse workers by the hundred, and where PYTHONDONTWRITEBYTECODE is set
# (CI) each would compile them again.
TEST_WORKERS ?= $(shell echo $$(( $$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2) * 2 )))
test: $(STAMP)
	@$(BIN)/python -m compileall -q -j 0 afmon core feeds store tui analysis
	$(BIN)/python -m pytest -q -n $(TEST_WORKERS)

lint: $(STAMP)
	$(BIN)/ruff format --check afmon core feeds store tui tests bench analysis docs
	$(BIN)/ruff check afmon core feeds store tui tests bench analysis docs

# mypy on the layers below the UI (core, store, feeds, analysis: [tool.mypy] in pyproject).
typecheck: $(STAMP)
	$(BIN)/mypy

# The import contracts in pyproject ([tool.importlinter]): afmon > tui > feeds | analysis >
# store > core, and no textual or rich below tui.
imports: $(STAMP)
	$(BIN)/lint-imports

check: lint typecheck imports test

bench: $(STAMP)
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
