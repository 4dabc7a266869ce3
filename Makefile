# Two commands set everything up on a machine with Python 3.11:
#   make plan   -- create .venv, install, build the plan of the bundled sample
#   make test   -- install the test extra, run the unit tests and the notebooks
PYTHON ?= python3.11
VENV   ?= .venv
BIN    := $(VENV)/bin
DATA   ?= data/sample
PIP    := $(BIN)/python -m pip --disable-pip-version-check -q

.PHONY: plan test unit notebooks run-notebooks lab bench sample wheel-check clean

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "$(PYTHON) not found; run e.g. 'make plan PYTHON=python3'"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(PIP) install -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(VENV)/.installed
	$(PIP) install -e ".[test]"
	@touch $@

$(VENV)/.installed-lab: pyproject.toml | $(VENV)/.installed
	$(PIP) install -e ".[lab]"
	@touch $@

$(VENV)/.installed-bench: pyproject.toml | $(VENV)/.installed
	$(PIP) install -e ".[bench]"
	@touch $@

plan: $(VENV)/.installed
	$(BIN)/salesplan plan --data $(DATA)

test: unit notebooks

unit: $(VENV)/.installed-test
	$(BIN)/python -m pytest -q tests

notebooks: $(VENV)/.installed-test
	MPLBACKEND=Agg $(BIN)/python -m pytest -q --nbval-lax --nbval-current-env -p no:cacheprovider notebooks

# Re-run the notebooks in place (after a change that moves a plan), without saved widget state.
run-notebooks: $(VENV)/.installed-test
	cd notebooks && MPLBACKEND=Agg ../$(BIN)/jupyter-execute --inplace --NotebookClient.store_widget_state=False *.ipynb
	$(BIN)/python -c "import json, glob; [json.dump({**nb, 'metadata': {k: v for k, v in nb['metadata'].items() if k != 'widgets'}, 'cells': [{**c, 'metadata': {k: v for k, v in c['metadata'].items() if k != 'execution'}} for c in nb['cells']]}, open(p, 'w'), indent=1, ensure_ascii=False) or open(p, 'a').write(chr(10)) for p in glob.glob('notebooks/*.ipynb') for nb in [json.load(open(p))]]"

lab: $(VENV)/.installed-lab $(VENV)/.installed-test
	$(BIN)/jupyter lab notebooks

bench: $(VENV)/.installed-bench
	$(BIN)/python benchmarks/decompose.py
	$(BIN)/python benchmarks/territory.py
	$(BIN)/python benchmarks/simulate.py
	$(BIN)/python benchmarks/replan.py
	$(BIN)/python benchmarks/workbook.py

# A wheel installed in a fresh virtual environment plans the bundled sample from an empty folder.
WHEEL_DIR := build/wheel-check
wheel-check: | $(BIN)/python
	rm -rf $(WHEEL_DIR) && mkdir -p $(WHEEL_DIR)/empty
	$(PIP) wheel --no-deps -w $(WHEEL_DIR)/dist .
	$(PYTHON) -m venv $(WHEEL_DIR)/venv
	$(WHEEL_DIR)/venv/bin/python -m pip --disable-pip-version-check -q install $(WHEEL_DIR)/dist/salesplan-*.whl
	cd $(WHEEL_DIR)/empty && ../venv/bin/salesplan plan --runs 500
	test -s $(WHEEL_DIR)/empty/out/plan-2027.xlsx
	rm -rf $(WHEEL_DIR)

sample: $(VENV)/.installed
	$(BIN)/python data/make_sample.py

clean:
	rm -rf $(VENV) out build .pytest_cache
