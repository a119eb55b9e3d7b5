# The kit's commands. `make help` lists them.
# Inside a conda env made from environment.yml (which installs the kit), that env is used;
# otherwise everything runs from a local virtual environment in .venv.
ifneq ($(and $(CONDA_PREFIX),$(shell python -c "import fournos" 2>/dev/null && echo yes)),)
BIN := $(CONDA_PREFIX)/bin
READY :=
else
BIN := .venv/bin
READY := .venv/.installed
endif
PYTHON ?= python3
JUPYTER_ENV := JUPYTER_CONFIG_DIR=$(CURDIR)/jupyter-config
NOTEBOOKS := $(sort $(wildcard notebooks/*.ipynb solutions/*.ipynb))
SUBMISSIONS ?= submissions

.PHONY: help lab test outputs exercises my-work grade articles lock clean

help:  ## List the commands
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

.venv/.installed: pyproject.toml requirements-lock.txt
	$(PYTHON) -m venv .venv
	.venv/bin/python -m pip install --quiet --disable-pip-version-check uv==0.13.9
	.venv/bin/uv pip install --python .venv/bin/python --quiet --no-deps -r requirements-lock.txt
	.venv/bin/uv pip install --python .venv/bin/python --quiet --no-deps -e .
	touch $@

lab: $(READY)  ## Open JupyterLab on the start page (offline, on 127.0.0.1 only)
	$(JUPYTER_ENV) $(BIN)/jupyter lab notebooks/00_start_here.ipynb

test: $(READY)  ## Run the whole test suite (data, library, notebooks)
	$(JUPYTER_ENV) $(BIN)/python -m pytest -n 2 --dist loadscope

outputs: $(READY)  ## Re-run every lesson and solution notebook and store its outputs
	@for nb in $(NOTEBOOKS); do echo "  running $$nb"; \
	  $(JUPYTER_ENV) $(BIN)/jupyter nbconvert --to notebook --execute --inplace \
	    --ExecutePreprocessor.record_timing=False --ExecutePreprocessor.timeout=120 $$nb || exit 1; done

exercises: $(READY)  ## Regenerate the student notebooks in exercises/ from solutions/ (never touches my-work/)
	$(BIN)/python -m fournos.exercises

my-work: $(READY)  ## Copy the exercises into my-work/ to work in (never overwrites a file there)
	$(BIN)/python -m fournos.mywork

grade: $(READY)  ## Check every notebook in SUBMISSIONS=folder; writes grading-results/
	$(JUPYTER_ENV) $(BIN)/python -m fournos.grading $(SUBMISSIONS) --out grading-results

articles: $(READY)  ## Re-make the cleaned article texts from data/raw/
	$(BIN)/python scripts/clean_articles.py

lock:  ## Re-pin every package version in requirements-lock.txt (needs the network)
	$(BIN)/uv pip compile pyproject.toml --extra test --universal --python-version 3.11 \
	  --override requirements-overrides.txt -o requirements-lock.txt

clean:  ## Remove the virtual environment and caches (never touches my-work/)
	rm -rf .venv .pytest_cache .hypothesis src/*.egg-info
