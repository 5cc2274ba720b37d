# Two commands do all set-up on a fresh clone (Python 3.11, no downloads at run time):
#   make demo   installs into .venv and analyses the bundled demo corpus
#   make test   installs into .venv (with test extras) and runs the test suite
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: demo test install install-dev browser benchmarks clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .

install-dev: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"

demo: install
	$(BIN)/stadsgenoten run

# The browser test renders report.html in Debian's headless Chromium (installed here when missing).
browser:
	@command -v chromium >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null) || echo "chromium not installed: the browser test will be skipped"

test: install-dev browser
	$(BIN)/python -m pytest -n auto --dist loadfile --no-loadscope-reorder  # one file's tests share a worker and its fixtures; the long files first (tests/conftest.py)

benchmarks: install-dev
	for b in lemmas tagger parser persons themes mechanisms report search analyst practices rounds; do echo "== $$b"; $(BIN)/python benchmarks/$$b.py || exit 1; done
	$(BIN)/python benchmarks/perf.py --quick  # the full scale series: benchmarks/perf.py (hours on 2 cores)

clean:
	rm -rf $(VENV) outputs/.cache build *.egg-info
