# Safer Options: the two commands in README.md are `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DEMO_CHILDREN ?= 5000
DEMO_SEED ?= 1
PYTEST_WORKERS ?= 2

.PHONY: install demo serve serve-prod test lint bench browser

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $@

node_modules/.installed: package.json
	npm install --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed node_modules/.installed

# The demo runs with debug off, as production does, on a secret key kept under var/.
var/secret_key:
	mkdir -p var
	$(PY) -c "import secrets; print(secrets.token_urlsafe(50))" > $@
	chmod 600 $@

# SAFEROPTIONS_DEMO=1: synthetic data, marked on every page; sign-in lists the demo accounts.
DEMO_ENV = DJANGO_SECRET_KEY="$$(cat var/secret_key)" DJANGO_SECURE_COOKIES=0 SAFEROPTIONS_DEMO=1

demo: install var/secret_key
	$(DEMO_ENV) $(PY) manage.py migrate --noinput
	$(DEMO_ENV) $(PY) manage.py collectstatic --noinput -v 0
	$(DEMO_ENV) $(PY) manage.py generate_city --children $(DEMO_CHILDREN) --seed $(DEMO_SEED) --skip-if-present --ending-today
	$(DEMO_ENV) $(PY) manage.py create_demo_accounts
	$(DEMO_ENV) $(PY) manage.py assign_demo_caseloads
	$(DEMO_ENV) $(PY) manage.py bring_demo_to_life
	$(MAKE) --no-print-directory serve

# The web server and the background worker run side by side; stopping one stops both.
serve: var/secret_key
	@echo "Safer Options is at http://127.0.0.1:8000 (Ctrl-C to stop)"
	@$(DEMO_ENV) bash -c 'trap "kill 0" EXIT; $(PY) manage.py qcluster & $(PY) manage.py runserver --noreload 127.0.0.1:8000'

# Production serving on this machine (docs/deploy.md): gunicorn on 127.0.0.1:8000 with
# SAFEROPTIONS_WEB_WORKERS workers (default 2) and the background worker as its own process,
# on whatever DATABASE_URL names (PostgreSQL in production). Plain HTTP on loopback, so
# secure cookies stay off unless DJANGO_SECURE_COOKIES=1; behind TLS use deploy/ instead.
PROD_ENV = DJANGO_SECRET_KEY="$${DJANGO_SECRET_KEY:-$$(cat var/secret_key)}" \
	DJANGO_SECURE_COOKIES="$${DJANGO_SECURE_COOKIES:-0}" SAFEROPTIONS_STATIC_MANIFEST=1 \
	PROMETHEUS_MULTIPROC_DIR="$(CURDIR)/var/metrics"

serve-prod: install var/secret_key
	@rm -rf var/metrics && mkdir -p var/metrics
	$(PROD_ENV) $(PY) manage.py migrate --noinput
	$(PROD_ENV) $(PY) manage.py collectstatic --noinput -v 0
	@echo "Safer Options (gunicorn) is at http://127.0.0.1:8000 (Ctrl-C to stop)"
	@$(PROD_ENV) bash -c 'trap "kill 0" EXIT; $(PY) manage.py qcluster & \
	  $(VENV)/bin/gunicorn -c deploy/gunicorn.conf.py saferoptions.wsgi'

# Headless Chromium is what the accessibility check drives; it comes from Debian's packages.
browser:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null)

test: install browser
	SAFEROPTIONS_TESTING=1 $(PY) manage.py makemigrations --check --dry-run >/dev/null
	$(PY) -m pytest -n $(PYTEST_WORKERS) -q

# ruff, then the import contracts (pyproject.toml [tool.importlinter]): layers import one way.
lint: install
	$(VENV)/bin/ruff check saferoptions tests bench
	$(VENV)/bin/lint-imports --no-cache --no-logo

bench: install
	@for m in city audit child_page feeds linkage contexts; do echo "== bench.$$m"; $(PY) -m bench.$$m || exit 1; done
