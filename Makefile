# `make reports` and `make test` are the whole set-up on a fresh machine (Python 3.11+).
# The venv has the test and dask extras, so `make test` runs the Dask backend tests too.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: reports test test-fast lint clean

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,dask]'
	-git rev-parse --git-dir >/dev/null 2>&1 && $(BIN)/nbstripout --install --attributes .gitattributes
	touch $@

reports: $(INSTALLED)
	$(BIN)/ita run --all --out outputs

# Everything: ruff first, then the whole suite (slow tests too: browser, PDF, batch, kernels,
# the wheel in a fresh venv, hypothesis properties, the notebooks under nbval). The suite runs even
# when ruff finds problems; either failing fails the target.
test: $(INSTALLED)
	$(BIN)/ruff check .; lint=$$?; \
	$(BIN)/python -m pytest; tests=$$?; \
	[ $$lint -eq 0 ] && [ $$tests -eq 0 ] || exit 1

# The quick layer of the pyramid (well under a minute): no browser, PDF, kernel, packaging or property tests.
test-fast: $(INSTALLED)
	$(BIN)/python -m pytest -m "not slow"

lint: $(INSTALLED)
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) build dist outputs/*/ outputs/*.html outputs/*.json outputs/*.csv
