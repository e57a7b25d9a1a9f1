# The two commands a new user needs: `make run` and `make test`.
# Everything else here is what those two do on a fresh machine.

SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
PIP_QUIET ?= -q
# Test processes: the suite waits on HTTP and on time-outs far more than on the CPU.
TEST_WORKERS ?= 2

.PHONY: run test bench lint check-deploy venv clean help

help:
	@echo "make run     set up (venv, database, demo users) and serve on http://$(HOST):$(PORT)"
	@echo "make test    set up and run the whole test suite"
	@echo "make bench   set up and run the benchmarks (writes benchmarks/results.json)"
	@echo "make lint    ruff"

# A virtualenv with a Python 3.12+; rebuilt when it was made with something older.
$(VENV)/bin/python:
	@python=$$(bin/find-python) || exit 1; \
	echo "Creating $(VENV) with $$python"; \
	"$$python" -m venv $(VENV)
	@$(PY) -m pip install $(PIP_QUIET) --upgrade pip 2>&1 | grep -v "^WARNING: Location" || true

$(VENV)/.runtime: requirements.txt | $(VENV)/bin/python
	@$(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))' || { \
	  echo "$(VENV) was made with Python < 3.12; remove it (make clean) and run make again."; exit 1; }
	$(PY) -m pip install $(PIP_QUIET) -r requirements.txt 2>&1 | grep -v "^WARNING: Location" ; test $${PIPESTATUS[0]} -eq 0
	@touch $@

$(VENV)/.dev: requirements-dev.txt $(VENV)/.runtime
	$(PY) -m pip install $(PIP_QUIET) -r requirements-dev.txt 2>&1 | grep -v "^WARNING: Location" ; test $${PIPESTATUS[0]} -eq 0
	@touch $@

venv: $(VENV)/.dev

# The sandbox CRM and address service are served by this same server: their URLs follow HOST:PORT.
export PORTAL_SELF_URL ?= http://$(HOST):$(PORT)

run: $(VENV)/.runtime
	@$(PY) manage.py migrate --noinput -v 0 && echo "Database ready (db.sqlite3, or DATABASE_URL)."
	@$(PY) manage.py demo_setup
	@echo "Open http://$(HOST):$(PORT)/ (the task worker and the server start now; Ctrl+C stops both)"
	@trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py db_worker --queue-name '*' & worker=$$!; \
	$(PY) manage.py runserver $(HOST):$(PORT)

test: $(VENV)/.dev
	$(PY) -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

bench: $(VENV)/.dev
	$(PY) -m benchmarks

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .

# `manage.py check --deploy` with the production settings of .env.example (and fresh secrets: the
# portal refuses the example's placeholders when DEBUG is off).
check-deploy: $(VENV)/.runtime
	set -a; source .env.example; set +a; \
	SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))') \
	FIELD_ENCRYPTION_KEYS=$$($(PY) -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())') \
	$(PY) manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) .pytest_cache staticfiles
