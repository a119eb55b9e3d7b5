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
TIMEOUT ?= 60

.PHONY: help lab test test-offline site handouts bench outputs exercises my-work grade articles lock clean

help:  ## List the commands
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

.venv/.installed: pyproject.toml requirements-lock.txt
	$(PYTHON) -m venv .venv
	.venv/bin/python -m pip install --quiet --disable-pip-version-check uv==0.13.9
	.venv/bin/uv pip install --python .venv/bin/python --quiet --no-deps -r requirements-lock.txt
	.venv/bin/uv pip install --python .venv/bin/python --quiet --no-deps -e .
	touch $@

lab: $(READY)  ## Open JupyterLab on the start page (offline, on 127.0.0.1 only)
	$(JUPYTER_ENV) $(BIN)/jupyter lab notebooks/00_start_here.ipynb $(if $(filter 0,$(shell id -u)),--allow-root)

test: $(READY)  ## Run the whole test suite (data, library, notebooks)
	$(JUPYTER_ENV) $(BIN)/python -m pytest -n 2 --dist loadscope

test-offline: $(READY)  ## Run every notebook with no network at all (a private network namespace)
	unshare --net --map-root-user sh -c 'ip link set lo up && $(JUPYTER_ENV) $(BIN)/python -m pytest \
	  notebooks solutions exercises -n 2 --dist loadscope'

site: $(READY)  ## Build the static HTML site in _build/site/_build/html (INSTRUCTOR=1: with solutions, in _build/site-instructor)
	$(BIN)/python -m fournos site $(if $(INSTRUCTOR),--instructor)

handouts: $(READY)  ## Print each lesson, article and exercise sheet to PDF in _build/handouts (INSTRUCTOR=1: with solutions and answers)
	$(BIN)/python -m fournos handouts $(if $(INSTRUCTOR),--instructor)

bench: $(READY)  ## Measure notebook times against the kernel floor, test and site times, sizes
	$(JUPYTER_ENV) $(BIN)/python scripts/bench.py

outputs: $(READY)  ## Re-run every lesson and solution notebook and store its outputs
	@for nb in $(NOTEBOOKS); do echo "  running $$nb"; \
	  $(JUPYTER_ENV) $(BIN)/jupyter nbconvert --to notebook --execute --inplace \
	    --ExecutePreprocessor.record_timing=False --ExecutePreprocessor.timeout=120 $$nb || exit 1; done

exercises: $(READY)  ## Regenerate the student notebooks in exercises/ from solutions/ (never touches my-work/)
	$(BIN)/python -m fournos exercises

my-work: $(READY)  ## Copy the exercises into my-work/ to work in (never overwrites a file there)
	$(BIN)/python -m fournos my-work

grade: $(READY)  ## Check every notebook in SUBMISSIONS=folder (TIMEOUT=seconds per cell, default 60); writes grading-results/
	$(JUPYTER_ENV) $(BIN)/python -m fournos grade $(SUBMISSIONS) --out grading-results --timeout $(TIMEOUT)

articles: $(READY)  ## Re-make the cleaned article texts from data/raw/
	$(BIN)/python scripts/clean_articles.py

lock:  ## Re-pin every package version in requirements-lock.txt (needs the network)
	$(BIN)/uv pip compile pyproject.toml --extra test --extra site --universal --python-version 3.11 \
	  --override requirements-overrides.txt -o requirements-lock.txt

clean:  ## Remove the virtual environment, caches and builds (never touches my-work/)
	rm -rf .venv .pytest_cache .hypothesis src/*.egg-info _build
