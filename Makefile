# The two commands: `make run` (demo with seeded data on 127.0.0.1:8000) and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: run test install migrate seed chromium redis bench loadtest clean lint-imports mutation

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py seed_demo

run: seed
	DJANGO_DEBUG=true $(PY) manage.py runserver 127.0.0.1:8000

# Browser tests drive Debian's chromium; install it when it is missing (never `playwright install`).
chromium:
	@test -x /usr/bin/chromium || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium; }

# The test that runs a real Celery worker needs Redis on 127.0.0.1:6379: start it, or install it, when missing.
redis:
	@redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  command -v redis-server >/dev/null || { $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq redis-server; }; \
	  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no; sleep 1; }

# The apps depend one way (pyproject.toml [tool.importlinter]); a backward import fails here.
lint-imports: install
	$(VENV)/bin/lint-imports --no-cache

test: install chromium redis lint-imports
	$(VENV)/bin/pytest

# Benchmarks and the load test need PostgreSQL on 127.0.0.1:5432 (benchmarks/README.md).
bench: install
	$(PY) benchmarks/run.py

loadtest: install
	$(PY) benchmarks/load_test.py

# Deletes one guard (role, scope, state, capacity, bounds check) of the services and core/policy.py at a time, in
# a copy of the tree, and runs the app's tests: every mutant must be killed (scripts/mutation.py).
mutation: install
	$(PY) scripts/mutation.py

clean:
	rm -rf $(VENV) db.sqlite3
