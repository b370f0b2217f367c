#!/usr/bin/env bash
# Creates .venv with rtorch and its test, oracle and R extras; installs R from Debian's packages if it is
# missing and we may (root). Safe to run again: it does only what is not done yet.
set -euo pipefail
cd "$(dirname "$0")/.."
missing=""
command -v R >/dev/null 2>&1 || missing="$missing r-base-core"
command -v g++ >/dev/null 2>&1 || missing="$missing g++"
# the file-format tests read torch_save's JSON metadata with R's jsonlite, as R torch does
if ! command -v R >/dev/null 2>&1 || ! Rscript -e 'quit(status = !requireNamespace("jsonlite", quietly = TRUE))' >/dev/null 2>&1; then
  missing="$missing r-cran-jsonlite"
fi
if [ -n "$missing" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing$missing from Debian's packages" >&2
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
  else
    echo "setup: missing$missing; the R tests need R and the printing oracle needs g++ (Debian: apt-get install$missing)" >&2
  fi
fi
if [ ! -x .venv/bin/python ] || [ pyproject.toml -nt .venv/.installed ]; then
  python3 -m venv .venv
  extras="test,oracle"
  command -v R >/dev/null 2>&1 && extras="$extras,r"
  .venv/bin/pip install -q --disable-pip-version-check -e ".[$extras]"
  touch .venv/.installed
fi
