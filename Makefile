# Two entry points a new user needs; both set up .venv first (idempotent).
PY ?= python3
VENV := .venv
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: setup demo test lint bench

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -e ".[server,scale,dev]"
	touch $@

setup: $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/newsgist summarize examples/river-valley-floods.txt

test: $(STAMP)
	$(VENV)/bin/python -m pytest

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests bench

bench: $(STAMP)
	$(VENV)/bin/python bench/quality.py
