# Two commands set Tandem up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_PASSWORD ?= tandem-demo-passphrase
PYTEST_WORKERS ?= 2

.PHONY: run test bench install install-test messages clean

$(BIN)/flask: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $(BIN)/flask

$(VENV)/.test-installed: $(BIN)/flask pyproject.toml
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(BIN)/flask

install-test: $(VENV)/.test-installed

# Development: a SECRET_KEY is generated into instance/ on first start.
run: export TANDEM_ENV ?= development
run: install
	$(BIN)/flask --app wsgi db upgrade
	$(BIN)/flask --app wsgi demo-data --password "$(DEMO_PASSWORD)" --if-empty
	@echo "Demo password: $(DEMO_PASSWORD)"
	$(BIN)/flask --app wsgi run --host 127.0.0.1 --port 5000

test: install-test
	$(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

# Benchmarks (not part of the test run): needs wrk (apt-get install wrk), Node.js for Lighthouse,
# and Chromium; see bench/README.md.
bench: install
	$(BIN)/python -m bench.run $(BENCH_ARGS)

messages: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -o translations/messages.pot .

clean:
	rm -rf $(VENV) instance .pytest_cache
