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
# pytest-xdist workers per test stage (WORKERS=0: all in one process)
WORKERS ?= 2

.PHONY: help lab my-work update doctor wheels test test-unit test-notebooks test-browser clean
.NOTPARALLEL:

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

# One stage after another (.NOTPARALLEL above), so that notebook kernels and the browser never
# compete for the cores. Each stage is a target of its own: make test-unit, make test-notebooks,
# make test-browser. Tests that download packages or build a second environment are not part of
# it (the kit's developers run them apart).
test: $(READY)  ## Run the whole test suite: data and library, then notebooks, then the browser
	$(JUPYTER_ENV) $(BIN)/python -m fournos test --workers $(WORKERS)

test-unit test-notebooks test-browser: $(READY)  # one stage of it
	$(JUPYTER_ENV) $(BIN)/python -m fournos test --stage $(@:test-%=%) --workers $(WORKERS)

clean:  ## Remove the virtual environment, caches and builds (never touches my-work/)
	rm -rf .venv .pytest_cache .hypothesis src/*.egg-info _build

# More commands for the kit's instructors and developers, where their file is there (a student's
# copy has none: nothing is missing).
-include instructors.mk
