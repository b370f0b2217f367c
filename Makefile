# Two commands on a fresh machine: `make train` (the blog's network) and `make test` (the whole suite).
# Both set up what they need first: a virtual environment in .venv and, where missing, R (Debian's r-base-core).
PY := .venv/bin/python
# `make train` seeds as PyTorch's golden run does (compat/golden/train_nn_network_seed1.txt); ARGS= for none
ARGS ?= --seed 1

.PHONY: setup train train-raw test deep bench
setup:
	@scripts/setup.sh

train: setup
	$(PY) scripts/train_nn_network.py $(ARGS)

train-raw: setup
	$(PY) scripts/train_raw_network.py $(ARGS)

test: setup
	$(PY) -m pytest $(PYTEST_ARGS)

deep: setup
	HYPOTHESIS_PROFILE=deep $(PY) -m pytest $(PYTEST_ARGS)

bench: setup
	$(PY) scripts/bench_training.py
