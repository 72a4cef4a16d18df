PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: demo test check gate install clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	# uv (from PyPI, into the venv) installs the same packages as pip in a fraction of the time, compiled to
	# bytecode as pip does (else every first import, in each test worker and subprocess, compiles them);
	# plain pip if uv cannot be had or fails
	( $(PY) -m pip install -q uv && $(VENV)/bin/uv pip install -q --compile-bytecode --python $(PY) -e '.[test]' ) \
		|| $(PY) -m pip install -q -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(PY) -m crawler.demo --db sqlite:///blogcrawl.sqlite3

test: $(STAMP)
	# three workers, one test file each at a time; --no-loadscope-reorder keeps conftest's LONGEST_FIRST order
	# (xdist would otherwise order the files by their number of tests)
	$(PY) -m pytest -q -n 3 --dist loadfile --no-loadscope-reorder

check: $(STAMP)  # unit tests only: no crawl, no service (pytest markers slow and services, see README)
	$(PY) -m pytest -q -m "not slow and not services"

gate: $(STAMP)  # extraction and date figures above bench/quality_floors.json (needs ../shared/datasets)
	$(PY) bench/quality_gate.py

clean:
	rm -rf $(VENV) blogcrawl.sqlite3* blogcrawl-archive
