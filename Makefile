# Two commands set everything up on a machine with only Python 3.11 and make:
#   make demo   runs the main job on the embedded emulator
#   make test   runs the whole suite
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
PIP    := $(BIN)/pip --disable-pip-version-check -q
# Hypothesis keeps its examples and caches with the venv, not in the work tree.
export HYPOTHESIS_STORAGE_DIRECTORY := $(abspath $(VENV))/hypothesis

.PHONY: demo test soak bench venv clean

venv: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(PIP) install -r requirements.lock
	@$(PIP) install --no-deps --no-build-isolation -e .
	@touch $(STAMP)

demo: $(STAMP)
	@$(BIN)/plt demo $(ARGS)

test: $(STAMP)
	@$(BIN)/python -m pytest -q -n 2 $(ARGS)

soak: $(STAMP)
	@PLT_SOAK=1 $(BIN)/python -m pytest -q tests/test_soak.py -p no:xdist -s $(ARGS)

bench: $(STAMP)
	@$(BIN)/python -m benchmarks $(ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
