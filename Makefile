# coplan: two commands set up everything on a fresh machine.
#   make demo   open coplan on a bundled example plan
#   make test   run the whole test suite
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
APP    := $(VENV)/.coplan-app
STAMP  := $(VENV)/.coplan-installed

.PHONY: demo test tools lint typecheck bench clean

# The app alone: what `make demo` needs, and no more.
$(APP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	@# coplan's own earlier name in this folder's venv (the index name is now coplan-coproduction)
	@$(BIN)/python -m pip uninstall --quiet --yes coplan 2>/dev/null || true
	$(BIN)/python -m pip install --quiet -e .
	@touch $(APP)

# The app with the test and development tools: what `make test` needs.
$(STAMP): $(APP)
	$(BIN)/python -m pip install --quiet -e ".[test]"
	@touch $(STAMP)

demo: $(APP)
	$(BIN)/coplan demo

tools:
	bash scripts/install-test-tools.sh

# On every core (pytest-xdist), a test file to a worker: a file's tests share its set-up.
test: $(STAMP) tools
	$(BIN)/python -m pytest -n auto --dist loadfile

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_targets.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
