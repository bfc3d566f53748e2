# Two commands do all set-up on a fresh machine:
#   make run   - create .venv, install rasd, extract the bundled example article
#   make test  - create .venv, install rasd with test tools, build the web app, run the test suite
# and two more for the web app:
#   make web   - fetch the map library and basemap from npm and build the page (needs npm)
#   make serve - build, then serve $(DB) on http://127.0.0.1:$(PORT)/
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
WEB_STAMP := src/rasd/server/static/BUILT
WEB_SOURCES := web/package.json web/package-lock.json web/build.mjs $(wildcard web/src/*)
DB ?= rasd.db
PORT ?= 8000

.PHONY: run test web serve clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/rasd extract examples/idlib-report.txt --published 2019-05-28 --format table

# The page's map library (Leaflet), basemap (Natural Earth via world-atlas) and Swagger UI
# come from the npm registry and are built into the package, never committed. Without npm
# the API still works; the page and its browser tests are skipped, saying why.
$(WEB_STAMP): $(WEB_SOURCES)
	@if command -v npm >/dev/null 2>&1; then \
		cd web && npm ci --loglevel=error && node build.mjs; \
	else \
		echo "make: npm not found: the web app is not built (rasd serve still serves the API)"; \
	fi

web: $(WEB_STAMP)

serve: $(STAMP) $(WEB_STAMP)
	$(BIN)/rasd serve --db $(DB) --port $(PORT)

test: $(STAMP) $(WEB_STAMP)
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info web/node_modules src/rasd/server/static
