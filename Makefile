# Two commands on a fresh machine: `make demo` and `make test`.
# Both install what is missing (Debian packages, a virtualenv with the Python packages,
# compiled translations) and are no-ops for parts already in place.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
TS := $(wildcard assets/translations/*.ts)
QM := $(TS:.ts=.qm)
TOUR_DIR ?= out/tour

.PHONY: setup system demo test bench bench-startup bench-backend bench-flows bench-sync bench-fleet bench-drill bench-soak bench-voice tour translations lupdate clean

setup: system $(STAMP) translations

system:
	@bash scripts/install-system-deps.sh

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	@touch $(STAMP)

translations: $(QM)

assets/translations/%.qm: assets/translations/%.ts $(STAMP)
	$(VENV)/bin/pyside6-lrelease -silent $< -qm $@

demo: setup
	@if [ -z "$$DISPLAY$$WAYLAND_DISPLAY" ] && [ -z "$$QT_QPA_PLATFORM" ]; then \
	  echo "No display found: running the scripted tour offscreen; screenshots go to $(TOUR_DIR)/"; \
	  QT_QPA_PLATFORM=offscreen $(VENV)/bin/kiosk demo --tour $(TOUR_DIR); \
	else \
	  $(VENV)/bin/kiosk demo; \
	fi

tour: setup
	QT_QPA_PLATFORM=offscreen $(VENV)/bin/kiosk demo --tour $(TOUR_DIR)

test: setup
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q

bench: setup
	QT_QPA_PLATFORM=offscreen $(PY) -m bench
	QT_QPA_PLATFORM=offscreen $(PY) -m bench.startup

# Cold start of the kiosk (sync on, against a backend process) against headless Chromium
# rendering the same home page; `python -m bench.startup_profile` says where the start goes.
bench-startup: setup
	QT_QPA_PLATFORM=offscreen $(PY) -m bench.startup

bench-backend: setup
	$(PY) -m bench.backend

bench-flows: setup
	QT_QPA_PLATFORM=offscreen $(PY) -m bench.flows

bench-sync: setup
	$(PY) -m bench.sync

# Issue 13: 10,000 terminals on PostgreSQL, two workers, open-loop heartbeats every 30 s, the
# saturation ratio against /v1/health, the fleet list (docs/decisions/0028).
bench-fleet: setup
	$(PY) -m bench.fleet_load

# Voice guidance: espeak-ng synthesis and speak()-to-player times (docs/decisions/0031)
bench-voice: setup
	$(PY) -m bench.voice

# Issue 11's drills: 200 SIGKILLs of a kiosk process at random moments (sessions, prints, outbox
# pushes) with restarts, then every event at the backend once and every print job accounted
# for; and 10,000 scripted sessions with memory, widgets, files and threads sampled.
bench-drill: setup
	QT_QPA_PLATFORM=offscreen $(PY) -m bench.kill_drill --kills 200

bench-soak: setup
	QT_QPA_PLATFORM=offscreen $(PY) -m bench.soak --sessions 10000 --warmup 1000

clean:
	rm -rf $(VENV) out assets/translations/*.qm

# Refresh the translation sources from the code (keeps existing translations).
lupdate: $(STAMP)
	mkdir -p out && rm -f out/lupdate-fresh.ts
	$(VENV)/bin/pyside6-lupdate screens/*.py screens/widgets/*.py kiosk/flows/items.py kiosk/guides.py -ts out/lupdate-fresh.ts
	$(PY) scripts/ts_merge.py out/lupdate-fresh.ts assets/translations/kiosk_zh_CN.ts
	@echo "Translate the new zh_CN strings (scripts/ts_fill.py), then run"
	@echo "  $(PY) scripts/ts_hant.py   # kiosk_zh_TW.ts from kiosk_zh_CN.ts (OpenCC), hand fixes kept"