# Two entry points matter: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DB     ?= sqlite:///raqib.db
SHARED ?= ../shared

.PHONY: run test eval lint bench system-deps clean

# System packages that PyPI dependencies compile against (PyICU, pulled in by
# followthemoney, builds against ICU). Installed only when missing.
system-deps:
	@dpkg -s libicu-dev pkg-config >/dev/null 2>&1 || { \
	  echo "installing libicu-dev and pkg-config (needed to build PyICU)"; \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq libicu-dev pkg-config; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq libicu-dev pkg-config; fi; }

$(BIN)/.installed: pyproject.toml | system-deps
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev,pg]'
	touch $@

# Ingest the bundled sample articles into a SQLite file and show what was found.
run: $(BIN)/.installed
	$(BIN)/raqib ingest examples/ --db $(DB)
	$(BIN)/raqib documents --db $(DB)
	$(BIN)/raqib stats --db $(DB)

# The whole suite (needs PostgreSQL on 127.0.0.1:5432, as on every machine of this kind).
test: $(BIN)/.installed
	$(BIN)/ruff check raqib tests bench
	$(BIN)/mypy raqib
	$(BIN)/python -m pytest -q

# Dev gold (rules are tuned on it), then the project's tuning and held-out gold (eval/README.md).
eval: $(BIN)/.installed
	$(BIN)/raqib eval $(SHARED)/corpus/gold/dev.jsonl
	$(BIN)/raqib eval --shared $(SHARED) eval/gold/tune.jsonl
	$(BIN)/raqib eval --shared $(SHARED) eval/gold/heldout.jsonl

lint: $(BIN)/.installed
	$(BIN)/ruff check raqib tests bench
	$(BIN)/mypy raqib

bench: $(BIN)/.installed
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/text.py
	$(BIN)/python bench/text_layer.py
	$(BIN)/python bench/extract.py
	$(BIN)/python bench/entities.py
	$(BIN)/python bench/gazetteer.py --quick

clean:
	rm -rf $(VENV) raqib.db raqib.db-wal raqib.db-shm *.egg-info .pytest_cache .ruff_cache
