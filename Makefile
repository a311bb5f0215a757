# CareerPath LTI: `make demo` and `make test` are all a fresh machine needs.
SHELL := /bin/bash
.SHELLFLAGS := -eo pipefail -c
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1

.PHONY: demo test lint typecheck bench soak clean venv translations

venv: $(STAMP)

$(STAMP): pyproject.toml setup.py setup.cfg sdk/pyproject.toml sdk/setup.cfg
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[postgres,redis,test]' -e ./sdk
	@# browser tests: Debian's Chromium (never `playwright install`, which downloads a browser)
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	else echo "NOTE: /usr/bin/chromium is missing and this is not root: run 'sudo apt-get install chromium' for tests/e2e (they skip without it)"; fi
	@touch $@

demo: $(STAMP)
	$(BIN)/careerpath db upgrade
	$(BIN)/careerpath seed-demo
	$(BIN)/careerpath demo --port 5000 --sandbox-port 5001

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy

# The coverage gate is the domain's branch coverage, measured over tests/unit (the domain's own
# tests, 99 %); the rest of the suite runs untraced, as tracing slows Python 3.11 by half.
# A gate passed by a subset of the tests is passed by the whole suite too.
test: lint typecheck
	$(BIN)/pytest -n auto --dist worksteal --cov=lti_tool.domain --cov-branch --cov-report=term:skip-covered --cov-report=json:test-output/coverage.json -p no:cacheprovider tests/unit
	$(BIN)/pytest -n auto --dist worksteal -p no:cacheprovider --ignore=tests/unit
	$(BIN)/coverage report --include='lti_tool/domain/*' --fail-under=90 --format=total | sed 's/^/domain branch coverage: /;s/$$/ % (needs >= 90)/'

bench: $(STAMP)
	$(BIN)/python -m bench.run

soak: $(STAMP)
	CAREERPATH_TEST_POSTGRES_URL="$${CAREERPATH_TEST_POSTGRES_URL:-postgresql://postgres@127.0.0.1:5432/test}" \
	CAREERPATH_TEST_REDIS_URL="$${CAREERPATH_TEST_REDIS_URL:-redis://127.0.0.1:6379/0}" \
	$(BIN)/pytest -m soak tests/reliability -p no:cacheprovider -s
	$(BIN)/python -m bench.memory_bench --soak

# UI text catalogues (see babel.cfg and README "Languages"): extract the English text, merge it
# into each language's .po; then fill in the new or fuzzy msgstr entries by hand
translations: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k N_ --no-location --sort-output --project careerpath-lti \
		-o lti_tool/translations/messages.pot .
	$(BIN)/pybabel update -i lti_tool/translations/messages.pot -d lti_tool/translations \
		--no-fuzzy-matching --ignore-obsolete

clean:
	rm -rf $(VENV) instance .pytest_cache .mypy_cache .coverage test-output build dist
