# Two entry points (see README): `make sample` and `make test`. Both set up what they need.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
SAMPLE := sample

SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)

.PHONY: setup sample test bench docs clean tesseract

# Burned-in text redaction needs Tesseract's English model (Debian package tesseract-ocr).
tesseract:
	@command -v tesseract >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq tesseract-ocr; }

$(VENV)/.installed: requirements.txt requirements-test.txt setup.py
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.txt -r requirements-test.txt
	$(PY) -m pip install -q --no-deps -e .
	touch $@

setup: tesseract $(VENV)/.installed

# Make the bundled synthetic archive (fake PHI) and de-identify it with the Basic Profile.
sample: setup
	$(PY) tools/make_sample.py --out $(SAMPLE)/archive --studies 3 --series-per-study 2 --instances-per-series 4
	test -s $(SAMPLE)/uid.key || (umask 077 && head -c 32 /dev/urandom | base64 > $(SAMPLE)/uid.key)
	$(VENV)/bin/dicom-deid --input $(SAMPLE)/archive --output $(SAMPLE)/output --uid_key_file $(SAMPLE)/uid.key

test: setup
	$(PY) -m pytest -q tests

# The documentation site in site/ (tests/test_docs.py builds it too, with warnings as errors).
docs: setup
	$(VENV)/bin/mkdocs build --strict

bench: setup
	$(PY) bench/bench.py

clean:
	rm -rf $(SAMPLE)/archive $(SAMPLE)/output bench/out site
