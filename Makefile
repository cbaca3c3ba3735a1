# One task runner: the README names these targets.
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000

.PHONY: run setup test test-fast bench lint format messages check-deploy worker scheduler clean

## Set up on the embedded defaults (SQLite, local files), load demo data, and start the web
## server on 127.0.0.1:$(PORT), a task worker and the scheduler together (Procfile, run by
## honcho); Ctrl-C stops all three.
DEMO_ENV := DEBUG=1 PATH=$(CURDIR)/$(VENV)/bin:$$PATH

run: setup
	$(DEMO_ENV) $(PY) manage.py seed_demo
	$(DEMO_ENV) $(VENV)/bin/honcho start -f Procfile -p $(PORT)

## System packages (when root), virtual environment, Python packages, translations, database.
setup:
	./scripts/setup $(SETUP_FLAGS)

## Set up, then run the whole test suite (unit, HTTP, S3 over moto, PDF, browser).
test: SETUP_FLAGS = --test
# Browser tests run in a session of their own: their transactional flushes would otherwise
# empty the data that migrations create for the tests that follow them.
test: setup
	$(PY) -m pytest -m "not browser"
	$(PY) -m pytest -m browser

## The suite without the browser tests.
test-fast:
	$(PY) -m pytest -m "not browser"

## Benchmarks print their figures; they are not part of the test suite.
bench:
	for script in tests/bench/bench_*.py; do $(PY) $$script || exit 1; done

## ruff, and import-linter's contracts on layers and boundaries (pyproject.toml).
lint:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format:
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

## Refresh the translation catalogues of every language from the code and templates (the scripts
## take their words from the templates' data- attributes, so there is no JavaScript catalogue).
messages:
	DEBUG=1 $(PY) manage.py makemessages -l fr -l ar -l es --ignore ".venv/*" --ignore "var/*" --no-obsolete

check-deploy:
	DEBUG=0 SECRET_KEY=$$(python3 -c "import secrets; print(secrets.token_urlsafe(50))") ALLOWED_HOSTS=portal.example.org SITE_URL=https://portal.example.org \
		$(PY) manage.py check --deploy --fail-level WARNING

worker:
	DEBUG=1 $(PY) manage.py db_worker

## The scheduler alone (make run starts it with the web server and a worker).
scheduler:
	DEBUG=1 $(PY) manage.py scheduler

clean:
	rm -rf var/ .venv/ .pytest_cache test-results/
