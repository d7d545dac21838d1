# `make reports` and `make test` are the whole set-up on a fresh machine (Python 3.11+).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: reports test clean

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	-git rev-parse --git-dir >/dev/null 2>&1 && $(BIN)/nbstripout --install --attributes .gitattributes
	touch $@

reports: $(INSTALLED)
	$(BIN)/ita run --all --out outputs

test: $(INSTALLED)
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) outputs/*/ outputs/*.html outputs/*.json outputs/*.csv
