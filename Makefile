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

.PHONY: help lab my-work update doctor wheels test test-offline test-hub hub-proxy site handouts \
  bench outputs audit exercises grade release articles lock clean

help:  ## List the commands
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

# Needs the internet, or the folder `make wheels` fills (wheelhouse/ is used when it is there;
# WHEELS=folder names another). A set-up that fails leaves no .venv behind.
.venv/.installed: pyproject.toml requirements-lock.txt
	$(PYTHON) scripts/install.py $(if $(WHEELS),--wheels $(WHEELS))

lab: $(READY)  ## Open JupyterLab on the kit, at the start page (PORT=8890 for another port; Ctrl-C twice stops it)
	$(BIN)/python -m fournos lab $(if $(PORT),--port $(PORT))

my-work: $(READY)  ## Copy the exercises into my-work/ to work in (never overwrites a file there)
	$(BIN)/python -m fournos my-work

update: $(READY)  ## Get the new version of the kit, keeping your edits (never touches my-work/)
	$(BIN)/python -m fournos update

doctor: $(READY)  ## Check that everything is ready to work, and say how to fix what is not
	$(BIN)/python -m fournos doctor $(if $(PORT),--port $(PORT))

wheels:  ## Download every package the kit needs into wheelhouse/, for classes with no internet
	$(PYTHON) scripts/wheels.py

# One stage after another, so that notebook kernels and the browser never compete for the cores.
test: $(READY)  ## Run the whole test suite: data and library, then notebooks, then the browser
	$(BIN)/python -m fournos test

test-offline: $(READY)  ## Run every notebook with no network at all (a private network namespace)
	unshare --net --map-root-user sh -c 'ip link set lo up && $(JUPYTER_ENV) $(BIN)/python -m pytest \
	  notebooks solutions exercises -n 2 --dist loadscope'

hub-proxy: deploy/node_modules/.bin/configurable-http-proxy  ## Install the proxy a JupyterHub needs (npm, pinned by deploy/package-lock.json)
deploy/node_modules/.bin/configurable-http-proxy: deploy/package.json deploy/package-lock.json
	npm ci --prefix deploy --no-audit --no-fund --loglevel=error && touch $@

test-hub: $(READY) hub-proxy  ## A class of three on a real JupyterHub, offline (tests/hub/; under 2 minutes)
	timeout 300 unshare --net --map-root-user sh -c 'ip link set lo up && exec $(BIN)/python -m pytest tests/hub -m hub -o addopts="-p no:cacheprovider" -s'

site: $(READY)  ## Build the static HTML site in _build/site/_build/html (INSTRUCTOR=1: with solutions, in _build/site-instructor)
	$(BIN)/python -m fournos site $(if $(INSTRUCTOR),--instructor)

handouts: $(READY)  ## Print each lesson, article and exercise sheet to PDF in _build/handouts (INSTRUCTOR=1: with solutions and answers)
	$(BIN)/python -m fournos handouts $(if $(INSTRUCTOR),--instructor)

bench: $(READY)  ## Measure notebook, test, site and batch-grading times (200 submissions, both engines), sizes
	$(JUPYTER_ENV) $(BIN)/python scripts/bench.py

outputs: $(READY)  ## Re-run every lesson and solution notebook and store its outputs
	@for nb in $(NOTEBOOKS); do echo "  running $$nb"; \
	  $(JUPYTER_ENV) $(BIN)/jupyter nbconvert --to notebook --execute --inplace \
	    --ExecutePreprocessor.record_timing=False --ExecutePreprocessor.timeout=120 $$nb || exit 1; done

audit: $(READY)  ## Show the document and passage behind every event, treaty coding and principle statement
	$(BIN)/python -m fournos audit

exercises: $(READY)  ## Regenerate the student notebooks in exercises/ from solutions/ (never touches my-work/)
	$(BIN)/python -m fournos exercises

grade: $(READY)  ## Grade every notebook in SUBMISSIONS=folder in a sandbox (TIMEOUT=seconds per cell); writes grading-results/<exercise>/
	$(JUPYTER_ENV) $(BIN)/python -m fournos grade "$(SUBMISSIONS)" --timeout $(TIMEOUT)

release: $(READY)  ## Build the students' edition (no answers) as the branch `student` and _build/fournos-student.zip (REPO_URL=the students' clone address)
	$(BIN)/python -m fournos release --branch student --zip _build/fournos-student.zip $(if $(REPO_URL),--repo-url "$(REPO_URL)")

articles: $(READY)  ## Re-make the cleaned article texts from data/raw/
	$(BIN)/python scripts/clean_articles.py

lock:  ## Re-pin every package version in requirements-lock.txt (needs the network)
	$(BIN)/uv pip compile pyproject.toml --extra test --extra site --extra hub --universal --python-version 3.11 \
	  --override requirements-overrides.txt -o requirements-lock.txt

clean:  ## Remove the virtual environment, caches and builds (never touches my-work/)
	rm -rf .venv .pytest_cache .hypothesis src/*.egg-info _build
