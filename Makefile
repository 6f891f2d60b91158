# sqbot: `make demo` and `make test` each create their own virtualenv (.venv) first.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: venv demo test lint typecheck unit bench clean

$(BIN)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "sqbot needs Python 3.11 or newer"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -U pip
	$(BIN)/pip install -q --disable-pip-version-check -e '.[dev]'
	touch $@

venv: $(BIN)/.installed

demo: venv
	$(BIN)/sqbot demo --out out --queue queries

lint: venv
	$(BIN)/ruff check bot tests bench
	$(BIN)/ruff format --check bot tests bench

typecheck: venv
	$(BIN)/mypy

unit: venv
	$(BIN)/pytest -q -ra

test: lint typecheck unit

bench: venv
	$(BIN)/python bench/cli_startup.py

clean:
	rm -rf $(VENV) out data .mypy_cache .ruff_cache .pytest_cache
