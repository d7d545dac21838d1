# `make reports` and `make test` are the whole set-up on a fresh machine (Python 3.11+).
# The venv has the test and dask extras, so `make test` runs the Dask backend tests too.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: reports test test-fast lint messages clean

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,dask]'
	-git rev-parse --git-dir >/dev/null 2>&1 && $(BIN)/nbstripout --install --attributes .gitattributes
	-$(BIN)/python -m ipykernel install --user --name ita --display-name "ITA"
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

# After adding or changing a _("message"): extract, merge into the Thai catalog, translate the new
# entries in ita_helpers/locale/th/LC_MESSAGES/ita.po, then run this again to compile ita.mo.
LOCALE := ita_helpers/locale
messages: $(INSTALLED)
	$(BIN)/pybabel extract -F babel.cfg -k N_ --no-location --sort-output -w 120 -o $(LOCALE)/ita.pot ita_helpers
	$(BIN)/pybabel update --no-fuzzy-matching --ignore-obsolete -w 120 -i $(LOCALE)/ita.pot -d $(LOCALE) -D ita -l th
	$(BIN)/pybabel compile --statistics -d $(LOCALE) -D ita -l th

clean:
	rm -rf $(VENV) build dist outputs/*/ outputs/*.html outputs/*.json outputs/*.csv
