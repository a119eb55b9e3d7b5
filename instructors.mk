# The instructors' and developers' commands, included by the Makefile (`make help` lists them
# after the students' ones). The students' edition (`make release`) leaves this file out.
NOTEBOOKS := $(sort $(wildcard notebooks/*.ipynb solutions/*.ipynb))
SUBMISSIONS ?= submissions
TIMEOUT ?= 60

.PHONY: test-offline test-install test-hub hub-proxy site handouts bench outputs audit exercises \
  grade release articles lock

test-offline: $(READY)  ## Run every notebook with no network at all (a private network namespace)
	unshare --net --map-root-user sh -c 'ip link set lo up && $(JUPYTER_ENV) $(BIN)/python -m pytest \
	  notebooks solutions exercises -n 2 --dist loadscope'

hub-proxy: deploy/node_modules/.bin/configurable-http-proxy  ## Install the proxy a JupyterHub needs (npm, pinned by deploy/package-lock.json)
deploy/node_modules/.bin/configurable-http-proxy: deploy/package.json deploy/package-lock.json
	npm ci --prefix deploy --no-audit --no-fund --loglevel=error && touch $@

# Builds environments, so it is not part of `make test`: a wheelhouse set up offline in a new
# .venv, and the students' edition set up from its own Makefile and lock.
test-install: $(READY)  ## Set up a new .venv from a fresh wheelhouse and from the students' edition (needs the package index)
	$(JUPYTER_ENV) $(BIN)/python -m pytest tests/install -m install

test-hub: $(READY) hub-proxy  ## A class of three on a real JupyterHub, offline (tests/hub/; under 2 minutes)
	timeout 300 unshare --net --map-root-user sh -c 'ip link set lo up && exec $(BIN)/python -m pytest tests/hub -m hub -o addopts="-p no:cacheprovider" -s'

site: $(READY)  ## Build the static HTML site in _build/site/_build/html (INSTRUCTOR=1: with solutions, in _build/site-instructor)
	$(BIN)/python -m fournos site $(if $(INSTRUCTOR),--instructor)

handouts: $(READY)  ## Print each lesson, article and exercise sheet to PDF in _build/handouts (INSTRUCTOR=1: with solutions and answers)
	$(BIN)/python -m fournos handouts $(if $(INSTRUCTOR),--instructor)

bench: $(READY)  ## Measure notebook, test, site and batch-grading times (200 submissions, both engines), sizes
	$(JUPYTER_ENV) PYTHONPYCACHEPREFIX="$${XDG_CACHE_HOME:-$$HOME/.cache}/fournos/bytecode" $(BIN)/python scripts/bench.py

outputs: $(READY)  ## Re-run every lesson and solution notebook and store its outputs
	@for nb in $(NOTEBOOKS); do echo "  running $$nb"; \
	  $(JUPYTER_ENV) $(BIN)/jupyter nbconvert --to notebook --execute --inplace \
	    --ExecutePreprocessor.record_timing=False --ExecutePreprocessor.timeout=120 $$nb || exit 1; done

audit: $(READY)  ## Show the document and passage behind every event, treaty coding and principle statement
	$(BIN)/python -m fournos audit

exercises: $(READY)  ## Regenerate the student notebooks in exercises/ from solutions/ (never touches my-work/)
	$(BIN)/python -m fournos exercises

grade: $(READY)  ## Grade every notebook in SUBMISSIONS=folder in a sandbox (TIMEOUT=seconds per cell); writes grading-results/<exercise>/
	$(JUPYTER_ENV) PYTHONPYCACHEPREFIX="$${XDG_CACHE_HOME:-$$HOME/.cache}/fournos/bytecode" $(BIN)/python -m fournos grade "$(SUBMISSIONS)" --timeout $(TIMEOUT)

release: $(READY)  ## Build the students' edition (no answers) as the branch `student` and _build/fournos-student.zip (REPO_URL=the students' clone address)
	$(BIN)/python -m fournos release --branch student --zip _build/fournos-student.zip $(if $(REPO_URL),--repo-url "$(REPO_URL)")

articles: $(READY)  ## Re-make the cleaned article texts from data/raw/
	$(BIN)/python scripts/clean_articles.py

lock:  ## Re-pin every package version in requirements-lock.txt (needs the network)
	$(BIN)/uv pip compile pyproject.toml --extra test --extra site --extra hub --universal --python-version 3.11 \
	  --override requirements-overrides.txt -o requirements-lock.txt
