# sqbot: `make demo` and `make test` each create their own virtualenv (.venv) first.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: venv demo test test-deps lint typecheck unit bench clean

# Two steps: what sqbot runs with (enough for `make demo`), then the development tools on top (`make test`).
# Editable in "compat" mode: a plain path in a .pth file, not an import hook that every start of Python (every
# `sqbot` command) would load first (~10 ms each).
PIP_INSTALL := $(BIN)/pip install -q --disable-pip-version-check --config-settings editable_mode=compat -e

$(BIN)/.installed-run: pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "sqbot needs Python 3.11 or newer"'
	$(PYTHON) -m venv $(VENV)
	$(PIP_INSTALL) '.[browse]'
	touch $@

$(BIN)/.installed: $(BIN)/.installed-run
	$(PIP_INSTALL) '.[dev,browse]'
	touch $@

venv: $(BIN)/.installed

demo: $(BIN)/.installed-run
	$(BIN)/sqbot demo --out out --queue queries

lint: venv
	$(BIN)/ruff check bot tests bench
	$(BIN)/ruff format --check bot tests bench

typecheck: venv
	$(BIN)/mypy

# Headless Chromium renders the digest for the tests that look at it (Debian's package; root installs it).
test-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing chromium (apt) for the digest rendering tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null; \
	  else echo "chromium not installed and not root: the digest screenshot test will skip (loudly)"; fi; }
	@command -v chromedriver >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing chromium-driver (apt) for the review app's browser tests (selenium)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium-driver >/dev/null; \
	  else echo "chromedriver not installed and not root: the review browser tests will skip (loudly)"; fi; }

unit: venv test-deps
	$(BIN)/pytest -q -ra

test: lint typecheck unit

bench: venv
	$(BIN)/python bench/cli_startup.py

clean:
	rm -rf $(VENV) out data .mypy_cache .ruff_cache .pytest_cache
