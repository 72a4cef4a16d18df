PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: demo test install clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(PY) -m crawler.demo --db sqlite:///blogcrawl.sqlite3

test: $(STAMP)
	$(PY) -m pytest -q

clean:
	rm -rf $(VENV) blogcrawl.sqlite3*
